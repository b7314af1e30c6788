namespace PgWire.Connection;

/// <summary>
/// The Npgsql keywords PgWire accepts without acting on them, or acts on for some values only. Every value is still
/// checked, so a misspelt one fails as it would with Npgsql; a value that asks for what PgWire cannot do (enlisting in
/// a TransactionScope, an encoding other than UTF-8, GSSAPI encryption) is refused rather than silently not done.
/// </summary>
internal static class CompatibilityKeywords
{
    /// <summary>Npgsql keywords for features PgWire does not have, whose every value it can accept: booleans and numbers.</summary>
    private static readonly string[] IgnoredBooleans = ["Include Realm", "Multiplexing", "Load Table Composites"];

    private static readonly string[] IgnoredNumbers = ["Internal Command Timeout", "Write Coalescing Buffer Threshold Bytes"];

    public static void Check(PgConnectionStringBuilder builder)
    {
        foreach (string keyword in IgnoredBooleans) builder.GetBool(keyword, false);
        foreach (string keyword in IgnoredNumbers) builder.GetInt(keyword, 0);

        if (builder.Enlist)
            throw new ArgumentException(
                "Enlist=true: PgWire does not enlist in System.Transactions (an ambient TransactionScope) yet. Remove Enlist or " +
                "set Enlist=false, and use BeginTransaction for a transaction.");

        if (builder.TrustServerCertificate && builder.SslMode is SslMode.VerifyCA or SslMode.VerifyFull)
            throw new ArgumentException(
                $"Trust Server Certificate=true contradicts SSL Mode={builder.SslMode}, which exists to check the server's certificate; " +
                "drop one of them (with SSL Mode=Require, Trust Server Certificate=true skips the check).");

        CheckUtf8("Client Encoding", builder.ClientEncoding,
            "PgWire always asks the server for UTF8 (the server converts from the database's encoding)");
        CheckUtf8("Encoding", builder.Encoding, "PgWire always converts between .NET strings and UTF-8");

        string? negotiation = Choice(builder, "SSL Negotiation", "Postgres", "Direct");
        if (negotiation == "Direct")
            throw new ArgumentException(
                "SSL Negotiation=Direct: PgWire starts TLS with PostgreSQL's SSLRequest only; direct TLS (PostgreSQL 17) is not " +
                "supported yet. Remove it, or use SSL Negotiation=Postgres.");

        // PgWire has no GSSAPI: Prefer finds no credentials to use, as Npgsql does on a machine without a Kerberos ticket.
        string? gssEncryption = Choice(builder, "GSS Encryption Mode", "Disable", "Prefer", "Require");
        if (gssEncryption == "Require")
            throw new ArgumentException(
                "GSS Encryption Mode=Require: PgWire has no GSSAPI encryption. Use TLS (SSL Mode=Require or stronger) to encrypt the connection.");

        // PgWire's GetValue returns T?[] for an array holding NULL and T[] otherwise (Npgsql's PerInstance); code written
        // for Never sees T[] as before, while code written for Always would meet a T[] it does not expect.
        string? arrays = Choice(builder, "Array Nullability Mode", "Never", "Always", "PerInstance");
        if (arrays == "Always")
            throw new ArgumentException(
                "Array Nullability Mode=Always: PgWire's GetValue returns int?[] (for example) only for an array that holds NULL, " +
                "as Npgsql's PerInstance does. Read int?[] explicitly with GetFieldValue<int?[]>, and remove the keyword or use PerInstance.");
    }

    private static void CheckUtf8(string keyword, string? value, string why)
    {
        if (string.IsNullOrWhiteSpace(value)) return;
        string squashed = value.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).Trim().ToUpperInvariant();
        if (squashed is not ("UTF8" or "UNICODE"))
            throw new ArgumentException($"{keyword}={value} is not supported: {why}. Remove it, or give UTF8.");
    }

    /// <summary>The keyword's value as one of <paramref name="choices"/> (case-insensitive), null when not given; anything else is refused.</summary>
    private static string? Choice(PgConnectionStringBuilder builder, string keyword, params string[] choices)
    {
        string? value = builder.GetString(keyword);
        if (string.IsNullOrWhiteSpace(value)) return null;
        return choices.FirstOrDefault(c => string.Equals(c, value.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"The connection-string value '{keyword}={value}' is not one of: {string.Join(", ", choices)}.");
    }
}
