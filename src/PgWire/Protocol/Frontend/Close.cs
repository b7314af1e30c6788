namespace PgWire.Protocol.Frontend;

/// <summary>Close ('C'): closes a prepared statement ('S') or portal ('P').</summary>
internal static class Close
{
    public static void Write(WriteBuffer buffer, byte kind, string name)
    {
        buffer.StartMessage((byte)'C');
        buffer.WriteByte(kind);
        buffer.WriteCString(name);
        buffer.EndMessage();
    }
}
