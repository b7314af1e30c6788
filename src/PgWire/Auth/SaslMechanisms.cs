namespace PgWire.Auth;

/// <summary>
/// The SASL mechanism names PostgreSQL offers in AuthenticationSASL, and the choice among them
/// (PostgreSQL documentation, "SASL Authentication").
/// </summary>
internal static class SaslMechanisms
{
    public const string ScramSha256 = "SCRAM-SHA-256";

    public const string ScramSha256Plus = "SCRAM-SHA-256-PLUS";

    /// <summary>
    /// The mechanism to answer with: SCRAM-SHA-256-PLUS when the server offers it and the client has channel
    /// binding data, else SCRAM-SHA-256 when offered, else null (nothing PgWire can use).
    /// </summary>
    public static string? Choose(IReadOnlyList<string> offered, bool channelBindingAvailable)
    {
        ArgumentNullException.ThrowIfNull(offered);
        if (channelBindingAvailable && Contains(offered, ScramSha256Plus))
        {
            return ScramSha256Plus;
        }

        return Contains(offered, ScramSha256) ? ScramSha256 : null;
    }

    private static bool Contains(IReadOnlyList<string> offered, string mechanism)
    {
        for (int i = 0; i < offered.Count; i++)
        {
            // Mechanism names are case-sensitive (RFC 4422 section 3.1).
            if (string.Equals(offered[i], mechanism, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
