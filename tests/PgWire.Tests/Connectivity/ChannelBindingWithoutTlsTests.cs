using PgWire.LocalServer;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Connectivity;

/// <summary>
/// The shared cluster has no TLS: a connection that prefers TLS gets a plain one (the server answers 'N' to the
/// SSLRequest), so SCRAM runs without channel binding, and Channel Binding=Require must refuse that login.
/// </summary>
[Collection("Database")]
public sealed class ChannelBindingWithoutTlsTests(DatabaseFixture db)
{
    private string For(LocalPostgresRole role, string extra) =>
        new PgConnectionStringBuilder(db.Server.ConnectionStringFor(role)) { Pooling = false }.ConnectionString + ";" + extra;

    [Fact]
    public async Task SSL_Mode_Prefer_against_a_server_without_tls_connects_in_plain()
    {
        await using var conn = await db.OpenAsync(For(LocalPostgresRole.Scram, "SSL Mode=Prefer"));

        Assert.False(conn.IsSecure);
        Assert.False(await conn.QueryScalarAsync<bool>("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"));
    }

    [Fact]
    public async Task Channel_Binding_Prefer_against_a_server_without_tls_uses_plain_SCRAM_SHA_256()
    {
        await using var conn = await db.OpenAsync(For(LocalPostgresRole.Scram, "SSL Mode=Prefer;Channel Binding=Prefer"));

        Assert.Equal("SCRAM-SHA-256", conn.AuthenticationMechanism);
    }

    [Fact]
    public async Task Channel_Binding_Require_against_a_server_without_tls_fails_with_PgAuthenticationException()
    {
        await using var conn = new PgConnection(For(LocalPostgresRole.Scram, "SSL Mode=Prefer;Channel Binding=Require"));

        await Assert.ThrowsAsync<PgAuthenticationException>(() => conn.OpenAsync());
        Assert.Equal(System.Data.ConnectionState.Closed, conn.State);
    }

    [Fact]
    public async Task SSL_Mode_Require_against_a_server_without_tls_fails_with_PgConnectionException()
    {
        await using var conn = new PgConnection(For(LocalPostgresRole.Scram, "SSL Mode=Require"));

        await Assert.ThrowsAsync<PgConnectionException>(() => conn.OpenAsync());
        Assert.Equal(System.Data.ConnectionState.Closed, conn.State);
    }
}
