namespace PgWire.Protocol.Frontend;

/// <summary>Sync ('S'): ends an extended-query cycle; the server answers ReadyForQuery, after an error too.</summary>
internal static class Sync
{
    public static void Write(WriteBuffer buffer)
    {
        buffer.StartMessage((byte)'S');
        buffer.EndMessage();
    }
}
