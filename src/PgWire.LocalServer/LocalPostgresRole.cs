namespace PgWire.LocalServer;

/// <summary>
/// The login roles every local cluster is created with: one per password authentication method
/// in pg_hba.conf, so the driver's authentication code is tested against a real server.
/// Names and passwords are in <see cref="LocalPostgresRoles"/>.
/// </summary>
public enum LocalPostgresRole
{
    /// <summary><c>postgres</c>, the superuser: <c>trust</c> over the Unix socket, <c>scram-sha-256</c> over TCP.</summary>
    Superuser,

    /// <summary><c>pgwire_scram</c>: <c>scram-sha-256</c>, password stored as a SCRAM secret.</summary>
    Scram,

    /// <summary><c>pgwire_md5</c>: <c>md5</c>, password stored as an MD5 hash.</summary>
    Md5,

    /// <summary><c>pgwire_password</c>: <c>password</c>, the password is sent in cleartext.</summary>
    Password,

    /// <summary><c>pgwire_trust</c>: <c>trust</c>, no password.</summary>
    Trust,

    /// <summary><c>pgwire_scram_nonascii</c>: <c>scram-sha-256</c> with a non-ASCII password, which exercises SASLprep.</summary>
    ScramNonAscii,

    /// <summary>
    /// <c>pgwire_cert</c>: <c>cert</c> over TLS, logging in with <see cref="LocalPostgresCertificates.ClientCertificateFile"/>
    /// and no password. Only a cluster started with <see cref="LocalPostgresOptions.Tls"/> lets it in.
    /// </summary>
    Cert,

    /// <summary>
    /// <c>pgwire_scram_tls</c>: <c>scram-sha-256</c> over TLS only (hostssl), rejected without TLS (hostnossl reject).
    /// Only a cluster started with <see cref="LocalPostgresOptions.Tls"/> lets it in.
    /// </summary>
    ScramTls,
}
