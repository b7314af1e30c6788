using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Pooling;

/// <summary>
/// With Pooling=false every Open starts a physical connection (a new backend) and every Close ends it.
/// </summary>
[Collection("Database")]
public sealed class UnpooledConnectionTests(DatabaseFixture db) : IAsyncLifetime
{
    private readonly string _app = PoolingTestSupport.NewApplicationName("unpooled");

    public async Task InitializeAsync() =>
        await db.Server.RunSqlAsync("DROP TABLE IF EXISTS unpooled_probe; CREATE TABLE unpooled_probe (id int4)");

    public async Task DisposeAsync() => await db.Server.RunSqlAsync("DROP TABLE IF EXISTS unpooled_probe");

    private string ConnectionString => db.ConnectionStringFor(_app, "Pooling=false");

    [Fact]
    public async Task Each_open_of_an_unpooled_connection_gets_a_new_backend()
    {
        await using var conn = new PgConnection(ConnectionString);
        await conn.OpenAsync();
        int firstPid = conn.ProcessId;
        await conn.CloseAsync();

        await conn.OpenAsync();

        Assert.NotEqual(firstPid, conn.ProcessId);
    }

    [Fact]
    public async Task Closing_an_unpooled_connection_ends_its_backend()
    {
        await using var conn = new PgConnection(ConnectionString);
        await conn.OpenAsync();
        Assert.Equal(1, await db.BackendCountAsync(_app));

        await conn.CloseAsync();

        await PoolingTestSupport.EventuallyAsync(async () => await db.BackendCountAsync(_app) == 0, "the backend has exited");
    }

    [Fact]
    public async Task Disposing_an_unpooled_connection_ends_its_backend()
    {
        var conn = new PgConnection(ConnectionString);
        await conn.OpenAsync();

        await conn.DisposeAsync();

        await PoolingTestSupport.EventuallyAsync(async () => await db.BackendCountAsync(_app) == 0, "the backend has exited");
    }

    [Fact]
    public async Task An_unpooled_data_source_opens_a_new_backend_for_each_connection()
    {
        await using var dataSource = PgDataSource.Create(ConnectionString);
        int firstPid;
        await using (var first = await dataSource.OpenConnectionAsync()) firstPid = first.ProcessId;

        await using var second = await dataSource.OpenConnectionAsync();

        Assert.NotEqual(firstPid, second.ProcessId);
    }

    [Fact]
    public async Task Closing_an_unpooled_connection_inside_a_transaction_discards_the_transactions_work()
    {
        await using var conn = new PgConnection(ConnectionString);
        await conn.OpenAsync();
        await conn.BeginTransactionAsync();
        await conn.ExecuteAsync("INSERT INTO unpooled_probe VALUES (1)");

        await conn.CloseAsync();

        Assert.Equal("0", (await db.Server.RunSqlAsync("SELECT count(*) FROM unpooled_probe")).Trim());
    }
}
