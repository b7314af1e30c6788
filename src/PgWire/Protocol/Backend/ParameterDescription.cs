namespace PgWire.Protocol.Backend;

/// <summary>ParameterDescription ('t'): the type OIDs the server resolved for a statement's parameters.</summary>
internal static class ParameterDescription
{
    public static uint[] Parse(ReadOnlySpan<byte> body)
    {
        var reader = new MessageReader(body, BackendMessageCode.ParameterDescription);
        int count = reader.ReadUInt16();
        if (count * 4L != reader.Remaining)
            throw reader.Violation($"a parameter count ({count}) that does not match the message length");
        var oids = new uint[count];
        for (int i = 0; i < count; i++)
            oids[i] = reader.ReadUInt32();
        return oids;
    }
}
