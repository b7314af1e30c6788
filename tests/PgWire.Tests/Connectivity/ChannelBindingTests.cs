using PgWire.LocalServer;

namespace PgWire.Tests.Connectivity;

/// <summary>
/// Channel Binding = Disable | Prefer (default) | Require: over TLS a SCRAM role authenticates with
/// SCRAM-SHA-256-PLUS (tls-server-end-point), binding the login to this TLS session; Require refuses any
/// login that cannot be bound, as libpq does. PgConnection.AuthenticationMechanism names what was used.
/// </summary>
[Collection("Tls cluster")]
public sealed class ChannelBindingTests(TlsClusterFixture tls)
{
    [Fact]
    public async Task Over_tls_a_scram_role_authenticates_with_SCRAM_SHA_256_PLUS_by_default()
    {
        await using var conn = await tls.OpenAsync(tls.ConnectionString(LocalPostgresRole.Scram, "SSL Mode=Require"));

        Assert.Equal("SCRAM-SHA-256-PLUS", conn.AuthenticationMechanism);
    }

    [Fact]
    public async Task Channel_Binding_Require_over_tls_logs_a_scram_role_in_with_SCRAM_SHA_256_PLUS()
    {
        await using var conn = await tls.OpenAsync(tls.ConnectionString(LocalPostgresRole.Scram, "SSL Mode=Require;Channel Binding=Require"));

        Assert.Equal("SCRAM-SHA-256-PLUS", conn.AuthenticationMechanism);
        Assert.Equal(LocalPostgresRoles.ScramName, await conn.QueryScalarAsync<string>("SELECT current_user::text"));
    }

    [Fact]
    public async Task Channel_Binding_Require_with_full_verification_logs_the_tls_only_role_in()
    {
        await using var conn = await tls.OpenAsync(
            tls.LocalhostConnectionString(LocalPostgresRole.ScramTls, $"SSL Mode=VerifyFull;Root Certificate={tls.Certificates.RootCertificateFile};Channel Binding=Require"));

        Assert.Equal("SCRAM-SHA-256-PLUS", conn.AuthenticationMechanism);
        Assert.Equal(LocalPostgresRoles.ScramTlsName, await conn.QueryScalarAsync<string>("SELECT current_user::text"));
    }

    [Fact]
    public async Task Channel_Binding_Require_binds_a_non_ascii_password_login_too()
    {
        await using var conn = await tls.OpenAsync(tls.ConnectionString(LocalPostgresRole.ScramNonAscii, "SSL Mode=Require;Channel Binding=Require"));

        Assert.Equal("SCRAM-SHA-256-PLUS", conn.AuthenticationMechanism);
    }

    [Fact]
    public async Task Channel_Binding_Disable_over_tls_uses_plain_SCRAM_SHA_256()
    {
        await using var conn = await tls.OpenAsync(tls.ConnectionString(LocalPostgresRole.Scram, "SSL Mode=Require;Channel Binding=Disable"));

        Assert.Equal("SCRAM-SHA-256", conn.AuthenticationMechanism);
        Assert.True(await conn.QueryScalarAsync<bool>("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"));
    }

    [Fact]
    public async Task Without_tls_Channel_Binding_Prefer_falls_back_to_SCRAM_SHA_256()
    {
        await using var conn = await tls.OpenAsync(tls.ConnectionString(LocalPostgresRole.Scram, "SSL Mode=Disable;Channel Binding=Prefer"));

        Assert.Equal("SCRAM-SHA-256", conn.AuthenticationMechanism);
    }

    [Fact]
    public async Task Channel_Binding_Require_with_SSL_Mode_Disable_is_refused_without_logging_in()
    {
        // Refused either when the settings are read (a contradiction in the caller's own connection string) or when
        // the server asks for a password: both are fine, a login is not. Against a server without TLS, see
        // ChannelBindingWithoutTlsTests.
        await using var conn = new PgConnection(tls.ConnectionString(LocalPostgresRole.Scram, "SSL Mode=Disable;Channel Binding=Require"));

        var e = await Assert.ThrowsAnyAsync<Exception>(() => conn.OpenAsync());

        Assert.True(e is PgAuthenticationException or ArgumentException, e.ToString());
        Assert.Contains("channel binding", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(System.Data.ConnectionState.Closed, conn.State);
    }

    [Theory]
    [InlineData(LocalPostgresRole.Trust)]
    [InlineData(LocalPostgresRole.Md5)]
    [InlineData(LocalPostgresRole.Password)]
    public async Task Channel_Binding_Require_over_tls_refuses_a_login_the_server_does_not_bind(LocalPostgresRole role)
    {
        // A server that skips SCRAM (or a man in the middle posing as one) must not get past Require.
        await using var conn = new PgConnection(tls.ConnectionString(role, "SSL Mode=Require;Channel Binding=Require"));

        await Assert.ThrowsAsync<PgAuthenticationException>(() => conn.OpenAsync());
    }

    [Theory]
    [InlineData(LocalPostgresRole.Md5, "MD5")]
    [InlineData(LocalPostgresRole.Password, "cleartext")]
    [InlineData(LocalPostgresRole.Trust, "trust")]
    public async Task AuthenticationMechanism_names_the_method_the_server_asked_for(LocalPostgresRole role, string mechanism)
    {
        await using var conn = await tls.OpenAsync(tls.ConnectionString(role, "SSL Mode=Require"));

        Assert.Equal(mechanism, conn.AuthenticationMechanism);
    }
}
