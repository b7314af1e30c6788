using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Pooling;

/// <summary>
/// <see cref="PgDataSource.Clear"/>, <see cref="PgConnection.ClearPool"/> and <see cref="PgConnection.ClearAllPools"/>
/// close a pool's idle connections at once and its busy ones when they are returned; new opens get new connections.
/// </summary>
[Collection("Database")]
public sealed class ClearPoolTests(DatabaseFixture db)
{
    private static async Task OpenAndCloseAsync(PgDataSource dataSource, int count)
    {
        var connections = new List<PgConnection>();
        for (int i = 0; i < count; i++) connections.Add(await dataSource.OpenConnectionAsync());
        foreach (var connection in connections) await connection.DisposeAsync();
    }

    [Fact]
    public async Task Clear_closes_the_idle_connections_of_a_data_source()
    {
        string app = PoolingTestSupport.NewApplicationName("clear");
        await using var dataSource = PgDataSource.Create(db.ConnectionStringFor(app));
        await OpenAndCloseAsync(dataSource, 3);

        dataSource.Clear();

        Assert.Equal(new PgPoolStatistics(Idle: 0, Busy: 0, Waiting: 0, Created: 3, Destroyed: 3), dataSource.Statistics);
        await PoolingTestSupport.EventuallyAsync(async () => await db.BackendCountAsync(app) == 0, "the server has no backend of the pool");
    }

    [Fact]
    public async Task A_connection_busy_during_Clear_keeps_working_until_it_is_returned()
    {
        string app = PoolingTestSupport.NewApplicationName("clear");
        await using var dataSource = PgDataSource.Create(db.ConnectionStringFor(app));
        await using var busy = await dataSource.OpenConnectionAsync();

        dataSource.Clear();

        Assert.Equal(1, await busy.QueryScalarAsync<int>("SELECT 1"));
        Assert.Equal(1, dataSource.Statistics.Busy);
    }

    [Fact]
    public async Task A_connection_busy_during_Clear_is_closed_when_it_is_returned()
    {
        string app = PoolingTestSupport.NewApplicationName("clear");
        await using var dataSource = PgDataSource.Create(db.ConnectionStringFor(app));
        var busy = await dataSource.OpenConnectionAsync();
        dataSource.Clear();

        await busy.CloseAsync();

        Assert.Equal(new PgPoolStatistics(Idle: 0, Busy: 0, Waiting: 0, Created: 1, Destroyed: 1), dataSource.Statistics);
        await PoolingTestSupport.EventuallyAsync(async () => await db.BackendCountAsync(app) == 0, "the server has no backend of the pool");
    }

    [Fact]
    public async Task After_Clear_an_open_gets_a_new_working_connection()
    {
        string app = PoolingTestSupport.NewApplicationName("clear");
        await using var dataSource = PgDataSource.Create(db.ConnectionStringFor(app));
        int oldPid;
        await using (var first = await dataSource.OpenConnectionAsync()) oldPid = first.ProcessId;

        dataSource.Clear();
        await using var next = await dataSource.OpenConnectionAsync();

        Assert.NotEqual(oldPid, next.ProcessId);
        Assert.Equal(1, await next.QueryScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public async Task ClearPool_closes_the_idle_connections_of_the_pool_a_PgConnection_belongs_to()
    {
        string app = PoolingTestSupport.NewApplicationName("clearpool");
        await using var connection = new PgConnection(db.ConnectionStringFor(app));
        await connection.OpenAsync();
        int oldPid = connection.ProcessId;
        await connection.CloseAsync();

        PgConnection.ClearPool(connection);

        await PoolingTestSupport.EventuallyAsync(async () => await db.BackendCountAsync(app) == 0, "the server has no backend of the pool");
        await connection.OpenAsync();
        Assert.NotEqual(oldPid, connection.ProcessId);
        await connection.CloseAsync();
        PgConnection.ClearPool(connection);
    }

    [Fact]
    public async Task ClearAllPools_closes_the_idle_connections_of_data_sources_and_of_the_shared_pools()
    {
        string dataSourceApp = PoolingTestSupport.NewApplicationName("clearall");
        string sharedApp = PoolingTestSupport.NewApplicationName("clearall");
        await using var dataSource = PgDataSource.Create(db.ConnectionStringFor(dataSourceApp));
        await OpenAndCloseAsync(dataSource, 2);
        await using (var shared = new PgConnection(db.ConnectionStringFor(sharedApp))) await shared.OpenAsync();

        PgConnection.ClearAllPools();

        Assert.Equal(0, dataSource.Statistics.Idle);
        await PoolingTestSupport.EventuallyAsync(async () => await db.BackendCountAsync(dataSourceApp) == 0, "the data source's backends are gone");
        await PoolingTestSupport.EventuallyAsync(async () => await db.BackendCountAsync(sharedApp) == 0, "the shared pool's backends are gone");
    }
}
