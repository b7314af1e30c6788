namespace PgWire.Protocol.Frontend;

/// <summary>Query ('Q'): the simple query protocol. Used only for SQL PgWire writes itself, never with values.</summary>
internal static class Query
{
    public static void Write(WriteBuffer buffer, string sql)
    {
        buffer.StartMessage((byte)'Q');
        buffer.WriteCString(sql);
        buffer.EndMessage();
    }
}
