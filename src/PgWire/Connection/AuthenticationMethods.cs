namespace PgWire.Connection;

/// <summary>
/// The authentication requests a server can make, as Require Auth names them (libpq's require_auth, PostgreSQL 16).
/// </summary>
[Flags]
internal enum AuthenticationMethods
{
    /// <summary>"none": the server asks for nothing (trust, or a TLS client certificate alone).</summary>
    NoExchange = 1,
    /// <summary>A cleartext password.</summary>
    Password = 2,
    MD5 = 4,
    GSS = 8,
    SSPI = 16,
    /// <summary>SCRAM-SHA-256, with or without channel binding.</summary>
    ScramSha256 = 32,
    All = NoExchange | Password | MD5 | GSS | SSPI | ScramSha256,
}

/// <summary>Reads Require Auth: the methods allowed, or, each prefixed with '!', the methods refused.</summary>
internal static class AuthenticationMethodsParser
{
    public static AuthenticationMethods Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return AuthenticationMethods.All;
        var parts = value.Split(',', StringSplitOptions.TrimEntries);
        bool refusing = parts[0].StartsWith('!');
        var named = (AuthenticationMethods)0;
        foreach (string part in parts)
        {
            if (part.StartsWith('!') != refusing)
                throw new ArgumentException(
                    $"Require Auth={value} mixes methods allowed and methods refused; list either the methods allowed, or the methods refused each with '!'.");
            string name = part.TrimStart('!').Trim();
            named |= Method(name) ?? throw new ArgumentException(
                $"Require Auth={value}: '{name}' is not an authentication method; use Password, MD5, ScramSHA256, GSS, SSPI or None " +
                "(libpq's spellings, such as scram-sha-256, work too).");
        }
        var allowed = refusing ? AuthenticationMethods.All & ~named : named;
        return allowed != 0
            ? allowed
            : throw new ArgumentException($"Require Auth={value} refuses every authentication method, so no connection could open.");
    }

    private static AuthenticationMethods? Method(string name) =>
        name.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToLowerInvariant() switch
        {
            "none" => AuthenticationMethods.NoExchange,
            "password" => AuthenticationMethods.Password,
            "md5" => AuthenticationMethods.MD5,
            "gss" => AuthenticationMethods.GSS,
            "sspi" => AuthenticationMethods.SSPI,
            "scramsha256" => AuthenticationMethods.ScramSha256,
            _ => null,
        };
}
