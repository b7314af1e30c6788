namespace PgWire.Types;

/// <summary>
/// uuid as Guid; also readable as String. PostgreSQL sends the 16 bytes in RFC 4122 order (big-endian fields),
/// while Guid's own byte layout is mixed-endian, so every conversion names the big-endian layout explicitly.
/// </summary>
internal sealed class UuidCodec() : PgTypeCodec<Guid>(MiscOids.Uuid, "uuid"), IPgReader<string>
{
    public override Guid Read(ReadOnlySpan<byte> data, bool binary)
    {
        if (!binary)
            return Guid.TryParse(data, out var parsed) ? parsed : throw Conversion.BadText(DataTypeName, data);
        if (data.Length != 16) throw Conversion.BadLength(DataTypeName, data.Length, 16);
        return new Guid(data, bigEndian: true);
    }

    // Guid's "D" format is the lower-case hyphenated form uuid_out prints.
    string IPgReader<string>.Read(ReadOnlySpan<byte> data, bool binary) => Read(data, binary).ToString();

    public override int GetLength(Guid value) => 16;

    public override void Write(Guid value, Span<byte> destination) => value.TryWriteBytes(destination, bigEndian: true, out _);

    protected override Guid ConvertFrom(object value) => value switch
    {
        Guid g => g,
        // Only reached when the parameter names PgDbType.Uuid: a plain string is otherwise sent untyped.
        string s when Guid.TryParse(s, out var parsed) => parsed,
        _ => throw Conversion.CannotWrite(value, DataTypeName),
    };
}
