using System.Text.RegularExpressions;
using PgWire.LocalServer;

namespace PgWire.Tests.Connectivity;

/// <summary>
/// SSL Mode with libpq's meaning against a server with TLS on: Disable, Allow, Prefer (the default), Require,
/// VerifyCA and VerifyFull, with Root Certificate naming the authority to trust. Whether a session really
/// runs over TLS is the server's word: pg_stat_ssl.
/// </summary>
[Collection("Tls cluster")]
public sealed class TlsTests(TlsClusterFixture tls)
{
    private const string SslInUse = "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()";

    private string Root => $"Root Certificate={tls.Certificates.RootCertificateFile}";

    private string UntrustedRoot => $"Root Certificate={tls.Certificates.UntrustedRootCertificateFile}";

    [Fact]
    public async Task SSL_Mode_Disable_connects_without_tls()
    {
        await using var conn = await tls.OpenAsync(tls.ConnectionString(LocalPostgresRole.Scram, "SSL Mode=Disable"));

        Assert.False(await conn.QueryScalarAsync<bool>(SslInUse));
        Assert.False(conn.IsSecure);
    }

    [Fact]
    public async Task Without_an_SSL_Mode_the_connection_prefers_tls_and_gets_it_from_a_server_that_offers_it()
    {
        await using var conn = await tls.OpenAsync(tls.ConnectionString(LocalPostgresRole.Scram, ""));

        Assert.True(await conn.QueryScalarAsync<bool>(SslInUse));
        Assert.True(conn.IsSecure);
    }

    [Fact]
    public async Task SSL_Mode_Prefer_uses_tls_when_the_server_offers_it()
    {
        await using var conn = await tls.OpenAsync(tls.ConnectionString(LocalPostgresRole.Scram, "SSL Mode=Prefer"));

        Assert.True(await conn.QueryScalarAsync<bool>(SslInUse));
    }

    [Fact]
    public async Task SSL_Mode_Prefer_does_not_check_the_certificate_of_a_server_signed_by_an_unknown_authority()
    {
        // The test authority is in no system store: a check would have failed.
        await using var conn = await tls.OpenAsync(tls.ConnectionString(LocalPostgresRole.Scram, "SSL Mode=Prefer"));

        Assert.Equal(LocalPostgresRoles.ScramName, await conn.QueryScalarAsync<string>("SELECT current_user::text"));
    }

    [Fact]
    public async Task SSL_Mode_Require_uses_tls_without_checking_the_certificate()
    {
        await using var conn = await tls.OpenAsync(tls.ConnectionString(LocalPostgresRole.Scram, "SSL Mode=Require"));

        Assert.True(await conn.QueryScalarAsync<bool>(SslInUse));
        Assert.True(conn.IsSecure);
    }

    [Fact]
    public async Task SSL_Mode_Require_with_a_Root_Certificate_checks_the_chain_like_VerifyCA_and_passes_for_the_right_authority()
    {
        await using var conn = await tls.OpenAsync(tls.ConnectionString(LocalPostgresRole.Scram, $"SSL Mode=Require;{Root}"));

        Assert.True(await conn.QueryScalarAsync<bool>(SslInUse));
    }

    [Fact]
    public async Task SSL_Mode_Require_with_an_untrusted_Root_Certificate_fails_like_VerifyCA()
    {
        await using var conn = new PgConnection(tls.ConnectionString(LocalPostgresRole.Scram, $"SSL Mode=Require;{UntrustedRoot}"));

        var e = await Assert.ThrowsAsync<PgConnectionException>(() => conn.OpenAsync());

        AssertUntrustedChainMessage(e);
    }

    [Fact]
    public async Task SSL_Mode_Allow_tries_without_tls_first_and_stays_there_when_the_server_lets_it()
    {
        await using var conn = await tls.OpenAsync(tls.ConnectionString(LocalPostgresRole.Scram, "SSL Mode=Allow"));

        Assert.False(await conn.QueryScalarAsync<bool>(SslInUse));
    }

    [Fact]
    public async Task SSL_Mode_Allow_retries_with_tls_when_pg_hba_rejects_the_plain_connection()
    {
        // pgwire_scram_tls: hostnossl ... reject, hostssl ... scram-sha-256.
        await using var conn = await tls.OpenAsync(tls.ConnectionString(LocalPostgresRole.ScramTls, "SSL Mode=Allow"));

        Assert.True(await conn.QueryScalarAsync<bool>(SslInUse));
        Assert.Equal(LocalPostgresRoles.ScramTlsName, await conn.QueryScalarAsync<string>("SELECT current_user::text"));
    }

    [Fact]
    public async Task SSL_Mode_Prefer_logs_a_tls_only_role_in()
    {
        await using var conn = await tls.OpenAsync(tls.ConnectionString(LocalPostgresRole.ScramTls, "SSL Mode=Prefer"));

        Assert.Equal(LocalPostgresRoles.ScramTlsName, await conn.QueryScalarAsync<string>("SELECT current_user::text"));
    }

    [Fact]
    public async Task SSL_Mode_Disable_for_a_tls_only_role_is_rejected_by_pg_hba_with_sqlstate_28000()
    {
        await using var conn = new PgConnection(tls.ConnectionString(LocalPostgresRole.ScramTls, "SSL Mode=Disable"));

        var e = await Assert.ThrowsAsync<PgServerException>(() => conn.OpenAsync());

        Assert.Equal(PgErrorCodes.InvalidAuthorizationSpecification, e.SqlState);
    }

    [Fact]
    public async Task SSL_Mode_VerifyCA_with_the_right_Root_Certificate_connects_over_tls()
    {
        await using var conn = await tls.OpenAsync(tls.ConnectionString(LocalPostgresRole.Scram, $"SSL Mode=VerifyCA;{Root}"));

        Assert.True(await conn.QueryScalarAsync<bool>(SslInUse));
    }

    [Fact]
    public async Task SSL_Mode_VerifyCA_does_not_check_the_host_name()
    {
        var host = tls.Server.UncertifiedHost!;
        await using var conn = await tls.OpenAsync(tls.ConnectionString(LocalPostgresRole.Scram, $"SSL Mode=VerifyCA;{Root}", host));

        Assert.Equal(host, await conn.QueryScalarAsync<string>("SELECT host(inet_server_addr())"));
        Assert.True(await conn.QueryScalarAsync<bool>(SslInUse));
    }

    [Fact]
    public async Task SSL_Mode_VerifyCA_with_an_untrusted_Root_Certificate_fails_with_a_message_about_the_certificate_chain()
    {
        await using var conn = new PgConnection(tls.ConnectionString(LocalPostgresRole.Scram, $"SSL Mode=VerifyCA;{UntrustedRoot}"));

        var e = await Assert.ThrowsAsync<PgConnectionException>(() => conn.OpenAsync());

        AssertUntrustedChainMessage(e);
    }

    [Fact]
    public async Task SSL_Mode_VerifyFull_without_a_Root_Certificate_does_not_trust_the_test_authority()
    {
        await using var conn = new PgConnection(tls.LocalhostConnectionString(LocalPostgresRole.Scram, "SSL Mode=VerifyFull"));

        await Assert.ThrowsAsync<PgConnectionException>(() => conn.OpenAsync());
    }

    [Fact]
    public async Task SSL_Mode_VerifyFull_connects_to_localhost_the_name_in_the_certificate()
    {
        await using var conn = await tls.OpenAsync(tls.LocalhostConnectionString(LocalPostgresRole.Scram, $"SSL Mode=VerifyFull;{Root}"));

        Assert.True(await conn.QueryScalarAsync<bool>(SslInUse));
        Assert.True(conn.IsSecure);
    }

    [Fact]
    public async Task SSL_Mode_VerifyFull_connects_to_127_0_0_1_an_address_in_the_certificate()
    {
        await using var conn = await tls.OpenAsync(tls.ConnectionString(LocalPostgresRole.Scram, $"SSL Mode=VerifyFull;{Root}"));

        Assert.True(await conn.QueryScalarAsync<bool>(SslInUse));
    }

    [Fact]
    public async Task SSL_Mode_VerifyFull_to_an_address_the_certificate_does_not_name_fails_with_a_host_name_message()
    {
        await using var conn = new PgConnection(tls.ConnectionString(LocalPostgresRole.Scram, $"SSL Mode=VerifyFull;{Root}", tls.Server.UncertifiedHost));

        var e = await Assert.ThrowsAsync<PgConnectionException>(() => conn.OpenAsync());

        Assert.Contains("host name", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SSL_Mode_VerifyFull_with_an_untrusted_Root_Certificate_fails_with_a_message_about_the_certificate_chain()
    {
        await using var conn = new PgConnection(tls.LocalhostConnectionString(LocalPostgresRole.Scram, $"SSL Mode=VerifyFull;{UntrustedRoot}"));

        var e = await Assert.ThrowsAsync<PgConnectionException>(() => conn.OpenAsync());

        AssertUntrustedChainMessage(e);
        Assert.Equal(System.Data.ConnectionState.Closed, conn.State);
    }

    [Fact]
    public void The_synchronous_Open_verifies_and_uses_tls_too()
    {
        using var conn = new PgConnection(tls.LocalhostConnectionString(LocalPostgresRole.Scram, $"SSL Mode=VerifyFull;{Root}"));
        conn.Open();

        using var cmd = new PgCommand(SslInUse, conn);
        Assert.Equal(true, cmd.ExecuteScalar());
    }

    [Fact]
    public async Task A_result_larger_than_many_tls_records_arrives_intact()
    {
        await using var conn = await tls.OpenAsync(tls.LocalhostConnectionString(LocalPostgresRole.Scram, $"SSL Mode=VerifyFull;{Root}"));

        var text = await conn.QueryScalarAsync<string>("SELECT string_agg(i::text, ',') FROM generate_series(1, 200000) AS i");
        var echoed = await conn.QueryScalarAsync<string>("SELECT $1::text", text!);

        Assert.Equal(string.Join(',', Enumerable.Range(1, 200000)), text);
        Assert.Equal(text, echoed);
    }

    [Fact]
    public async Task A_command_timeout_over_tls_cancels_the_query_and_the_connection_stays_usable()
    {
        await using var conn = await tls.OpenAsync(
            tls.LocalhostConnectionString(LocalPostgresRole.ScramTls, $"SSL Mode=VerifyFull;{Root};Command Timeout=1"));
        var pid = conn.ProcessId;

        var e = await Assert.ThrowsAnyAsync<PgException>(() => conn.QueryScalarAsync<int>("SELECT 1 FROM pg_sleep(30)").AsTask());

        Assert.Equal(PgErrorCodes.QueryCanceled, e.SqlState);
        Assert.Equal(pid, await conn.QueryScalarAsync<int>("SELECT pg_backend_pid()"));
    }

    private static void AssertUntrustedChainMessage(PgConnectionException e) =>
        Assert.Matches(new Regex("certificate.*(trust|chain)|(trust|chain).*certificate", RegexOptions.IgnoreCase | RegexOptions.Singleline), e.Message);
}
