namespace PgWire.Protocol.Backend;

/// <summary>ParameterStatus ('S'): the current value of a run-time parameter the server reports.</summary>
internal readonly record struct ParameterStatus(string Name, string Value)
{
    public static ParameterStatus Parse(ReadOnlySpan<byte> body)
    {
        var reader = new MessageReader(body, BackendMessageCode.ParameterStatus);
        var status = new ParameterStatus(reader.ReadCString(), reader.ReadCString());
        reader.ExpectEnd();
        return status;
    }
}
