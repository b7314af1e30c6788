namespace PgWire.Protocol.Frontend;

/// <summary>Execute ('E'): runs a portal, returning at most maxRows rows (0 = all).</summary>
internal static class Execute
{
    public static void Write(WriteBuffer buffer, string portal, int maxRows)
    {
        buffer.StartMessage((byte)'E');
        buffer.WriteCString(portal);
        buffer.WriteInt32(maxRows);
        buffer.EndMessage();
    }
}
