namespace PgWire.Protocol.Frontend;

/// <summary>SSLRequest: asks the server to switch to TLS before the startup message.</summary>
internal static class SSLRequest
{
    public const int RequestCode = 80877103;

    public static void Write(WriteBuffer buffer)
    {
        buffer.StartUntypedMessage();
        buffer.WriteInt32(RequestCode);
        buffer.EndMessage();
    }
}
