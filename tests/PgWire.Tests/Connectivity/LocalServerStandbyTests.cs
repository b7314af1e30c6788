using System.Diagnostics;

namespace PgWire.Tests.Connectivity;

/// <summary>The primary and standby of the replication fixture, checked with psql only: the multi-host tests stand on them.</summary>
[Collection("Replication")]
public sealed class LocalServerStandbyTests(ReplicationFixture replication) : IAsyncLifetime
{
    public Task InitializeAsync() => replication.EnsureBothRunningAsync();

    public Task DisposeAsync() => replication.EnsureBothRunningAsync();

    [Fact]
    public async Task The_standby_is_in_recovery_and_the_primary_is_not()
    {
        Assert.Equal("t", (await replication.Standby.RunSqlAsync("SELECT pg_is_in_recovery()")).Trim());
        Assert.Equal("f", (await replication.Primary.RunSqlAsync("SELECT pg_is_in_recovery()")).Trim());
        Assert.True(replication.Standby.IsStandby);
        Assert.False(replication.Primary.IsStandby);
        Assert.NotEqual(replication.Primary.Port, replication.Standby.Port);
    }

    [Fact]
    public async Task A_row_written_on_the_primary_reaches_the_standby()
    {
        var marker = Guid.NewGuid().ToString("N");
        await replication.Primary.RunSqlAsync(
            $"CREATE TABLE IF NOT EXISTS standby_probe (marker text); INSERT INTO standby_probe VALUES ('{marker}')");

        var seen = await PollAsync(async () =>
            (await replication.Standby.RunSqlAsync($"SELECT count(*) FROM pg_class WHERE relname = 'standby_probe'")).Trim() == "1" &&
            (await replication.Standby.RunSqlAsync($"SELECT count(*) FROM standby_probe WHERE marker = '{marker}'")).Trim() == "1");

        Assert.True(seen, "the standby did not replay the insert within 30 s");
    }

    [Fact]
    public async Task The_standby_refuses_writes()
    {
        var e = await Assert.ThrowsAsync<PgWire.LocalServer.LocalPostgresException>(() =>
            replication.Standby.RunSqlAsync("CREATE TABLE written_on_standby (x int)"));

        Assert.Contains("read-only transaction", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_standby_stops_and_starts_again_on_the_same_port_and_resumes_streaming()
    {
        var port = replication.Standby.Port;

        await replication.Standby.StopServerAsync();
        Assert.False(replication.Standby.IsServerRunning);
        await replication.Standby.StartServerAsync();

        Assert.True(replication.Standby.IsServerRunning);
        Assert.Equal(port, replication.Standby.Port);
        Assert.Equal("t", (await replication.Standby.RunSqlAsync("SELECT pg_is_in_recovery()")).Trim());
        var streaming = await PollAsync(async () =>
            (await replication.Standby.RunSqlAsync("SELECT count(*) FROM pg_stat_wal_receiver WHERE status = 'streaming'")).Trim() == "1");
        Assert.True(streaming, "the standby did not resume streaming within 30 s");
    }

    [Fact]
    public async Task The_primary_stops_and_starts_again_and_the_standby_streams_from_it_afterwards()
    {
        await replication.Primary.StopServerAsync();
        Assert.False(replication.Primary.IsServerRunning);
        Assert.True(replication.Standby.IsServerRunning);
        await replication.Primary.StartServerAsync();

        var marker = Guid.NewGuid().ToString("N");
        await replication.Primary.RunSqlAsync(
            $"CREATE TABLE IF NOT EXISTS standby_probe (marker text); INSERT INTO standby_probe VALUES ('{marker}')");
        var seen = await PollAsync(async () =>
            (await replication.Standby.RunSqlAsync($"SELECT count(*) FROM pg_class WHERE relname = 'standby_probe'")).Trim() == "1" &&
            (await replication.Standby.RunSqlAsync($"SELECT count(*) FROM standby_probe WHERE marker = '{marker}'")).Trim() == "1");
        Assert.True(seen, "the standby did not reconnect to the restarted primary within 30 s");
    }

    private static async Task<bool> PollAsync(Func<Task<bool>> condition)
    {
        var elapsed = Stopwatch.StartNew();
        while (elapsed.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (await condition())
                return true;
            await Task.Delay(100);
        }
        return false;
    }
}
