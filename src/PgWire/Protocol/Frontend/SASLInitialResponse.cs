namespace PgWire.Protocol.Frontend;

/// <summary>SASLInitialResponse ('p'): the chosen mechanism and the client-first-message.</summary>
internal static class SASLInitialResponse
{
    public static void Write(WriteBuffer buffer, string mechanism, ReadOnlySpan<byte> initialResponse)
    {
        buffer.StartMessage((byte)'p');
        buffer.WriteCString(mechanism);
        buffer.WriteInt32(initialResponse.Length);
        buffer.WriteBytes(initialResponse);
        buffer.EndMessage();
    }
}
