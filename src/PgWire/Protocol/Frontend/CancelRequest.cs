namespace PgWire.Protocol.Frontend;

/// <summary>CancelRequest: sent on a new connection, names the backend by its BackendKeyData.</summary>
internal static class CancelRequest
{
    public const int RequestCode = 80877102;

    public static void Write(WriteBuffer buffer, int processId, int secretKey)
    {
        buffer.StartUntypedMessage();
        buffer.WriteInt32(RequestCode);
        buffer.WriteInt32(processId);
        buffer.WriteInt32(secretKey);
        buffer.EndMessage();
    }
}
