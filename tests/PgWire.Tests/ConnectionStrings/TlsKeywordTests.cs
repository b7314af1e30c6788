using PgWire.LocalServer;
using PgWire.Tests.Connectivity;

namespace PgWire.Tests.ConnectionStrings;

/// <summary>
/// Trust Server Certificate and Check Certificate Revocation against the TLS cluster, whose certificates come from a
/// test authority that publishes no revocation list.
/// </summary>
[Collection("Tls cluster")]
public sealed class TlsKeywordTests(TlsClusterFixture tls)
{
    private const string SslInUse = "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()";

    private string Root => $"Root Certificate={tls.Certificates.RootCertificateFile}";

    private string UntrustedRoot => $"Root Certificate={tls.Certificates.UntrustedRootCertificateFile}";

    [Fact]
    public async Task Trust_Server_Certificate_with_SSL_Mode_Require_skips_the_check_a_root_certificate_would_make()
    {
        // Without the keyword this root file makes Require check the chain, and the chain does not lead to it.
        await using var refused = new PgConnection(tls.ConnectionString(LocalPostgresRole.Scram, $"SSL Mode=Require;{UntrustedRoot}"));
        await Assert.ThrowsAsync<PgConnectionException>(() => refused.OpenAsync());

        await using var conn = await tls.OpenAsync(
            tls.ConnectionString(LocalPostgresRole.Scram, $"SSL Mode=Require;{UntrustedRoot};Trust Server Certificate=true"));

        Assert.True(await conn.QueryScalarAsync<bool>(SslInUse));
        Assert.True(conn.IsSecure);
    }

    [Fact]
    public async Task Trust_Server_Certificate_false_leaves_SSL_Mode_Require_checking_against_the_root_certificate()
    {
        await using var conn = new PgConnection(
            tls.ConnectionString(LocalPostgresRole.Scram, $"SSL Mode=Require;{UntrustedRoot};Trust Server Certificate=false"));

        var e = await Assert.ThrowsAsync<PgConnectionException>(() => conn.OpenAsync());

        Assert.Contains("not trusted", e.Message);
    }

    [Fact]
    public async Task Check_Certificate_Revocation_refuses_a_certificate_whose_revocation_cannot_be_checked()
    {
        // The same connection opens without the keyword: only the revocation check can refuse it.
        await using (await tls.OpenAsync(tls.ConnectionString(LocalPostgresRole.Scram, $"SSL Mode=VerifyCA;{Root}"))) { }

        await using var conn = new PgConnection(
            tls.ConnectionString(LocalPostgresRole.Scram, $"SSL Mode=VerifyCA;{Root};Check Certificate Revocation=true"));

        var e = await Assert.ThrowsAsync<PgConnectionException>(() => conn.OpenAsync());

        Assert.Contains("not trusted", e.Message);
        Assert.Contains("revocation", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Check_Certificate_Revocation_does_nothing_where_the_certificate_is_not_checked()
    {
        await using var conn = await tls.OpenAsync(
            tls.ConnectionString(LocalPostgresRole.Scram, "SSL Mode=Require;Check Certificate Revocation=true"));

        Assert.True(await conn.QueryScalarAsync<bool>(SslInUse));
    }
}
