using System.Security.Cryptography;
using System.Text;

namespace PgWire.Auth;

/// <summary>
/// The answer to AuthenticationMD5Password: "md5" followed by the lowercase hex of
/// md5(hex(md5(password + user)) + salt) (PostgreSQL documentation, "Message Flow", and "Password Authentication").
/// </summary>
internal static class Md5Password
{
    private const int Md5HexLength = 2 * MD5.HashSizeInBytes;

    /// <summary>
    /// The 35 ASCII bytes to put in the PasswordMessage (the message writer adds the terminating zero).
    /// <paramref name="salt"/> is the 4-byte salt of AuthenticationMD5Password.
    /// </summary>
    public static byte[] Compute(string user, string password, ReadOnlySpan<byte> salt)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(password);

        byte[] passwordThenUser = new byte[Encoding.UTF8.GetByteCount(password) + Encoding.UTF8.GetByteCount(user)];
        byte[] innerHexThenSalt = new byte[Md5HexLength + salt.Length];
        Span<byte> digest = stackalloc byte[MD5.HashSizeInBytes];
        try
        {
            int passwordLength = Encoding.UTF8.GetBytes(password, passwordThenUser);
            Encoding.UTF8.GetBytes(user, passwordThenUser.AsSpan(passwordLength));

            // The inner hash is what pg_authid stores for an MD5 role, so it is as good as the password: clear it after use.
            MD5.HashData(passwordThenUser, digest);
            WriteLowercaseHex(digest, innerHexThenSalt);
            salt.CopyTo(innerHexThenSalt.AsSpan(Md5HexLength));

            MD5.HashData(innerHexThenSalt, digest);
            byte[] result = new byte[3 + Md5HexLength];
            "md5"u8.CopyTo(result);
            WriteLowercaseHex(digest, result.AsSpan(3));
            return result;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(passwordThenUser);
            CryptographicOperations.ZeroMemory(innerHexThenSalt);
            CryptographicOperations.ZeroMemory(digest);
        }
    }

    private static void WriteLowercaseHex(ReadOnlySpan<byte> bytes, Span<byte> destination)
    {
        ReadOnlySpan<byte> digits = "0123456789abcdef"u8;
        for (int i = 0; i < bytes.Length; i++)
        {
            destination[2 * i] = digits[bytes[i] >> 4];
            destination[(2 * i) + 1] = digits[bytes[i] & 0xF];
        }
    }
}
