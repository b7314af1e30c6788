using System.Security.Cryptography;
using System.Text;

namespace PgWire.Tests.FakeServer;

/// <summary>
/// The server's side of SCRAM-SHA-256, written from the RFC 5802 section 3 formulas (independently of the
/// client under test), so the fake server can run a real exchange and then break exactly one step of it.
/// </summary>
public sealed class ScramServerExchange
{
    private readonly string _password;
    private string? _clientFirstBare;
    private string? _serverFirst;

    public ScramServerExchange(string password, byte[] salt, int iterations = 4096)
    {
        _password = password;
        Salt = salt;
        Iterations = iterations;
    }

    public byte[] Salt { get; }

    public int Iterations { get; }

    /// <summary>The nonce the client chose (r= of its client-first-message).</summary>
    public string ClientNonce { get; private set; } = "";

    /// <summary>Reads the client-first-message: "n,," (no channel binding) then "n=,r=&lt;nonce&gt;".</summary>
    public void ReadClientFirst(string clientFirst)
    {
        const string Gs2Header = "n,,";
        if (!clientFirst.StartsWith(Gs2Header, StringComparison.Ordinal))
            throw new InvalidDataException($"client-first-message without the \"n,,\" header: {clientFirst}");
        _clientFirstBare = clientFirst[Gs2Header.Length..];
        string[] attributes = _clientFirstBare.Split(',');
        if (attributes.Length != 2 || attributes[0] != "n=" || !attributes[1].StartsWith("r=", StringComparison.Ordinal))
            throw new InvalidDataException($"client-first-message-bare is not \"n=,r=<nonce>\": {_clientFirstBare}");
        ClientNonce = attributes[1][2..];
    }

    /// <summary>The server-first-message, "r=&lt;nonce&gt;,s=&lt;salt&gt;,i=&lt;count&gt;", for a nonce of the test's choosing.</summary>
    public string ServerFirst(string serverNonce)
    {
        _serverFirst = $"r={serverNonce},s={Convert.ToBase64String(Salt)},i={Iterations}";
        return _serverFirst;
    }

    /// <summary>The proper server-first-message: the client's nonce followed by the server's part.</summary>
    public string ServerFirst() => ServerFirst(ClientNonce + "3rfcNHYJY1ZVvWVs7j");

    /// <summary>
    /// Checks the client-final-message as a server does: the channel binding is "biws" (base64 of "n,,"),
    /// the nonce is the combined one, and the proof recovers a ClientKey whose hash is the StoredKey.
    /// </summary>
    public bool ClientProofIsValid(string clientFinal)
    {
        int proofAt = clientFinal.LastIndexOf(",p=", StringComparison.Ordinal);
        if (proofAt < 0) return false;
        string withoutProof = clientFinal[..proofAt];
        string expectedNonce = _serverFirst!.Split(',')[0];
        if (withoutProof != "c=biws," + expectedNonce) return false;

        byte[] proof = Convert.FromBase64String(clientFinal[(proofAt + 3)..]);
        byte[] saltedPassword = SaltedPassword();
        byte[] storedKey = SHA256.HashData(HMACSHA256.HashData(saltedPassword, Encoding.ASCII.GetBytes("Client Key")));
        byte[] clientSignature = HMACSHA256.HashData(storedKey, AuthMessage(withoutProof));
        if (proof.Length != clientSignature.Length) return false;
        byte[] clientKey = new byte[proof.Length];
        for (int i = 0; i < clientKey.Length; i++) clientKey[i] = (byte)(proof[i] ^ clientSignature[i]);
        return SHA256.HashData(clientKey).AsSpan().SequenceEqual(storedKey);
    }

    /// <summary>The server-final-message, "v=&lt;ServerSignature&gt;", for the client-final-message received.</summary>
    public string ServerFinal(string clientFinal)
    {
        string withoutProof = clientFinal[..clientFinal.LastIndexOf(",p=", StringComparison.Ordinal)];
        byte[] serverKey = HMACSHA256.HashData(SaltedPassword(), Encoding.ASCII.GetBytes("Server Key"));
        return "v=" + Convert.ToBase64String(HMACSHA256.HashData(serverKey, AuthMessage(withoutProof)));
    }

    private byte[] SaltedPassword() =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(_password), Salt, Iterations, HashAlgorithmName.SHA256, 32);

    // AuthMessage = client-first-message-bare + "," + server-first-message + "," + client-final-message-without-proof
    private byte[] AuthMessage(string clientFinalWithoutProof) =>
        Encoding.UTF8.GetBytes(_clientFirstBare + "," + _serverFirst + "," + clientFinalWithoutProof);
}
