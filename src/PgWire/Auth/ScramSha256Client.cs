using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PgWire.Auth;

/// <summary>
/// The client side of SCRAM-SHA-256 and SCRAM-SHA-256-PLUS (RFC 5802, RFC 7677) as PostgreSQL speaks it
/// (PostgreSQL documentation, "SASL Authentication"): three steps, each a pure function of the messages,
/// to be called in order. No I/O happens here.
/// </summary>
/// <remarks>
/// The connector must not accept AuthenticationOk before <see cref="IsCompleted"/> is true: a server that
/// skips AuthenticationSASLFinal has not proved it knows the password.
/// </remarks>
internal sealed class ScramSha256Client
{
    /// <summary>
    /// The most PBKDF2 iterations PgWire runs for a server. PostgreSQL's default (scram_iterations) is 4096;
    /// a hostile server could otherwise ask for billions and make the client spin.
    /// </summary>
    public const int MaxIterations = 1_000_000;

    private const int ClientNonceByteCount = 18;

    private enum Step
    {
        Start,
        SentClientFirst,
        SentClientFinal,
        Completed,
        Failed,
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly string _password;
    private readonly string _clientNonce;
    private readonly ScramChannelBinding _channelBinding;
    private readonly string _clientFirstMessageBare;
    private Step _step;
    private byte[]? _serverSignature;

    /// <param name="password">The password as the user typed it; SASLprep is applied when the proof is computed.</param>
    /// <param name="clientNonce">Null for a fresh random nonce; tests pass a fixed one (printable ASCII without ',').</param>
    /// <param name="channelBinding">Null means the client cannot bind ("n").</param>
    /// <param name="userName">
    /// Empty for PostgreSQL, which takes the user name from the startup message and ignores this one;
    /// RFC test vectors set it.
    /// </param>
    public ScramSha256Client(string password, string? clientNonce = null, ScramChannelBinding? channelBinding = null, string userName = "")
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(userName);
        if (clientNonce is not null && !IsValidNonce(clientNonce))
        {
            throw new ArgumentException("a SCRAM nonce is one or more printable ASCII characters other than ','", nameof(clientNonce));
        }

        _password = password;
        _clientNonce = clientNonce ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(ClientNonceByteCount));
        _channelBinding = channelBinding ?? ScramChannelBinding.NotSupportedByClient;
        _clientFirstMessageBare = "n=" + EscapeSaslName(userName) + ",r=" + _clientNonce;
        Mechanism = _channelBinding.Mode == ScramChannelBindingMode.Used ? SaslMechanisms.ScramSha256Plus : SaslMechanisms.ScramSha256;
    }

    /// <summary>The mechanism name to put in SASLInitialResponse.</summary>
    public string Mechanism { get; }

    /// <summary>True once the server's signature has been verified: the server knows the password.</summary>
    public bool IsCompleted => _step == Step.Completed;

    /// <summary>Step 1: the client-first-message, the data of SASLInitialResponse.</summary>
    public byte[] CreateClientFirstMessage()
    {
        Expect(Step.Start, nameof(CreateClientFirstMessage));
        _step = Step.SentClientFirst;
        return Encoding.UTF8.GetBytes(_channelBinding.Gs2Header + _clientFirstMessageBare);
    }

    /// <summary>
    /// Step 2: checks the server-first-message (the data of AuthenticationSASLContinue) and returns the
    /// client-final-message with the proof, the data of SASLResponse.
    /// </summary>
    public byte[] HandleServerFirstMessage(ReadOnlySpan<byte> serverFirst)
    {
        Expect(Step.SentClientFirst, nameof(HandleServerFirstMessage));
        _step = Step.Failed; // until this step has succeeded
        (string serverNonce, byte[] salt, int iterations) = ParseServerFirstMessage(serverFirst);

        string channelBindingField = Convert.ToBase64String([.. Encoding.ASCII.GetBytes(_channelBinding.Gs2Header), .. _channelBinding.Data]);
        string clientFinalWithoutProof = "c=" + channelBindingField + ",r=" + serverNonce;
        byte[] authMessage =
        [
            .. Encoding.UTF8.GetBytes(_clientFirstMessageBare), (byte)',',
            .. serverFirst, (byte)',',
            .. Encoding.ASCII.GetBytes(clientFinalWithoutProof),
        ];

        byte[] password = NormalizePassword(_password);
        byte[] saltedPassword = [];
        byte[] clientKey = [];
        byte[] storedKey = [];
        byte[] clientSignature = [];
        byte[] serverKey = [];
        try
        {
            saltedPassword = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, SHA256.HashSizeInBytes);
            clientKey = HMACSHA256.HashData(saltedPassword, "Client Key"u8);
            storedKey = SHA256.HashData(clientKey);
            clientSignature = HMACSHA256.HashData(storedKey, authMessage);
            serverKey = HMACSHA256.HashData(saltedPassword, "Server Key"u8);
            _serverSignature = HMACSHA256.HashData(serverKey, authMessage);

            // ClientProof = ClientKey XOR ClientSignature, computed in place over the signature.
            for (int i = 0; i < clientSignature.Length; i++)
            {
                clientSignature[i] ^= clientKey[i];
            }

            string clientFinal = clientFinalWithoutProof + ",p=" + Convert.ToBase64String(clientSignature);
            _step = Step.SentClientFinal;
            return Encoding.ASCII.GetBytes(clientFinal);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(password);
            CryptographicOperations.ZeroMemory(saltedPassword);
            CryptographicOperations.ZeroMemory(clientKey);
            CryptographicOperations.ZeroMemory(storedKey);
            CryptographicOperations.ZeroMemory(clientSignature);
            CryptographicOperations.ZeroMemory(serverKey);
        }
    }

    /// <summary>
    /// Step 3: checks the server-final-message (the data of AuthenticationSASLFinal). Throws
    /// <see cref="PgAuthenticationException"/> when the server reports an error or its signature is wrong.
    /// </summary>
    public void VerifyServerFinalMessage(ReadOnlySpan<byte> serverFinal)
    {
        Expect(Step.SentClientFinal, nameof(VerifyServerFinalMessage));
        _step = Step.Failed; // until the signature has checked out
        byte[] expected = _serverSignature!;
        _serverSignature = null;

        string text = Decode(serverFinal, "final");
        if (text.StartsWith("e=", StringComparison.Ordinal))
        {
            throw new PgAuthenticationException("the server ended the SCRAM exchange with an error: " + Printable(text[2..]));
        }

        string verifier = ReadAttribute(text.Split(','), 0, 'v', "server signature", "final");
        if (text.Contains(',', StringComparison.Ordinal))
        {
            throw Malformed("final", "has unexpected data after the server signature");
        }

        byte[] signature = DecodeBase64(verifier, "server signature", "final");
        if (!CryptographicOperations.FixedTimeEquals(signature, expected))
        {
            throw new PgAuthenticationException(
                "the server's SCRAM signature is wrong: it does not know the password, or something between client and server is impersonating it; the connection was closed");
        }

        _step = Step.Completed;
    }

    /// <summary>
    /// The password bytes SCRAM hashes: the SASLprep form in UTF-8, or, when SASLprep refuses the password,
    /// its plain UTF-8 bytes, which is what PostgreSQL does on both sides (scram_build_secret, libpq).
    /// </summary>
    internal static byte[] NormalizePassword(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        return Encoding.UTF8.GetBytes(SaslPrep.TryPrepare(password, out string prepared) ? prepared : password);
    }

    // server-first-message = [reserved-mext ","] nonce "," salt "," iteration-count ["," extensions] (RFC 5802 section 7)
    private (string Nonce, byte[] Salt, int Iterations) ParseServerFirstMessage(ReadOnlySpan<byte> serverFirst)
    {
        string text = Decode(serverFirst, "first");
        if (text.StartsWith("m=", StringComparison.Ordinal))
        {
            throw Malformed("first", "asks for a mandatory extension (m=), which PgWire does not support");
        }

        string[] attributes = text.Split(',');
        string nonce = ReadAttribute(attributes, 0, 'r', "nonce", "first");
        string salt = ReadAttribute(attributes, 1, 's', "salt", "first");
        string iterations = ReadAttribute(attributes, 2, 'i', "iteration count", "first");
        if (attributes.Length > 3)
        {
            // PostgreSQL sends no extensions; like libpq, treat anything more as a broken message.
            throw Malformed("first", "has unexpected data after the iteration count: " + Quote(attributes[3]));
        }

        if (!IsValidNonce(nonce))
        {
            throw Malformed("first", "has a nonce (r=) that is not printable ASCII");
        }

        if (nonce.Length <= _clientNonce.Length || !nonce.StartsWith(_clientNonce, StringComparison.Ordinal))
        {
            throw new PgAuthenticationException(
                "the server's SCRAM nonce does not start with the client's nonce; refusing to continue (possible man-in-the-middle)");
        }

        byte[] saltBytes = DecodeBase64(salt, "salt", "first");
        if (saltBytes.Length == 0)
        {
            throw Malformed("first", "has an empty salt (s=)");
        }

        return (nonce, saltBytes, ParseIterationCount(iterations));
    }

    private static int ParseIterationCount(string text)
    {
        ReadOnlySpan<char> digits = text.StartsWith('-') ? text.AsSpan(1) : text;
        if (digits.IsEmpty || digits.ContainsAnyExceptInRange('0', '9'))
        {
            throw Malformed("first", "has an iteration count (i=) that is not a number: " + Quote(text));
        }

        // An overflowing positive count is simply too many; an overflowing negative one, too few.
        bool parsed = long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long count);
        if (parsed ? count < 1 : text.StartsWith('-'))
        {
            throw new PgAuthenticationException($"the server asked for {Printable(text)} SCRAM iterations; at least 1 is required");
        }

        if (!parsed || count > MaxIterations)
        {
            throw new PgAuthenticationException(
                $"the server asked for {Printable(text)} SCRAM iterations, more than the 1,000,000 PgWire allows; a hostile server can make the client spin");
        }

        return (int)count;
    }

    private static string ReadAttribute(string[] attributes, int index, char name, string what, string message)
    {
        if (index >= attributes.Length || attributes[index].Length == 0)
        {
            throw Malformed(message, $"has no {what} ({name}=) where attribute {index + 1} should be");
        }

        string attribute = attributes[index];
        if (attribute.Length < 2 || attribute[0] != name || attribute[1] != '=')
        {
            throw Malformed(message, $"has {Quote(attribute)} where the {what} ({name}=) should be");
        }

        return attribute[2..];
    }

    private static byte[] DecodeBase64(string text, string what, string message)
    {
        // Convert.TryFromBase64String skips white space; SCRAM's base64 has none, so refuse it first.
        byte[] buffer = new byte[(text.Length / 4 * 3) + 3];
        if (text.AsSpan().ContainsAny(" \t\r\n") || !Convert.TryFromBase64String(text, buffer, out int length))
        {
            throw Malformed(message, $"has a {what} that is not valid base64");
        }

        return buffer[..length];
    }

    private static string Decode(ReadOnlySpan<byte> message, string which)
    {
        if (message.IsEmpty)
        {
            throw Malformed(which, "is empty");
        }

        try
        {
            return StrictUtf8.GetString(message);
        }
        catch (DecoderFallbackException)
        {
            throw Malformed(which, "is not valid UTF-8");
        }
    }

    private static PgAuthenticationException Malformed(string which, string problem) =>
        new($"the server's {which} SCRAM message {problem}");

    // Server text goes into exception messages and logs: keep it short and printable.
    private static string Quote(string text) => "\"" + Printable(text) + "\"";

    private static string Printable(string text)
    {
        const int MaxLength = 100;
        var builder = new StringBuilder(Math.Min(text.Length, MaxLength) + 3);
        foreach (char c in text.Length > MaxLength ? text[..MaxLength] : text)
        {
            builder.Append(c is >= ' ' and <= '~' ? c : '?');
        }

        return text.Length > MaxLength ? builder.Append("...").ToString() : builder.ToString();
    }

    // printable = %x21-2B / %x2D-7E (RFC 5802 section 7)
    private static bool IsValidNonce(string nonce) =>
        nonce.Length > 0 && !nonce.AsSpan().ContainsAnyExceptInRange('!', '~') && !nonce.Contains(',', StringComparison.Ordinal);

    // saslname (RFC 5802 section 5.1): '=' and ',' are escaped as =3D and =2C.
    private static string EscapeSaslName(string userName) =>
        userName.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal);

    private void Expect(Step step, string operation)
    {
        if (_step != step)
        {
            throw new InvalidOperationException(
                $"{operation} was called out of order: the SCRAM exchange is at step '{_step}', not '{step}'");
        }
    }
}
