using System.Globalization;

namespace PgWire.LocalServer;

public sealed partial class LocalPostgres
{
    /// <summary>The certificate files of a cluster started with <see cref="LocalPostgresOptions.Tls"/>; null without TLS.</summary>
    public LocalPostgresCertificates? Certificates { get; private set; }

    /// <summary>
    /// An address a TLS cluster also listens on that its certificate does not name (127.0.0.2), for host-name
    /// check tests; null without TLS, and on systems other than Linux, whose loopback has no second address.
    /// pg_hba.conf lets every role in through it with scram-sha-256 (the password roles too: their lines name 127.0.0.1 only).
    /// </summary>
    public string? UncertifiedHost => Certificates is not null && ServerConfig.HasUncertifiedHost ? ServerConfig.UncertifiedHost : null;

    /// <summary>
    /// A connection string for <paramref name="role"/> over TLS that checks the server fully: <c>Host=localhost</c>,
    /// <c>SSL Mode=VerifyFull</c> (or <paramref name="sslMode"/>), <c>Root Certificate</c> the test authority, and for
    /// <see cref="LocalPostgresRole.Cert"/> also <c>SSL Certificate</c> and <c>SSL Key</c>. Npgsql's keywords.
    /// </summary>
    public string TlsConnectionStringFor(LocalPostgresRole role, string sslMode = "VerifyFull", string? database = null)
    {
        var certificates = Certificates ?? throw new InvalidOperationException("This cluster was started without LocalPostgresOptions.Tls.");
        var withClientCertificate = role == LocalPostgresRole.Cert;
        return ConnectionStrings.Build(
            ("Host", LocalPostgresCertificates.ServerHostName), ("Port", Port.ToString(CultureInfo.InvariantCulture)),
            ("Username", UserName(role)), ("Password", Password(role)), ("Database", database ?? "postgres"),
            ("SSL Mode", sslMode), ("Root Certificate", certificates.RootCertificateFile),
            ("SSL Certificate", withClientCertificate ? certificates.ClientCertificateFile : null),
            ("SSL Key", withClientCertificate ? certificates.ClientKeyFile : null));
    }

    private async Task CreateCertificatesAsync(CancellationToken cancellationToken)
    {
        var (certificates, serverFiles) = LocalPostgresCertificates.Create(Path.Combine(RootDirectory, "tls"), DataDirectory);
        // The server refuses a key file that is not its own user's (or root's with group access only).
        foreach (var file in serverFiles)
            await _runner.GiveToClusterUserAsync(file, async: true, cancellationToken).ConfigureAwait(false);
        Certificates = certificates;
    }
}
