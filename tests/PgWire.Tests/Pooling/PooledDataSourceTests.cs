using System.Data;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Pooling;

/// <summary>
/// The ways into a pool: PgDataSource's OpenConnectionAsync, CreateConnection and CreateCommand, and
/// <c>new PgConnection(connectionString)</c>, which shares one pool per distinct connection string.
/// </summary>
[Collection("Database")]
public sealed class PooledDataSourceTests(DatabaseFixture db)
{
    private PgDataSource CreateDataSource(string settings = "") =>
        db.NewDataSource("ds", settings);

    [Fact]
    public async Task A_new_data_source_has_opened_no_connection()
    {
        string app = PoolingTestSupport.NewApplicationName("ds");
        await using var dataSource = PgDataSource.Create(db.ConnectionStringFor(app));

        Assert.Equal(default, dataSource.Statistics);
        Assert.Equal(0, await db.BackendCountAsync(app));
    }

    [Fact]
    public async Task Open_connections_count_as_busy_and_closed_ones_as_idle()
    {
        await using var dataSource = CreateDataSource();
        await using var first = await dataSource.OpenConnectionAsync();
        var second = await dataSource.OpenConnectionAsync();

        await second.CloseAsync();

        Assert.Equal(new PgPoolStatistics(Idle: 1, Busy: 1, Waiting: 0, Created: 2, Destroyed: 0), dataSource.Statistics);
    }

    [Fact]
    public async Task An_open_reuses_the_idle_connection_rather_than_opening_another()
    {
        await using var dataSource = CreateDataSource();
        int pid;
        await using (var first = await dataSource.OpenConnectionAsync()) pid = first.ProcessId;

        await using var second = await dataSource.OpenConnectionAsync();

        Assert.Equal(pid, second.ProcessId);
        Assert.Equal(1, dataSource.Statistics.Created);
    }

    [Fact]
    public async Task ProcessId_is_the_backend_pid_the_server_reports()
    {
        await using var dataSource = CreateDataSource();
        await using var conn = await dataSource.OpenConnectionAsync();

        Assert.Equal(conn.ProcessId, await conn.QueryScalarAsync<int>("SELECT pg_backend_pid()"));
    }

    [Fact]
    public async Task CreateConnection_gives_a_closed_connection_that_opens_from_the_pool()
    {
        await using var dataSource = CreateDataSource();
        await using var conn = dataSource.CreateConnection();
        Assert.Equal(ConnectionState.Closed, conn.State);
        Assert.Equal(0, dataSource.Statistics.Busy);

        await conn.OpenAsync();

        Assert.Equal(1, dataSource.Statistics.Busy);
        Assert.Equal(1, await conn.QueryScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public async Task CreateCommand_runs_on_a_pooled_connection_and_gives_it_back()
    {
        await using var dataSource = CreateDataSource();

        object? result;
        await using (var command = dataSource.CreateCommand("SELECT 42"))
            result = await command.ExecuteScalarAsync();

        Assert.Equal(42, Convert.ToInt32(result, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0, dataSource.Statistics.Busy);
        Assert.Equal(1, dataSource.Statistics.Idle);
    }

    [Fact]
    public async Task A_reader_from_CreateCommand_gives_its_connection_back_when_closed()
    {
        await using var dataSource = CreateDataSource();
        var values = new List<int>();

        await using (var command = dataSource.CreateCommand("SELECT g FROM generate_series(1, 3) AS g"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) values.Add(reader.GetInt32(0));
            Assert.Equal(1, dataSource.Statistics.Busy);
        }

        Assert.Equal([1, 2, 3], values);
        Assert.Equal(0, dataSource.Statistics.Busy);
    }

    [Fact]
    public async Task Connections_made_with_the_same_connection_string_share_a_pool()
    {
        string connectionString = db.ConnectionStringFor(PoolingTestSupport.NewApplicationName("shared"));
        int pid;
        await using (var first = new PgConnection(connectionString))
        {
            await first.OpenAsync();
            pid = first.ProcessId;
        }

        await using var second = new PgConnection(connectionString);
        await second.OpenAsync();

        Assert.Equal(pid, second.ProcessId);
        await second.CloseAsync();
        PgConnection.ClearPool(second);
    }

    [Fact]
    public async Task Connections_made_with_different_connection_strings_do_not_share_a_pool()
    {
        string firstString = db.ConnectionStringFor(PoolingTestSupport.NewApplicationName("shared"));
        string secondString = db.ConnectionStringFor(PoolingTestSupport.NewApplicationName("shared"));
        await using var first = new PgConnection(firstString);
        await first.OpenAsync();
        int pid = first.ProcessId;
        await first.CloseAsync();

        await using var second = new PgConnection(secondString);
        await second.OpenAsync();

        Assert.NotEqual(pid, second.ProcessId);
        await second.CloseAsync();
        PgConnection.ClearPool(first);
        PgConnection.ClearPool(second);
    }

    [Fact]
    public async Task Disposing_a_data_source_closes_its_idle_connections()
    {
        string app = PoolingTestSupport.NewApplicationName("dispose");
        var dataSource = PgDataSource.Create(db.ConnectionStringFor(app));
        await using (await dataSource.OpenConnectionAsync()) { }

        await dataSource.DisposeAsync();

        await PoolingTestSupport.EventuallyAsync(async () => await db.BackendCountAsync(app) == 0, "the server has no backend of the data source");
    }
}
