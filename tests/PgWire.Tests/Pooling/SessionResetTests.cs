using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Pooling;

/// <summary>
/// A connection given back to the pool is clean for its next user: an open transaction is rolled back, and the
/// session's state (SET, temp tables, advisory locks) is reset with DISCARD ALL, unless No Reset On Close opts out.
/// Each pool has Maximum Pool Size 1, so the next open gets the same backend, which every test checks.
/// </summary>
[Collection("Database")]
public sealed class SessionResetTests(DatabaseFixture db) : IAsyncLifetime
{
    private const string DefaultSearchPath = "\"$user\", public";

    public async Task InitializeAsync() =>
        await db.Server.RunSqlAsync("DROP TABLE IF EXISTS reset_probe; CREATE TABLE reset_probe (id int4)");

    public async Task DisposeAsync() => await db.Server.RunSqlAsync("DROP TABLE IF EXISTS reset_probe");

    private PgDataSource CreateDataSource(string extraSettings = "") =>
        db.NewDataSource("reset", "Maximum Pool Size=1" + (extraSettings.Length > 0 ? ";" + extraSettings : ""));

    /// <summary>Opens a connection, lets <paramref name="use"/> dirty it, closes it and opens the next one on the same backend.</summary>
    private static async Task<PgConnection> NextUserAfterAsync(PgDataSource dataSource, Func<PgConnection, Task> use)
    {
        var previous = await dataSource.OpenConnectionAsync();
        int pid = previous.ProcessId;
        await use(previous);
        await previous.CloseAsync();
        var next = await dataSource.OpenConnectionAsync();
        Assert.Equal(pid, next.ProcessId);
        return next;
    }

    private async Task<long> StoredProbeRowsAsync() => long.Parse((await db.Server.RunSqlAsync("SELECT count(*) FROM reset_probe")).Trim());

    [Fact]
    public async Task A_search_path_set_by_the_previous_user_is_back_to_the_default()
    {
        await using var dataSource = CreateDataSource();

        await using var next = await NextUserAfterAsync(dataSource, c => c.ExecuteAsync("SET search_path = foo").AsTask());

        Assert.Equal(DefaultSearchPath, await next.QueryScalarAsync<string>("SHOW search_path"));
    }

    [Fact]
    public async Task A_temporary_table_of_the_previous_user_no_longer_exists()
    {
        await using var dataSource = CreateDataSource();

        await using var next = await NextUserAfterAsync(dataSource, c => c.ExecuteAsync("CREATE TEMP TABLE reset_temp (id int4)").AsTask());

        Assert.True(await next.QueryScalarAsync<bool>("SELECT to_regclass('pg_temp.reset_temp') IS NULL"));
    }

    [Fact]
    public async Task An_insert_in_a_transaction_left_open_at_close_is_rolled_back()
    {
        await using var dataSource = CreateDataSource();

        await using var next = await NextUserAfterAsync(dataSource, async c =>
        {
            await c.BeginTransactionAsync();
            await c.ExecuteAsync("INSERT INTO reset_probe VALUES (1)");
        });

        Assert.Equal(0L, await StoredProbeRowsAsync());
        Assert.Equal(0L, await next.QueryScalarAsync<long>("SELECT count(*) FROM reset_probe"));
    }

    [Fact]
    public async Task The_next_user_is_not_inside_the_previous_users_transaction()
    {
        await using var dataSource = CreateDataSource();

        await using var next = await NextUserAfterAsync(dataSource, async c =>
        {
            await c.BeginTransactionAsync();
            await c.ExecuteAsync("INSERT INTO reset_probe VALUES (1)");
        });

        Assert.False(next.InTransaction);
        await using var transaction = await next.BeginTransactionAsync();
        Assert.True(next.InTransaction);
    }

    [Fact]
    public async Task A_transaction_begun_with_plain_SQL_and_left_open_is_rolled_back_too()
    {
        await using var dataSource = CreateDataSource();

        await using var next = await NextUserAfterAsync(dataSource, async c =>
        {
            await c.ExecuteAsync("BEGIN");
            await c.ExecuteAsync("INSERT INTO reset_probe VALUES (1)");
        });

        Assert.False(next.InTransaction);
        Assert.Equal(0L, await StoredProbeRowsAsync());
    }

    [Fact]
    public async Task A_connection_returned_with_a_failed_transaction_serves_the_next_user()
    {
        await using var dataSource = CreateDataSource();

        await using var next = await NextUserAfterAsync(dataSource, async c =>
        {
            await c.BeginTransactionAsync();
            await Assert.ThrowsAsync<PgServerException>(() => c.ExecuteAsync("SELECT 1 / 0").AsTask());
        });

        Assert.False(next.InTransaction);
        Assert.Equal(1, await next.QueryScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public async Task An_idle_pooled_connection_holds_no_lock_of_the_transaction_left_open_at_close()
    {
        await using var dataSource = CreateDataSource();
        var connection = await dataSource.OpenConnectionAsync();
        await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("INSERT INTO reset_probe VALUES (1)");

        await connection.CloseAsync();

        Assert.Equal("0", (await db.Server.RunSqlAsync(
            "SELECT count(*) FROM pg_locks WHERE relation = 'reset_probe'::regclass AND pid <> pg_backend_pid()")).Trim());
    }

    [Fact]
    public async Task A_session_advisory_lock_of_the_previous_user_is_released()
    {
        await using var dataSource = CreateDataSource();

        await using var next = await NextUserAfterAsync(dataSource, c => c.ExecuteAsync("SELECT pg_advisory_lock(4242)").AsTask());
        // The reset goes out with the next user's first command, ahead of it.
        Assert.Equal(1, await next.QueryScalarAsync<int>("SELECT 1"));

        Assert.Equal("0", (await db.Server.RunSqlAsync(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242")).Trim());
    }

    [Fact]
    public async Task A_statement_the_previous_user_ran_runs_again_after_the_reset()
    {
        await using var dataSource = CreateDataSource();
        const string sql = "SELECT $1::int4 + 1";

        await using var next = await NextUserAfterAsync(dataSource, async c =>
        {
            for (int i = 0; i < 5; i++) Assert.Equal(i + 1, await c.QueryScalarAsync<int>(sql, i));
        });

        Assert.Equal(42, await next.QueryScalarAsync<int>(sql, 41));
    }

    [Fact]
    public async Task With_No_Reset_On_Close_a_search_path_set_by_the_previous_user_survives()
    {
        await using var dataSource = CreateDataSource("No Reset On Close=true");

        await using var next = await NextUserAfterAsync(dataSource, c => c.ExecuteAsync("SET search_path = foo").AsTask());

        Assert.Equal("foo", await next.QueryScalarAsync<string>("SHOW search_path"));
    }

    [Fact]
    public async Task With_No_Reset_On_Close_a_transaction_left_open_is_still_rolled_back()
    {
        await using var dataSource = CreateDataSource("No Reset On Close=true");

        await using var next = await NextUserAfterAsync(dataSource, async c =>
        {
            await c.BeginTransactionAsync();
            await c.ExecuteAsync("INSERT INTO reset_probe VALUES (1)");
        });

        Assert.False(next.InTransaction);
        Assert.Equal(0L, await StoredProbeRowsAsync());
    }
}
