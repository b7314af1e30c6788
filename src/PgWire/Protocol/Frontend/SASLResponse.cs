namespace PgWire.Protocol.Frontend;

/// <summary>SASLResponse ('p'): a later SASL message (the SCRAM client-final-message).</summary>
internal static class SASLResponse
{
    public static void Write(WriteBuffer buffer, ReadOnlySpan<byte> data)
    {
        buffer.StartMessage((byte)'p');
        buffer.WriteBytes(data);
        buffer.EndMessage();
    }
}
