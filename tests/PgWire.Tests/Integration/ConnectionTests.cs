using System.Data;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using PgWire.LocalServer;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Integration;

/// <summary>Opening, closing and describing a connection: connection strings, URIs, state and the backend it talks to.</summary>
[Collection("Database")]
public sealed class ConnectionTests(DatabaseFixture db)
{
    [Fact]
    public async Task Connecting_to_a_port_nobody_listens_on_raises_PgConnectionException_naming_host_and_port()
    {
        int port = UnusedTcpPort();
        await using var conn = new PgConnection($"Host=127.0.0.1;Port={port};Username=postgres;Password=postgres;Timeout=10");

        var e = await Assert.ThrowsAsync<PgConnectionException>(() => conn.OpenAsync());

        Assert.Contains("127.0.0.1", e.Message, StringComparison.Ordinal);
        Assert.Contains(port.ToString(CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
        Assert.Equal(ConnectionState.Closed, conn.State);
    }

    [Fact]
    public async Task A_postgresql_uri_connects_with_its_user_database_and_application_name()
    {
        string uri = $"postgresql://{LocalPostgresRoles.ScramName}:{LocalPostgresRoles.ScramPassword}@127.0.0.1:{db.Server.Port}" +
                     "/template1?application_name=pgwire_uri_test";
        await using var conn = await db.OpenAsync(uri);

        var row = (await conn.QueryAsync(
            "SELECT current_user::text AS who, current_database()::text AS db, current_setting('application_name') AS app"))[0];

        Assert.Equal(LocalPostgresRoles.ScramName, row["who"]);
        Assert.Equal("template1", row["db"]);
        Assert.Equal("pgwire_uri_test", row["app"]);
    }

    [Fact]
    public async Task A_postgresql_uri_with_a_percent_encoded_non_ascii_password_authenticates()
    {
        string password = Uri.EscapeDataString(LocalPostgresRoles.ScramNonAsciiPassword);
        await using var conn = await db.OpenAsync(
            $"postgresql://{LocalPostgresRoles.ScramNonAsciiName}:{password}@127.0.0.1:{db.Server.Port}/postgres");

        Assert.Equal(LocalPostgresRoles.ScramNonAsciiName, await conn.QueryScalarAsync<string>("SELECT current_user::text"));
    }

    [Fact]
    public async Task The_application_name_shows_up_in_pg_stat_activity()
    {
        var builder = new PgConnectionStringBuilder(db.ConnectionString) { ApplicationName = "pgwire-integration-tests" };
        await using var conn = await db.OpenAsync(builder.ConnectionString);

        string? name = await conn.QueryScalarAsync<string>(
            "SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()");

        Assert.Equal("pgwire-integration-tests", name);
    }

    [Fact]
    public async Task The_database_keyword_selects_the_database()
    {
        await using var conn = await db.OpenAsync(db.Server.ConnectionStringFor(LocalPostgresRole.Superuser, "template1"));

        Assert.Equal("template1", await conn.QueryScalarAsync<string>("SELECT current_database()::text"));
        Assert.Equal("template1", conn.Database);
    }

    [Fact]
    public async Task ProcessId_is_the_backend_pid_the_server_reports()
    {
        await using var conn = await db.OpenAsync();

        Assert.Equal(conn.ProcessId, await conn.QueryScalarAsync<int>("SELECT pg_backend_pid()"));
    }

    [Fact]
    public async Task ServerVersion_is_the_servers_own_server_version_setting()
    {
        await using var conn = await db.OpenAsync();

        Assert.Equal(await conn.QueryScalarAsync<string>("SHOW server_version"), conn.ServerVersion);
    }

    [Fact]
    public async Task State_is_Open_after_open_and_Closed_after_close()
    {
        await using var conn = new PgConnection(db.ConnectionString);
        Assert.Equal(ConnectionState.Closed, conn.State);

        await conn.OpenAsync();
        Assert.Equal(ConnectionState.Open, conn.State);

        await conn.CloseAsync();
        Assert.Equal(ConnectionState.Closed, conn.State);
    }

    [Fact]
    public async Task An_unpooled_closed_connection_reopens_on_a_new_backend_that_runs_queries()
    {
        await using var conn = await db.OpenAsync(db.ConnectionString + ";Pooling=false");
        int firstPid = conn.ProcessId;
        await conn.CloseAsync();

        await conn.OpenAsync();

        Assert.Equal(1, await conn.QueryScalarAsync<int>("SELECT 1"));
        Assert.NotEqual(firstPid, conn.ProcessId);
    }

    [Fact]
    public async Task Closing_an_unpooled_connection_ends_its_backend_session()
    {
        var conn = await db.OpenAsync(db.ConnectionString + ";Pooling=false");
        int pid = conn.ProcessId;
        await using var observer = await db.OpenAsync();

        await conn.CloseAsync();

        // The backend exits shortly after it reads Terminate: poll for that instead of sleeping a fixed time.
        long listed = 1;
        for (int attempt = 0; attempt < 500 && listed > 0; attempt++)
        {
            listed = await observer.QueryScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE pid = $1", pid);
            if (listed > 0) await Task.Delay(20);
        }
        Assert.Equal(0, listed);
    }

    [Fact]
    public void The_synchronous_Open_and_Close_work_like_the_asynchronous_ones()
    {
        using var conn = new PgConnection(db.ConnectionString);

        conn.Open();
        Assert.Equal(ConnectionState.Open, conn.State);
        Assert.Equal(2L, conn.Query("SELECT 2::int8")[0][0]);

        conn.Close();
        Assert.Equal(ConnectionState.Closed, conn.State);
    }

    [Fact]
    public async Task Opening_and_closing_raises_StateChange_from_Closed_to_Open_and_back()
    {
        await using var conn = new PgConnection(db.ConnectionString);
        var changes = new List<(ConnectionState From, ConnectionState To)>();
        conn.StateChange += (_, e) => changes.Add((e.OriginalState, e.CurrentState));

        await conn.OpenAsync();
        await conn.CloseAsync();

        Assert.Equal([(ConnectionState.Closed, ConnectionState.Open), (ConnectionState.Open, ConnectionState.Closed)], changes);
    }

    [Fact]
    public async Task A_query_on_a_connection_that_was_never_opened_throws_InvalidOperationException()
    {
        await using var conn = new PgConnection(db.ConnectionString);

        await Assert.ThrowsAsync<InvalidOperationException>(() => conn.QueryAsync("SELECT 1").AsTask());
    }

    [Fact]
    public async Task A_commands_CommandTimeout_defaults_to_the_connection_strings_Command_Timeout()
    {
        var builder = new PgConnectionStringBuilder(db.ConnectionString) { CommandTimeout = 7 };
        await using var conn = await db.OpenAsync(builder.ConnectionString);

        Assert.Equal(7, conn.CreateCommand().CommandTimeout);
    }

    private static int UnusedTcpPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
