using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using PgWire.LocalServer;

namespace PgWire.Tests.Connectivity;

/// <summary>
/// The TLS cluster itself, checked without the driver under test: .NET's own chain building, a bare SslStream
/// after an SSLRequest, and libpq's psql. If these fail, the driver's TLS tests say nothing.
/// </summary>
[Collection("Tls cluster")]
public sealed class LocalServerTlsTests(TlsClusterFixture tls)
{
    private const int SslRequestCode = 80877103;

    private LocalPostgresCertificates Files => tls.Certificates;

    [Fact]
    public async Task The_server_runs_with_ssl_on()
    {
        Assert.Equal("on", (await tls.Server.RunSqlAsync("SHOW ssl")).Trim());
    }

    [Fact]
    public void The_server_certificate_chains_to_the_test_authority()
    {
        using var server = LocalPostgresCertificates.LoadCertificate(Files.ServerCertificateFile);
        using var root = LocalPostgresCertificates.LoadCertificate(Files.RootCertificateFile);

        Assert.True(BuildChain(server, root, out var status), status);
    }

    [Fact]
    public void The_server_certificate_does_not_chain_to_the_untrusted_authority()
    {
        using var server = LocalPostgresCertificates.LoadCertificate(Files.ServerCertificateFile);
        using var untrusted = LocalPostgresCertificates.LoadCertificate(Files.UntrustedRootCertificateFile);

        Assert.False(BuildChain(server, untrusted, out _));
    }

    [Fact]
    public void The_server_certificate_names_localhost_and_127_0_0_1_but_not_the_uncertified_address()
    {
        using var server = LocalPostgresCertificates.LoadCertificate(Files.ServerCertificateFile);

        Assert.Equal("localhost", server.GetNameInfo(X509NameType.SimpleName, forIssuer: false));
        Assert.True(server.MatchesHostname("localhost"));
        Assert.True(server.MatchesHostname("127.0.0.1"));
        Assert.NotNull(tls.Server.UncertifiedHost);
        Assert.False(server.MatchesHostname(tls.Server.UncertifiedHost!));
    }

    [Fact]
    public void The_client_certificate_is_issued_to_pgwire_cert_by_the_test_authority_and_loads_with_its_key()
    {
        using var client = Files.LoadClientCertificate();
        using var root = LocalPostgresCertificates.LoadCertificate(Files.RootCertificateFile);

        Assert.True(client.HasPrivateKey);
        Assert.Equal(LocalPostgresRoles.CertName, client.GetNameInfo(X509NameType.SimpleName, forIssuer: false));
        Assert.True(BuildChain(client, root, out var status), status);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_client_key_files_are_readable_by_their_owner_only()
    {
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Files.ClientKeyFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Files.UntrustedClientKeyFile));
    }

    [Fact]
    public async Task The_server_answers_an_SSLRequest_with_S_and_presents_the_server_certificate()
    {
        using var expected = LocalPostgresCertificates.LoadCertificate(Files.ServerCertificateFile);
        using var root = LocalPostgresCertificates.LoadCertificate(Files.RootCertificateFile);
        SslPolicyErrors errors = SslPolicyErrors.None;
        byte[]? presented = null;

        await using (var stream = await OpenSslStreamAsync(tls.Server.Host, (_, certificate, _, policyErrors) =>
        {
            presented = certificate?.GetRawCertData();
            errors = policyErrors;
            return true;
        }, LocalPostgresCertificates.ServerHostName))
        {
            Assert.True(stream.IsAuthenticated);
            Assert.True(stream.IsEncrypted);
        }

        Assert.Equal(expected.RawData, presented);
        // Only the chain is unknown to the machine's store; the name checked out.
        Assert.Equal(SslPolicyErrors.None, errors & SslPolicyErrors.RemoteCertificateNameMismatch);
    }

    [Fact]
    public async Task Through_the_uncertified_address_the_same_certificate_fails_the_host_name_check()
    {
        SslPolicyErrors errors = SslPolicyErrors.None;

        await using (var stream = await OpenSslStreamAsync(tls.Server.UncertifiedHost!, (_, _, _, policyErrors) =>
        {
            errors = policyErrors;
            return true;
        }, tls.Server.UncertifiedHost!))
        {
            Assert.True(stream.IsAuthenticated);
        }

        Assert.True(errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch), errors.ToString());
    }

    [Fact]
    public async Task Psql_logs_in_as_pgwire_cert_with_its_client_certificate_and_full_verification()
    {
        var result = await PsqlAsync(
            $"host=localhost port={tls.Server.Port} dbname=postgres user={LocalPostgresRoles.CertName} sslmode=verify-full " +
            $"sslrootcert={Files.RootCertificateFile} sslcert={Files.ClientCertificateFile} sslkey={Files.ClientKeyFile}",
            "SELECT current_user || ',' || ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal($"{LocalPostgresRoles.CertName},true", result.Output.Trim());
    }

    [Fact]
    public async Task Psql_as_pgwire_cert_with_a_certificate_from_the_untrusted_authority_is_refused()
    {
        var result = await PsqlAsync(
            $"host=localhost port={tls.Server.Port} dbname=postgres user={LocalPostgresRoles.CertName} sslmode=require " +
            $"sslcert={Files.UntrustedClientCertificateFile} sslkey={Files.UntrustedClientKeyFile}",
            "SELECT 1");

        Assert.NotEqual(0, result.ExitCode);
    }

    [Fact]
    public async Task Psql_as_pgwire_scram_tls_logs_in_over_tls_and_is_rejected_without_it()
    {
        var conninfo = $"host=127.0.0.1 port={tls.Server.Port} dbname=postgres user={LocalPostgresRoles.ScramTlsName} password={LocalPostgresRoles.ScramTlsPassword}";

        var withTls = await PsqlAsync(conninfo + " sslmode=require", "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
        var withoutTls = await PsqlAsync(conninfo + " sslmode=disable", "SELECT 1");

        Assert.True(withTls.ExitCode == 0, withTls.Error);
        Assert.Equal("t", withTls.Output.Trim());
        Assert.NotEqual(0, withoutTls.ExitCode);
        Assert.Contains("no encryption", withoutTls.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Psql_as_a_password_role_logs_in_both_with_and_without_tls()
    {
        var conninfo = $"host=127.0.0.1 port={tls.Server.Port} dbname=postgres user={LocalPostgresRoles.ScramName} password={LocalPostgresRoles.ScramPassword}";
        const string sql = "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()";

        var withTls = await PsqlAsync(conninfo + " sslmode=require", sql);
        var withoutTls = await PsqlAsync(conninfo + " sslmode=disable", sql);

        Assert.Equal("t", withTls.Output.Trim());
        Assert.Equal("f", withoutTls.Output.Trim());
    }

    private static bool BuildChain(X509Certificate2 leaf, X509Certificate2 root, out string status)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        var built = chain.Build(leaf);
        status = string.Join("; ", chain.ChainStatus.Select(s => $"{s.Status}: {s.StatusInformation}"));
        return built;
    }

    /// <summary>SSLRequest (protocol section 53.2.10), then a TLS handshake on the same socket.</summary>
    private async Task<SslStream> OpenSslStreamAsync(string address, RemoteCertificateValidationCallback validate, string targetHost)
    {
        var client = new TcpClient();
        await client.ConnectAsync(address, tls.Server.Port);
        var network = client.GetStream();
        var request = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(request, 8);
        BinaryPrimitives.WriteInt32BigEndian(request.AsSpan(4), SslRequestCode);
        await network.WriteAsync(request);
        var answer = new byte[1];
        await network.ReadExactlyAsync(answer);
        Assert.Equal((byte)'S', answer[0]);

        var ssl = new SslStream(network, leaveInnerStreamOpen: false, validate);
        await ssl.AuthenticateAsClientAsync(targetHost);
        return ssl;
    }

    private async Task<(int ExitCode, string Output, string Error)> PsqlAsync(string conninfo, string sql)
    {
        var startInfo = new ProcessStartInfo(Path.Combine(tls.Server.BinDirectory, "psql"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["-X", "-A", "-t", "-w", "-d", conninfo, "-c", sql])
            startInfo.ArgumentList.Add(argument);
        foreach (var name in startInfo.Environment.Keys.Where(k => k.StartsWith("PG", StringComparison.Ordinal)).ToList())
            startInfo.Environment.Remove(name);
        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }
}
