using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Pooling;

/// <summary>
/// Connections idle longer than Connection Idle Lifetime are closed by the pruning that runs every Connection Pruning
/// Interval, down to Minimum Pool Size; a connection older than Connection Lifetime is closed when it is returned.
/// Pruning runs in the background, so the tests poll for its effect with a bound.
/// </summary>
[Collection("Database")]
public sealed class PruningAndLifetimeTests(DatabaseFixture db)
{
    private const string QuickPruning = "Connection Idle Lifetime=1;Connection Pruning Interval=1";

    /// <summary>Opens <paramref name="count"/> connections at once (so they are distinct) and closes them all.</summary>
    private static async Task OpenAndCloseAsync(PgDataSource dataSource, int count)
    {
        var connections = new List<PgConnection>();
        for (int i = 0; i < count; i++) connections.Add(await dataSource.OpenConnectionAsync());
        foreach (var connection in connections) await connection.DisposeAsync();
    }

    [Fact]
    public async Task Connections_idle_longer_than_Connection_Idle_Lifetime_are_pruned_from_the_pool()
    {
        string app = PoolingTestSupport.NewApplicationName("prune");
        await using var dataSource = PgDataSource.Create(db.ConnectionStringFor(app, QuickPruning + ";Minimum Pool Size=0"));
        await OpenAndCloseAsync(dataSource, 3);

        await PoolingTestSupport.EventuallyAsync(() => dataSource.Statistics.Idle == 0, "the pool has no idle connection");

        Assert.Equal(3, dataSource.Statistics.Destroyed);
    }

    [Fact]
    public async Task The_backends_of_pruned_connections_leave_the_server()
    {
        string app = PoolingTestSupport.NewApplicationName("prune");
        await using var dataSource = PgDataSource.Create(db.ConnectionStringFor(app, QuickPruning + ";Minimum Pool Size=0"));
        var connections = new List<PgConnection>();
        for (int i = 0; i < 3; i++) connections.Add(await dataSource.OpenConnectionAsync());
        Assert.Equal(3, await db.BackendCountAsync(app));

        foreach (var connection in connections) await connection.DisposeAsync();

        await PoolingTestSupport.EventuallyAsync(async () => await db.BackendCountAsync(app) == 0, "the server has no backend of the pool");
    }

    [Fact]
    public async Task Pruning_keeps_Minimum_Pool_Size_connections_open()
    {
        string app = PoolingTestSupport.NewApplicationName("prunemin");
        await using var dataSource = PgDataSource.Create(db.ConnectionStringFor(app, QuickPruning + ";Minimum Pool Size=2"));
        await OpenAndCloseAsync(dataSource, 3);
        await PoolingTestSupport.EventuallyAsync(() => dataSource.Statistics.Destroyed == 1, "one connection is pruned");

        // Several more pruning intervals pass; none may take the pool below its minimum.
        await Task.Delay(TimeSpan.FromSeconds(3));

        Assert.Equal(2, dataSource.Statistics.Idle);
        Assert.Equal(1, dataSource.Statistics.Destroyed);
        Assert.Equal(2, await db.BackendCountAsync(app));
    }

    [Fact]
    public async Task A_pruned_pool_opens_new_working_connections()
    {
        string app = PoolingTestSupport.NewApplicationName("prune");
        await using var dataSource = PgDataSource.Create(db.ConnectionStringFor(app, QuickPruning));
        await OpenAndCloseAsync(dataSource, 1);
        await PoolingTestSupport.EventuallyAsync(() => dataSource.Statistics.Idle == 0, "the pool has no idle connection");

        await using var connection = await dataSource.OpenConnectionAsync();

        Assert.Equal(1, await connection.QueryScalarAsync<int>("SELECT 1"));
        Assert.Equal(2, dataSource.Statistics.Created);
    }

    [Fact]
    public async Task A_connection_older_than_Connection_Lifetime_is_closed_when_returned()
    {
        string app = PoolingTestSupport.NewApplicationName("lifetime");
        await using var dataSource = PgDataSource.Create(db.ConnectionStringFor(app, "Connection Lifetime=1"));
        var connection = await dataSource.OpenConnectionAsync();
        int oldPid = connection.ProcessId;
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // older than its lifetime however slow the machine

        await connection.CloseAsync();

        Assert.Equal(new PgPoolStatistics(Idle: 0, Busy: 0, Waiting: 0, Created: 1, Destroyed: 1), dataSource.Statistics);
        await using var next = await dataSource.OpenConnectionAsync();
        Assert.NotEqual(oldPid, next.ProcessId);
    }

    [Fact]
    public async Task A_connection_younger_than_Connection_Lifetime_goes_back_to_the_pool()
    {
        string app = PoolingTestSupport.NewApplicationName("lifetime");
        await using var dataSource = PgDataSource.Create(db.ConnectionStringFor(app, "Connection Lifetime=3600"));
        var connection = await dataSource.OpenConnectionAsync();
        int pid = connection.ProcessId;

        await connection.CloseAsync();

        Assert.Equal(1, dataSource.Statistics.Idle);
        await using var next = await dataSource.OpenConnectionAsync();
        Assert.Equal(pid, next.ProcessId);
    }
}
