namespace PgWire.Protocol.Frontend;

/// <summary>Terminate ('X'): a polite goodbye before the socket is closed.</summary>
internal static class Terminate
{
    public static void Write(WriteBuffer buffer)
    {
        buffer.StartMessage((byte)'X');
        buffer.EndMessage();
    }
}
