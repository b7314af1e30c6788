namespace PgWire.Protocol.Backend;

/// <summary>BackendKeyData ('K'): the process ID and secret key a CancelRequest must present.</summary>
internal readonly record struct BackendKeyData(int ProcessId, int SecretKey)
{
    public static BackendKeyData Parse(ReadOnlySpan<byte> body)
    {
        var reader = new MessageReader(body, BackendMessageCode.BackendKeyData);
        var data = new BackendKeyData(reader.ReadInt32(), reader.ReadInt32());
        reader.ExpectEnd();
        return data;
    }
}
