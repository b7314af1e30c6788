using System.Net;
using System.Net.Sockets;
using PgWire.LocalServer;

namespace PgWire.Tests.Connectivity;

/// <summary>
/// A Host list (<c>Host=h1:p1,h2:p2</c>, or <c>Host=h1,h2;Port=p</c>) with Target Session Attributes
/// any | read-write | read-only | primary | standby | prefer-standby and Load Balance Hosts, against a real
/// primary and a hot standby streaming from it. Unpooled throughout: a pool remembers hosts that were down.
/// </summary>
[Collection("Replication")]
public sealed class MultiHostTests(ReplicationFixture replication) : IAsyncLifetime
{
    private LocalPostgres Primary => replication.Primary;

    private LocalPostgres Standby => replication.Standby;

    public Task InitializeAsync() => replication.EnsureBothRunningAsync();

    // Not PgConnection.ClearAllPools(): the other collections run meanwhile, and their pooled connections are theirs.
    public Task DisposeAsync() => replication.EnsureBothRunningAsync();

    [Theory]
    [InlineData("read-write")]
    [InlineData("primary")]
    public async Task A_writable_target_picks_the_primary_when_it_is_listed_second(string target)
    {
        await using var conn = await OpenAsync($"Target Session Attributes={target}", Standby, Primary);

        await AssertOnPrimaryAsync(conn);
    }

    [Theory]
    [InlineData("read-write")]
    [InlineData("primary")]
    public async Task A_writable_target_picks_the_primary_when_it_is_listed_first(string target)
    {
        await using var conn = await OpenAsync($"Target Session Attributes={target}", Primary, Standby);

        await AssertOnPrimaryAsync(conn);
    }

    [Theory]
    [InlineData("read-only")]
    [InlineData("standby")]
    [InlineData("prefer-standby")]
    public async Task A_read_only_or_standby_target_picks_the_standby_when_it_is_listed_second(string target)
    {
        await using var conn = await OpenAsync($"Target Session Attributes={target}", Primary, Standby);

        await AssertOnStandbyAsync(conn);
    }

    [Fact]
    public async Task Target_any_takes_the_first_host_listed()
    {
        await using (var conn = await OpenAsync("Target Session Attributes=any", Standby, Primary))
            await AssertOnStandbyAsync(conn);
        await using (var conn = await OpenAsync("Target Session Attributes=any", Primary, Standby))
            await AssertOnPrimaryAsync(conn);
    }

    [Fact]
    public async Task Without_Target_Session_Attributes_the_first_host_that_answers_is_taken()
    {
        var deadPort = ClosedPort();
        var hosts = $"{Primary.Host}:{deadPort},{ReplicationFixture.HostAndPort(Standby)},{ReplicationFixture.HostAndPort(Primary)}";
        await using var conn = new PgConnection(ReplicationFixture.ConnectionStringForHosts(hosts, ""));
        await conn.OpenAsync();

        await AssertOnStandbyAsync(conn);
    }

    [Fact]
    public async Task Hosts_without_their_own_port_take_the_Port_keyword()
    {
        var hosts = $"{ReplicationFixture.HostAndPort(Primary)},{Standby.Host}";
        await using var conn = new PgConnection(ReplicationFixture.ConnectionStringForHosts(hosts, $"Port={Standby.Port};Target Session Attributes=standby"));
        await conn.OpenAsync();

        await AssertOnStandbyAsync(conn);
    }

    [Fact]
    public async Task Prefer_standby_falls_back_to_the_primary_when_the_standby_is_down()
    {
        await Standby.StopServerAsync();

        await using var conn = await OpenAsync("Target Session Attributes=prefer-standby", Standby, Primary);

        await AssertOnPrimaryAsync(conn);
    }

    [Fact]
    public async Task Prefer_standby_takes_the_primary_when_no_standby_is_listed()
    {
        await using var conn = await OpenAsync("Target Session Attributes=prefer-standby", Primary);

        await AssertOnPrimaryAsync(conn);
    }

    [Fact]
    public async Task Read_write_with_the_primary_down_fails_with_PgConnectionException_naming_every_host_tried()
    {
        await Primary.StopServerAsync();
        await using var conn = new PgConnection(ReplicationFixture.MultiHostConnectionString("Target Session Attributes=read-write", Standby, Primary));

        var e = await Assert.ThrowsAsync<PgConnectionException>(() => conn.OpenAsync());

        Assert.Contains(ReplicationFixture.HostAndPort(Standby), e.Message, StringComparison.Ordinal);
        Assert.Contains(ReplicationFixture.HostAndPort(Primary), e.Message, StringComparison.Ordinal);
        Assert.Equal(System.Data.ConnectionState.Closed, conn.State);
    }

    [Fact]
    public async Task Standby_with_the_standby_down_fails_with_PgConnectionException_rather_than_taking_the_primary()
    {
        await Standby.StopServerAsync();
        await using var conn = new PgConnection(ReplicationFixture.MultiHostConnectionString("Target Session Attributes=standby", Primary, Standby));

        var e = await Assert.ThrowsAsync<PgConnectionException>(() => conn.OpenAsync());

        Assert.Contains(ReplicationFixture.HostAndPort(Standby), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_write_finds_the_primary_again_once_it_is_back()
    {
        await Primary.StopServerAsync();
        await using (var down = new PgConnection(ReplicationFixture.MultiHostConnectionString("Target Session Attributes=read-write", Standby, Primary)))
            await Assert.ThrowsAsync<PgConnectionException>(() => down.OpenAsync());

        await Primary.StartServerAsync();
        await using var conn = await OpenAsync("Target Session Attributes=read-write", Standby, Primary);

        await AssertOnPrimaryAsync(conn);
    }

    [Fact]
    public async Task Load_Balance_Hosts_spreads_new_connections_over_the_hosts()
    {
        var ports = new HashSet<int>();
        for (var i = 0; i < 40 && ports.Count < 2; i++)
        {
            await using var conn = await OpenAsync("Target Session Attributes=any;Load Balance Hosts=true", Primary, Standby);
            ports.Add(await ServerPortAsync(conn));
        }

        // Forty coin flips all landing the same way: about one run in 5e11.
        Assert.Equal(new HashSet<int> { Primary.Port, Standby.Port }, ports);
    }

    [Fact]
    public async Task Without_Load_Balance_Hosts_every_connection_goes_to_the_first_host()
    {
        for (var i = 0; i < 10; i++)
        {
            await using var conn = await OpenAsync("Target Session Attributes=any;Load Balance Hosts=false", Standby, Primary);
            Assert.Equal(Standby.Port, await ServerPortAsync(conn));
        }
    }

    [Fact]
    public async Task Load_Balance_Hosts_still_honours_the_target()
    {
        for (var i = 0; i < 10; i++)
        {
            await using var conn = await OpenAsync("Target Session Attributes=read-write;Load Balance Hosts=true", Standby, Primary);
            await AssertOnPrimaryAsync(conn);
        }
    }

    [Fact]
    public async Task A_pooled_read_write_connection_lands_on_the_primary_too()
    {
        var connectionString = ReplicationFixture.MultiHostConnectionString("Target Session Attributes=read-write", Standby, Primary)
            .Replace("Pooling=false", "Pooling=true", StringComparison.Ordinal);
        for (var i = 0; i < 3; i++)
        {
            await using var conn = new PgConnection(connectionString);
            await conn.OpenAsync();
            await AssertOnPrimaryAsync(conn);
        }
        // This test's pool only: the servers may be restarted by the next test.
        PgConnection.ClearPool(new PgConnection(connectionString));
    }

    private static async Task<PgConnection> OpenAsync(string extra, params LocalPostgres[] servers)
    {
        var conn = new PgConnection(ReplicationFixture.MultiHostConnectionString(extra, servers));
        try
        {
            await conn.OpenAsync();
        }
        catch
        {
            await conn.DisposeAsync();
            throw;
        }
        return conn;
    }

    private static async Task<int> ServerPortAsync(PgConnection conn) =>
        await conn.QueryScalarAsync<int>("SELECT inet_server_port()");

    private async Task AssertOnPrimaryAsync(PgConnection conn)
    {
        Assert.False(await conn.QueryScalarAsync<bool>("SELECT pg_is_in_recovery()"));
        Assert.Equal(Primary.Port, await ServerPortAsync(conn));
    }

    private async Task AssertOnStandbyAsync(PgConnection conn)
    {
        Assert.True(await conn.QueryScalarAsync<bool>("SELECT pg_is_in_recovery()"));
        Assert.Equal(Standby.Port, await ServerPortAsync(conn));
    }

    /// <summary>A port nothing listens on: one the system just handed out and got back.</summary>
    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
