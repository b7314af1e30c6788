namespace PgWire.Protocol.Backend;

/// <summary>NotificationResponse ('A'): a NOTIFY delivered to this session.</summary>
internal readonly record struct NotificationResponse(int ProcessId, string Channel, string Payload)
{
    public static NotificationResponse Parse(ReadOnlySpan<byte> body)
    {
        var reader = new MessageReader(body, BackendMessageCode.NotificationResponse);
        var n = new NotificationResponse(reader.ReadInt32(), reader.ReadCString(), reader.ReadCString());
        reader.ExpectEnd();
        return n;
    }
}
