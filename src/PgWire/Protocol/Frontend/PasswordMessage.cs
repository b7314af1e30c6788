namespace PgWire.Protocol.Frontend;

/// <summary>PasswordMessage ('p'): a cleartext or MD5-hashed password, null-terminated.</summary>
internal static class PasswordMessage
{
    public static void Write(WriteBuffer buffer, ReadOnlySpan<byte> password)
    {
        if (password.Contains((byte)0))
            throw new ArgumentException("A password cannot contain a NUL character.", nameof(password));
        buffer.StartMessage((byte)'p');
        buffer.WriteCString(password);
        buffer.EndMessage();
    }
}
