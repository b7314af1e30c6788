namespace PgWire.LocalServer;

/// <summary>The names and passwords of the <see cref="LocalPostgresRole"/> roles, the same in every local cluster.</summary>
public static class LocalPostgresRoles
{
    /// <summary>The superuser's name.</summary>
    public const string SuperuserName = "postgres";

    /// <summary>The superuser's password (needed over TCP only; the Unix socket trusts the superuser).</summary>
    public const string SuperuserPassword = "postgres";

    /// <summary>The <see cref="LocalPostgresRole.Scram"/> role's name.</summary>
    public const string ScramName = "pgwire_scram";

    /// <summary>The <see cref="LocalPostgresRole.Scram"/> role's password.</summary>
    public const string ScramPassword = "scram_pw";

    /// <summary>The <see cref="LocalPostgresRole.Md5"/> role's name.</summary>
    public const string Md5Name = "pgwire_md5";

    /// <summary>The <see cref="LocalPostgresRole.Md5"/> role's password.</summary>
    public const string Md5Password = "md5_pw";

    /// <summary>The <see cref="LocalPostgresRole.Password"/> role's name (the pg_hba <c>password</c> method).</summary>
    public const string CleartextName = "pgwire_password";

    /// <summary>The <see cref="LocalPostgresRole.Password"/> role's password.</summary>
    public const string CleartextPassword = "cleartext_pw";

    /// <summary>The <see cref="LocalPostgresRole.Trust"/> role's name; it has no password.</summary>
    public const string TrustName = "pgwire_trust";

    /// <summary>The <see cref="LocalPostgresRole.ScramNonAscii"/> role's name.</summary>
    public const string ScramNonAsciiName = "pgwire_scram_nonascii";

    /// <summary>
    /// The <see cref="LocalPostgresRole.ScramNonAscii"/> role's password, "pässwörd€ℌ".
    /// ℌ (U+210C) becomes H under NFKC, so a client that skips SASLprep computes the wrong proof.
    /// </summary>
    public const string ScramNonAsciiPassword = "p\u00E4ssw\u00F6rd\u20AC\u210C";

    /// <summary>The <see cref="LocalPostgresRole.Cert"/> role's name, also the CN of the client certificate; it has no password.</summary>
    public const string CertName = "pgwire_cert";

    /// <summary>The <see cref="LocalPostgresRole.ScramTls"/> role's name.</summary>
    public const string ScramTlsName = "pgwire_scram_tls";

    /// <summary>The <see cref="LocalPostgresRole.ScramTls"/> role's password.</summary>
    public const string ScramTlsPassword = "scram_tls_pw";

    /// <summary>Every role, in declaration order.</summary>
    public static IReadOnlyList<LocalPostgresRole> All { get; } = Enum.GetValues<LocalPostgresRole>();

    /// <summary>The role's login name.</summary>
    public static string UserName(LocalPostgresRole role) => role switch
    {
        LocalPostgresRole.Superuser => SuperuserName,
        LocalPostgresRole.Scram => ScramName,
        LocalPostgresRole.Md5 => Md5Name,
        LocalPostgresRole.Password => CleartextName,
        LocalPostgresRole.Trust => TrustName,
        LocalPostgresRole.ScramNonAscii => ScramNonAsciiName,
        LocalPostgresRole.Cert => CertName,
        LocalPostgresRole.ScramTls => ScramTlsName,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    /// <summary>The role's password, or null for <see cref="LocalPostgresRole.Trust"/> and <see cref="LocalPostgresRole.Cert"/>.</summary>
    public static string? Password(LocalPostgresRole role) => role switch
    {
        LocalPostgresRole.Superuser => SuperuserPassword,
        LocalPostgresRole.Scram => ScramPassword,
        LocalPostgresRole.Md5 => Md5Password,
        LocalPostgresRole.Password => CleartextPassword,
        LocalPostgresRole.Trust => null,
        LocalPostgresRole.ScramNonAscii => ScramNonAsciiPassword,
        LocalPostgresRole.Cert => null,
        LocalPostgresRole.ScramTls => ScramTlsPassword,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    /// <summary>The pg_hba.conf method the role authenticates with over TCP.</summary>
    internal static string HostAuthMethod(LocalPostgresRole role) => role switch
    {
        LocalPostgresRole.Md5 => "md5",
        LocalPostgresRole.Password => "password",
        LocalPostgresRole.Trust => "trust",
        LocalPostgresRole.Cert => "cert",
        _ => "scram-sha-256",
    };
}
