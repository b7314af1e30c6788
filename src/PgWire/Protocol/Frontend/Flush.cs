namespace PgWire.Protocol.Frontend;

/// <summary>Flush ('H'): asks the server to send what it has produced without ending the cycle.</summary>
internal static class Flush
{
    public static void Write(WriteBuffer buffer)
    {
        buffer.StartMessage((byte)'H');
        buffer.EndMessage();
    }
}
