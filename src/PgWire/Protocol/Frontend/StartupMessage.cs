namespace PgWire.Protocol.Frontend;

/// <summary>StartupMessage: protocol version 3.0 and the session parameters (user, database, ...).</summary>
internal static class StartupMessage
{
    public const int ProtocolVersion3 = 3 << 16;

    public static void Write(WriteBuffer buffer, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        buffer.StartUntypedMessage();
        buffer.WriteInt32(ProtocolVersion3);
        foreach (var (name, value) in parameters)
        {
            buffer.WriteCString(name);
            buffer.WriteCString(value);
        }
        buffer.WriteByte(0);
        buffer.EndMessage();
    }
}
