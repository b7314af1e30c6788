using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PgWire.Auth;
using PgWire.Protocol.Frontend;

namespace PgWire.Connection;

internal sealed partial class Transport
{
    /// <summary>True when the connection runs over TLS.</summary>
    public bool IsSecure { get; set; }

    /// <summary>Forgets what an earlier connection attempt learned: a new one to <paramref name="host"/> starts.</summary>
    public void BeginConnect(PgHost host)
    {
        Host = host;
        IsSecure = false;
        ServerCertificateHash = null;
        ClientCertificateSent = false;
    }

    /// <summary>tls-server-end-point hash of the server's certificate, for SCRAM channel binding; null without TLS.</summary>
    public byte[]? ServerCertificateHash { get; private set; }

    /// <summary>True when a client certificate was offered in the TLS handshake.</summary>
    public bool ClientCertificateSent { get; private set; }

    public enum TlsOutcome
    {
        Tls,
        Plain,
        /// <summary>The server answered the SSLRequest with an error: it closes the socket, so reconnect without TLS.</summary>
        ReconnectPlain,
    }

    /// <summary>
    /// Sends SSLRequest and, on 'S', runs the TLS handshake over the socket. The one-byte answer is read straight
    /// from the socket: any byte after it and before the handshake was sent by someone else than a TLS peer (a
    /// man in the middle injecting plaintext that would otherwise be read as if it came through TLS,
    /// CVE-2021-23222), so the connection is refused.
    /// </summary>
    public async ValueTask<TlsOutcome> NegotiateTlsAsync(bool async, CancellationToken cancellationToken)
    {
        bool required = Settings.SslMode >= SslMode.Require;
        SSLRequest.Write(WriteBuffer);
        try
        {
            await FlushAsync(async, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            throw new PgConnectionException($"Sending the request for TLS to the server at {Host} failed: {e.Message}", e);
        }

        var answer = new byte[1];
        int read;
        try
        {
            read = async
                ? await _stream!.ReadAsync(answer, cancellationToken).ConfigureAwait(false)
                : _stream!.Read(answer);
        }
        catch (IOException e)
        {
            throw new PgConnectionException($"The server at {Host} closed the connection when asked for TLS: {e.Message}", e);
        }
        if (read == 0)
            throw new PgConnectionException($"The server at {Host} closed the connection when asked for TLS.");

        switch ((char)answer[0])
        {
            case 'S':
                if (_socket!.Available > 0)
                    throw new PgProtocolException(
                        $"The server at {Host} agreed to TLS but then sent {_socket.Available} unencrypted byte(s) before the TLS " +
                        "handshake. Something between client and server may be injecting data (CVE-2021-23222); the connection was refused.");
                await AuthenticateTlsAsync(async, cancellationToken).ConfigureAwait(false);
                return TlsOutcome.Tls;
            case 'N':
                if (required)
                    throw new PgConnectionException(
                        $"The server at {Host} does not accept TLS connections, but SSL Mode={Settings.SslMode} requires TLS. " +
                        "Turn on ssl in the server's postgresql.conf, or lower SSL Mode.");
                return TlsOutcome.Plain;
            case 'E':
                // A server too old for SSLRequest answers with an ErrorResponse. Its text is not shown: nothing has
                // authenticated the server yet, and anyone on the path could have written it.
                if (required)
                    throw new PgConnectionException(
                        $"The server at {Host} answered the request for TLS with an error instead of 'S' or 'N' (a server without TLS " +
                        $"support, or something else than PostgreSQL); SSL Mode={Settings.SslMode} requires TLS, so the connection was refused.");
                return TlsOutcome.ReconnectPlain;
            default:
                throw new PgProtocolException(
                    $"The server at {Host} answered the request for TLS with the byte 0x{answer[0]:X2}, which is not a PostgreSQL answer; " +
                    "the connection was refused.");
        }
    }

    private async ValueTask AuthenticateTlsAsync(bool async, CancellationToken cancellationToken)
    {
        string? failure = null;
        var roots = LoadRootCertificates();
        // Require with a root certificate file checks the chain as libpq does, unless Trust Server Certificate says not to.
        bool verify = Settings.SslMode >= SslMode.VerifyCA ||
                      (Settings.SslMode == SslMode.Require && roots is not null && !Settings.TrustServerCertificate);
        var revocation = verify && Settings.CheckCertificateRevocation ? X509RevocationMode.Online : X509RevocationMode.NoCheck;
        var clientCertificate = LoadClientCertificate();
        var ssl = new SslStream(_stream!, leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions
        {
            // The host name also goes out as SNI (not for IP addresses), so a proxy in front of several servers can route.
            TargetHost = Host.Name,
            CertificateRevocationCheckMode = revocation,
            ClientCertificates = clientCertificate is null ? null : new X509CertificateCollection { clientCertificate },
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            {
                if (!verify) return true;
                failure = CheckServerCertificate(certificate, chain, errors, roots);
                return failure is null;
            },
        };
        try
        {
            if (async) await ssl.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
            else ssl.AuthenticateAsClient(options);
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            _stream = null;
            throw new PgConnectionException(
                failure is not null
                    ? $"The TLS connection to {Host} was refused: {failure} (SSL Mode={Settings.SslMode})."
                    : $"The TLS handshake with {Host} failed: {e.Message}", e);
        }
        _stream = ssl;
        IsSecure = true;
        ClientCertificateSent = clientCertificate is not null;
        if (ssl.RemoteCertificate is { } remote)
        {
            using var certificate = new X509Certificate2(remote);
            ServerCertificateHash = ScramChannelBinding.TlsServerEndPointHash(certificate);
        }
    }

    /// <summary>Null when the server's certificate is acceptable; else why not, for the error message.</summary>
    private string? CheckServerCertificate(X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors,
        X509Certificate2Collection? roots)
    {
        if (certificate is null) return "the server sent no certificate";
        if (roots is not null)
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
            chain.ChainPolicy.RevocationMode = Settings.CheckCertificateRevocation ? X509RevocationMode.Online : X509RevocationMode.NoCheck;
            if (presented is not null)
                foreach (var element in presented.ChainElements)
                    chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            using var server = new X509Certificate2(certificate);
            if (!chain.Build(server))
            {
                string why = Why(chain.ChainStatus);
                return $"the server's certificate ({server.Subject}) is not trusted: it does not chain to a certificate authority in " +
                       $"the root certificate file {RootCertificatePath()}" + (why.Length > 0 ? $" ({why})" : "");
            }
        }
        else if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            string why = presented is null ? "" : Why(presented.ChainStatus);
            return $"the server's certificate ({certificate.Subject}) is not trusted by this machine's certificate store; give the " +
                   "server's certificate authority as Root Certificate" + (why.Length > 0 ? $" ({why})" : "");
        }
        if (Settings.SslMode == SslMode.VerifyFull && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            return $"the server's certificate ({certificate.Subject}) does not match the host name \"{Host.Name}\" connected to";
        return null;
    }

    /// <summary>What the chain's status says, with Check Certificate Revocation's part in it spelt out.</summary>
    private static string Why(X509ChainStatus[] status)
    {
        var reasons = status.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct().ToList();
        var flags = status.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
        if ((flags & X509ChainStatusFlags.Revoked) != 0)
            reasons.Insert(0, "a certificate of its chain was revoked");
        else if ((flags & (X509ChainStatusFlags.RevocationStatusUnknown | X509ChainStatusFlags.OfflineRevocation)) != 0)
            reasons.Insert(0, "its revocation could not be checked, which Check Certificate Revocation=true requires");
        return string.Join("; ", reasons);
    }

    /// <summary>Root Certificate (or PGSSLROOTCERT), else ~/.postgresql/root.crt when it exists, else null (the system's store).</summary>
    private string? RootCertificatePath()
    {
        if (!string.IsNullOrEmpty(Settings.RootCertificate)) return Settings.RootCertificate;
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string fallback = Path.Combine(home, ".postgresql", "root.crt");
        return home.Length > 0 && File.Exists(fallback) ? fallback : null;
    }

    private X509Certificate2Collection? LoadRootCertificates()
    {
        string? path = RootCertificatePath();
        if (path is null) return null;
        try
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(path);
            if (roots.Count == 0) throw new CryptographicException("the file holds no PEM certificate");
            return roots;
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new PgConnectionException($"The root certificate file \"{path}\" could not be read: {e.Message}", e);
        }
    }

    /// <summary>SSL Certificate and SSL Key (PEM), else ~/.postgresql/postgresql.crt and .key when both exist, else none.</summary>
    private X509Certificate2? LoadClientCertificate()
    {
        string? certPath = Settings.SslCertificate;
        string? keyPath = Settings.SslKey;
        if (string.IsNullOrEmpty(certPath))
        {
            string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            if (home.Length == 0) return null;
            certPath = Path.Combine(home, ".postgresql", "postgresql.crt");
            keyPath = Path.Combine(home, ".postgresql", "postgresql.key");
            if (!File.Exists(certPath) || !File.Exists(keyPath)) return null;
        }
        try
        {
            var certificate = string.IsNullOrEmpty(Settings.SslPassword)
                ? X509Certificate2.CreateFromPemFile(certPath, keyPath)
                : X509Certificate2.CreateFromEncryptedPemFile(certPath, Settings.SslPassword, keyPath);
            if (OperatingSystem.IsWindows())
            {
                // SChannel cannot use an ephemeral key: round-trip through PKCS#12.
                using (certificate)
                    return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
            }
            return certificate;
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new PgConnectionException(
                $"The client certificate \"{certPath}\" with key \"{keyPath ?? certPath}\" could not be loaded: {e.Message}", e);
        }
    }
}
