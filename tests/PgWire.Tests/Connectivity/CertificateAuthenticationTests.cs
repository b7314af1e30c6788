using PgWire.LocalServer;

namespace PgWire.Tests.Connectivity;

/// <summary>
/// pg_hba's <c>cert</c> method: pgwire_cert logs in with the client certificate (SSL Certificate, SSL Key) whose
/// CN is its name, and no password. The server checks the certificate against the test authority.
/// </summary>
[Collection("Tls cluster")]
public sealed class CertificateAuthenticationTests(TlsClusterFixture tls)
{
    private string Verified => $"SSL Mode=VerifyFull;Root Certificate={tls.Certificates.RootCertificateFile}";

    private string ClientCertificate => $"SSL Certificate={tls.Certificates.ClientCertificateFile};SSL Key={tls.Certificates.ClientKeyFile}";

    [Fact]
    public async Task The_cert_role_logs_in_with_its_client_certificate_and_no_password()
    {
        await using var conn = await tls.OpenAsync(tls.LocalhostConnectionString(LocalPostgresRole.Cert, $"{Verified};{ClientCertificate}"));

        Assert.Equal(LocalPostgresRoles.CertName, await conn.QueryScalarAsync<string>("SELECT current_user::text"));
        Assert.Equal("cert", conn.AuthenticationMechanism);
    }

    [Fact]
    public async Task The_server_sees_the_client_certificate_the_connection_presented()
    {
        await using var conn = await tls.OpenAsync(tls.LocalhostConnectionString(LocalPostgresRole.Cert, $"{Verified};{ClientCertificate}"));

        var clientDn = await conn.QueryScalarAsync<string>("SELECT client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
        Assert.Contains("CN=" + LocalPostgresRoles.CertName, clientDn, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_shared_connection_string_helper_logs_the_cert_role_in()
    {
        await using var conn = await tls.OpenAsync(tls.Server.TlsConnectionStringFor(LocalPostgresRole.Cert) + ";Pooling=false");

        Assert.Equal(LocalPostgresRoles.CertName, await conn.QueryScalarAsync<string>("SELECT current_user::text"));
    }

    [Fact]
    public async Task The_synchronous_Open_presents_the_client_certificate_too()
    {
        using var conn = new PgConnection(tls.LocalhostConnectionString(LocalPostgresRole.Cert, $"{Verified};{ClientCertificate}"));
        conn.Open();

        using var cmd = new PgCommand("SELECT current_user::text", conn);
        Assert.Equal(LocalPostgresRoles.CertName, cmd.ExecuteScalar());
    }

    [Fact]
    public async Task Without_a_client_certificate_the_cert_role_is_refused_by_the_server_with_sqlstate_28000()
    {
        await using var conn = new PgConnection(tls.LocalhostConnectionString(LocalPostgresRole.Cert, Verified));

        var e = await Assert.ThrowsAsync<PgServerException>(() => conn.OpenAsync());

        Assert.Equal(PgErrorCodes.InvalidAuthorizationSpecification, e.SqlState);
    }

    [Fact]
    public async Task A_client_certificate_from_an_authority_the_server_does_not_trust_is_refused()
    {
        await using var conn = new PgConnection(tls.LocalhostConnectionString(LocalPostgresRole.Cert,
            $"{Verified};SSL Certificate={tls.Certificates.UntrustedClientCertificateFile};SSL Key={tls.Certificates.UntrustedClientKeyFile}"));

        // The server ends the handshake (or the session right after it, under TLS 1.3) with an alert.
        await Assert.ThrowsAnyAsync<PgException>(() => conn.OpenAsync());
        Assert.Equal(System.Data.ConnectionState.Closed, conn.State);
    }

    [Fact]
    public async Task A_password_role_that_also_presents_a_certificate_logs_in_with_its_password()
    {
        await using var conn = await tls.OpenAsync(tls.LocalhostConnectionString(LocalPostgresRole.Scram, $"{Verified};{ClientCertificate}"));

        Assert.Equal(LocalPostgresRoles.ScramName, await conn.QueryScalarAsync<string>("SELECT current_user::text"));
        Assert.Contains("CN=" + LocalPostgresRoles.CertName,
            await conn.QueryScalarAsync<string>("SELECT client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_SSL_Key_file_fails_with_a_message_naming_the_file()
    {
        var missing = Path.Combine(tls.Certificates.Directory, "no-such.key");
        await using var conn = new PgConnection(tls.LocalhostConnectionString(LocalPostgresRole.Cert,
            $"{Verified};SSL Certificate={tls.Certificates.ClientCertificateFile};SSL Key={missing}"));

        // A PgConnectionException or an ArgumentException (the caller's own mistake) would both do.
        var e = await Assert.ThrowsAnyAsync<Exception>(() => conn.OpenAsync());

        Assert.Contains("no-such.key", e.Message, StringComparison.Ordinal);
    }
}
