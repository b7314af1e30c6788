using System.Security.Cryptography;
using System.Text;

namespace PgWire.Tests.Auth;

/// <summary>
/// The RFC 5802 section 3 formulas written out plainly, as an independent oracle for exchanges that no
/// published test vector covers (channel binding, non-ASCII passwords).
/// </summary>
internal static class ScramReference
{
    public static string ClientProof(byte[] passwordBytes, byte[] salt, int iterations, string authMessage)
    {
        byte[] saltedPassword = Rfc2898DeriveBytes.Pbkdf2(passwordBytes, salt, iterations, HashAlgorithmName.SHA256, 32);
        byte[] clientKey = HMACSHA256.HashData(saltedPassword, Encoding.ASCII.GetBytes("Client Key"));
        byte[] storedKey = SHA256.HashData(clientKey);
        byte[] clientSignature = HMACSHA256.HashData(storedKey, Encoding.UTF8.GetBytes(authMessage));
        byte[] proof = new byte[clientKey.Length];
        for (int i = 0; i < proof.Length; i++)
        {
            proof[i] = (byte)(clientKey[i] ^ clientSignature[i]);
        }

        return Convert.ToBase64String(proof);
    }

    public static string ServerSignature(byte[] passwordBytes, byte[] salt, int iterations, string authMessage)
    {
        byte[] saltedPassword = Rfc2898DeriveBytes.Pbkdf2(passwordBytes, salt, iterations, HashAlgorithmName.SHA256, 32);
        byte[] serverKey = HMACSHA256.HashData(saltedPassword, Encoding.ASCII.GetBytes("Server Key"));
        return Convert.ToBase64String(HMACSHA256.HashData(serverKey, Encoding.UTF8.GetBytes(authMessage)));
    }
}
