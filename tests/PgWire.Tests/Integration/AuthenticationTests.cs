using PgWire.LocalServer;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Integration;

/// <summary>Each password method of pg_hba.conf against the real server, and what a failed login looks like.</summary>
[Collection("Database")]
public sealed class AuthenticationTests(DatabaseFixture db)
{
    [Theory]
    [InlineData(LocalPostgresRole.Superuser)]
    [InlineData(LocalPostgresRole.Scram)]
    [InlineData(LocalPostgresRole.Md5)]
    [InlineData(LocalPostgresRole.Password)]
    [InlineData(LocalPostgresRole.Trust)]
    [InlineData(LocalPostgresRole.ScramNonAscii)]
    public async Task A_role_logs_in_over_tcp_with_its_method_and_the_session_runs_as_that_role(LocalPostgresRole role)
    {
        await using var conn = await db.OpenAsync(db.Server.ConnectionStringFor(role));

        Assert.Equal(db.Server.UserName(role), await conn.QueryScalarAsync<string>("SELECT current_user::text"));
        Assert.Equal("127.0.0.1", await conn.QueryScalarAsync<string>("SELECT host(inet_client_addr())"));
    }

    [Fact]
    public async Task The_superuser_logs_in_over_the_unix_socket()
    {
        await using var conn = await db.OpenAsync(db.Server.SocketConnectionString);

        Assert.Equal("postgres", await conn.QueryScalarAsync<string>("SELECT current_user::text"));
        // inet_client_addr() is NULL exactly when the session came in over a Unix-domain socket.
        Assert.Null(await conn.QueryScalarAsync<string>("SELECT host(inet_client_addr())"));
    }

    [Theory]
    [InlineData(LocalPostgresRole.Scram)]
    [InlineData(LocalPostgresRole.Md5)]
    [InlineData(LocalPostgresRole.Password)]
    [InlineData(LocalPostgresRole.ScramNonAscii)]
    public async Task A_wrong_password_is_rejected_by_the_server_with_sqlstate_28P01(LocalPostgresRole role)
    {
        var builder = new PgConnectionStringBuilder(db.Server.ConnectionStringFor(role)) { Password = "not-the-password" };
        await using var conn = new PgConnection(builder.ConnectionString);

        var e = await Assert.ThrowsAsync<PgServerException>(() => conn.OpenAsync());

        Assert.Equal(PgErrorCodes.InvalidPassword, e.SqlState);
        Assert.Equal("FATAL", e.InvariantSeverity);
        Assert.Equal(System.Data.ConnectionState.Closed, conn.State);
    }

    [Theory]
    [InlineData(LocalPostgresRole.Scram)]
    [InlineData(LocalPostgresRole.Md5)]
    [InlineData(LocalPostgresRole.Password)]
    public async Task A_missing_password_when_the_server_asks_for_one_raises_PgAuthenticationException(LocalPostgresRole role)
    {
        var builder = new PgConnectionStringBuilder(db.Server.ConnectionStringFor(role));
        builder.Remove("Password");
        await using var conn = new PgConnection(builder.ConnectionString);

        var e = await Assert.ThrowsAsync<PgAuthenticationException>(() => conn.OpenAsync());

        Assert.Contains("Password", e.Message, StringComparison.Ordinal);
        Assert.Equal(System.Data.ConnectionState.Closed, conn.State);
    }

    [Fact]
    public async Task The_non_ascii_password_also_authenticates_in_its_SASLprep_equivalent_spelling()
    {
        // The server stored the SCRAM secret of SASLprep("pässwörd€ℌ") = "pässwörd€H"; a client that applies
        // SASLprep derives the same key from either spelling.
        var builder = new PgConnectionStringBuilder(db.Server.ConnectionStringFor(LocalPostgresRole.ScramNonAscii))
        {
            Password = LocalPostgresRoles.ScramNonAsciiPassword.Replace("\u210C", "H", StringComparison.Ordinal),
        };
        await using var conn = await db.OpenAsync(builder.ConnectionString);

        Assert.Equal(LocalPostgresRoles.ScramNonAsciiName, await conn.QueryScalarAsync<string>("SELECT current_user::text"));
    }
}
