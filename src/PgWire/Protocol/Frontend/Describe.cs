namespace PgWire.Protocol.Frontend;

/// <summary>Describe ('D'): asks for a statement's ('S') or portal's ('P') parameter and row descriptions.</summary>
internal static class Describe
{
    public const byte Statement = (byte)'S';
    public const byte Portal = (byte)'P';

    public static void Write(WriteBuffer buffer, byte kind, string name)
    {
        buffer.StartMessage((byte)'D');
        buffer.WriteByte(kind);
        buffer.WriteCString(name);
        buffer.EndMessage();
    }
}
