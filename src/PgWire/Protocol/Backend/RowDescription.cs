namespace PgWire.Protocol.Backend;

/// <summary>
/// RowDescription ('T'): the columns of a result. Parsed once and kept with the statement that produced it;
/// the raw bytes are kept so that the same description arriving again can be recognised without parsing.
/// </summary>
internal sealed class RowDescription
{
    private RowDescription(FieldDescription[] fields, byte[] raw)
    {
        Fields = fields;
        Raw = raw;
    }

    public FieldDescription[] Fields { get; }

    public int Count => Fields.Length;

    public byte[] Raw { get; }

    public static RowDescription Parse(ReadOnlySpan<byte> body)
    {
        var reader = new MessageReader(body, BackendMessageCode.RowDescription);
        int count = reader.ReadUInt16();
        // Each field takes at least 19 bytes: a claimed count the body cannot hold is a lie.
        if (count * 19L > reader.Remaining)
            throw reader.Violation($"a field count ({count}) larger than the message can hold");
        var fields = new FieldDescription[count];
        for (int i = 0; i < count; i++)
        {
            fields[i] = new FieldDescription
            {
                Name = reader.ReadCString(),
                TableOid = reader.ReadUInt32(),
                ColumnAttributeNumber = reader.ReadInt16(),
                TypeOid = reader.ReadUInt32(),
                TypeSize = reader.ReadInt16(),
                TypeModifier = reader.ReadInt32(),
                FormatCode = reader.ReadInt16(),
            };
            if (fields[i].FormatCode is not (0 or 1))
                throw reader.Violation($"an unknown format code {fields[i].FormatCode} for column \"{fields[i].Name}\"");
        }
        reader.ExpectEnd();
        return new RowDescription(fields, body.ToArray());
    }

    public bool SameBytes(ReadOnlySpan<byte> body) => body.SequenceEqual(Raw);
}
