using System.Globalization;

namespace PgWire.Connection;

/// <summary>
/// The connection defaults libpq takes from environment variables (PostgreSQL docs, "Environment Variables"),
/// as PgWire connection-string keywords and values.
/// </summary>
internal static class LibpqEnvironment
{
    /// <summary>Each variable with the keyword it supplies, in the order the defaults are reported.</summary>
    public static IReadOnlyList<(string Variable, string Keyword)> Variables { get; } =
    [
        ("PGHOST", "Host"),
        ("PGPORT", "Port"),
        ("PGUSER", "Username"),
        ("PGPASSWORD", "Password"),
        ("PGDATABASE", "Database"),
        ("PGSSLMODE", "SSL Mode"),
        ("PGAPPNAME", "Application Name"),
        ("PGPASSFILE", "Passfile"),
        ("PGSSLROOTCERT", "Root Certificate"),
        ("PGSSLCERT", "SSL Certificate"),
        ("PGSSLKEY", "SSL Key"),
        ("PGCONNECT_TIMEOUT", "Timeout"),
        ("PGOPTIONS", "Options"),
        ("PGTZ", "Timezone"),
        ("PGTARGETSESSIONATTRS", "Target Session Attributes"),
        ("PGCHANNELBINDING", "Channel Binding"),
    ];

    /// <summary>The defaults from the process environment.</summary>
    public static IReadOnlyList<(string Keyword, string Value)> Defaults() => Defaults(Environment.GetEnvironmentVariable);

    /// <summary>
    /// One (keyword, value) for each variable that is set and not empty. Values are translated only where libpq spells
    /// them differently from PgWire; a value neither understands is passed on unchanged for the connection string to reject.
    /// </summary>
    public static IReadOnlyList<(string Keyword, string Value)> Defaults(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        var defaults = new List<(string Keyword, string Value)>();
        foreach (var (variable, keyword) in Variables)
        {
            string? value = getVariable(variable);
            if (string.IsNullOrEmpty(value)) continue;
            defaults.Add((keyword, variable switch
            {
                "PGSSLMODE" => TranslateSslMode(value),
                "PGCONNECT_TIMEOUT" => TranslateConnectTimeout(value),
                _ => value,
            }));
        }
        return defaults;
    }

    /// <summary>libpq's sslmode spelling (verify-ca) as the SSL Mode keyword's (VerifyCA).</summary>
    internal static string TranslateSslMode(string value) => value.ToLowerInvariant() switch
    {
        "disable" => "Disable",
        "allow" => "Allow",
        "prefer" => "Prefer",
        "require" => "Require",
        "verify-ca" => "VerifyCA",
        "verify-full" => "VerifyFull",
        _ => value,
    };

    /// <summary>libpq waits without limit for a negative connect_timeout; Timeout says that with 0 and rejects negatives.</summary>
    internal static string TranslateConnectTimeout(string value) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite,
            CultureInfo.InvariantCulture, out int seconds) && seconds < 0
            ? "0"
            : value;
}
