using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Pooling;

/// <summary>
/// The reset a pooled connection owes goes ahead of its next user's first command (a query, or the BEGIN of a
/// transaction), as extended-protocol statements inside BEGIN ... COMMIT with no Sync of its own, so the server
/// answers both at once. With and without prepared statements to keep, it must leave nothing of the previous user
/// behind, even when the first command fails. A reset left waiting by a prepare that sent nothing goes as a simple
/// Query instead. Maximum Pool Size 1: the next open gets the same backend, which every test checks.
/// </summary>
[Collection("Database")]
public sealed class PipelinedResetTests(DatabaseFixture db) : IAsyncLifetime
{
    private const string DefaultSearchPath = "\"$user\", public";
    private const string LookupSql = "SELECT $1::int4 + 1";
    private const string DivideSql = "SELECT 10 / $1::int4";

    public async Task InitializeAsync() =>
        await db.Server.RunSqlAsync("DROP TABLE IF EXISTS pipelined_reset_probe; CREATE TABLE pipelined_reset_probe (id int4)");

    public async Task DisposeAsync() => await db.Server.RunSqlAsync("DROP TABLE IF EXISTS pipelined_reset_probe");

    private PgDataSource CreateDataSource() =>
        db.NewDataSource("pipereset", "Maximum Pool Size=1");

    /// <summary>The previous user's session as its next user sees it, read in one query.</summary>
    private sealed record SessionState(
        string SearchPath, string? AppUserId, string SessionUser, string CurrentUser, long ListeningChannels, long Cursors,
        bool TempTableGone, long AdvisoryLocks, long DriverStatements, long SqlStatements);

    private const string SessionStateSql = """
        SELECT current_setting('search_path'), current_setting('app.user_id', true), session_user::text, current_user::text,
               (SELECT count(*) FROM pg_listening_channels()), (SELECT count(*) FROM pg_cursors WHERE is_holdable),
               to_regclass('pg_temp.pipelined_reset_temp') IS NULL,
               (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 4343 AND pid = pg_backend_pid()),
               (SELECT count(*) FROM pg_prepared_statements WHERE NOT from_sql),
               (SELECT count(*) FROM pg_prepared_statements WHERE from_sql)
        """;

    private static async Task<SessionState> ReadSessionStateAsync(PgConnection connection)
    {
        var row = Assert.Single(await connection.QueryAsync(SessionStateSql));
        return new SessionState(row.Get<string>(0), row.Get<string?>(1), row.Get<string>(2), row.Get<string>(3),
            row.Get<long>(4), row.Get<long>(5), row.Get<bool>(6), row.Get<long>(7), row.Get<long>(8), row.Get<long>(9));
    }

    /// <summary>
    /// Changes everything the reset undoes: settings, a custom setting, LISTEN, a cursor WITH HOLD, a temporary table,
    /// an advisory lock, a statement prepared in SQL and, last, the session's role. With
    /// <paramref name="preparedByDriver"/> the driver also holds a prepared statement, so the reset keeps statements.
    /// </summary>
    private static async Task<(int Pid, string LoginUser)> DirtySessionAsync(PgConnection connection, bool preparedByDriver)
    {
        string loginUser = (await connection.QueryScalarAsync<string>("SELECT session_user::text"))!;
        // Run once: described (and cached) on this connection, not yet prepared.
        Assert.Equal(5, await connection.QueryScalarAsync<int>(DivideSql, 2));
        if (preparedByDriver)
        {
            // Automatic preparation from a statement's second run.
            for (int i = 0; i < 3; i++) Assert.Equal(i + 1, await connection.QueryScalarAsync<int>(LookupSql, i));
        }
        await connection.ExecuteAsync("SET search_path = pipelined_reset");
        await connection.ExecuteAsync("SELECT set_config('app.user_id', '42', false)");
        await connection.ExecuteAsync("LISTEN pipelined_reset_channel");
        await connection.ExecuteAsync("DECLARE pipelined_reset_cursor CURSOR WITH HOLD FOR SELECT 1");
        await connection.ExecuteAsync("CREATE TEMP TABLE pipelined_reset_temp (id int4)");
        await connection.ExecuteAsync("SELECT pg_advisory_lock(4343)");
        await connection.ExecuteAsync("PREPARE pipelined_reset_sql AS SELECT 1");
        await connection.ExecuteAsync("SET SESSION AUTHORIZATION pg_monitor");

        var dirty = await ReadSessionStateAsync(connection);
        Assert.Equal(("pipelined_reset", "42", "pg_monitor", 1L, 1L, false, 1L, 1L),
            (dirty.SearchPath, dirty.AppUserId, dirty.SessionUser, dirty.ListeningChannels, dirty.Cursors, dirty.TempTableGone,
                dirty.AdvisoryLocks, dirty.SqlStatements));
        Assert.Equal(preparedByDriver, dirty.DriverStatements > 0);
        return (connection.ProcessId, loginUser);
    }

    /// <summary>A user dirties the session (<see cref="DirtySessionAsync"/>) and closes; the next user's connection, on the same backend.</summary>
    private static async Task<(PgConnection Next, int Pid, string LoginUser)> NextUserOfADirtySessionAsync(
        PgDataSource dataSource, bool preparedByDriver)
    {
        await using var previous = await dataSource.OpenConnectionAsync();
        var (pid, loginUser) = await DirtySessionAsync(previous, preparedByDriver);
        await previous.CloseAsync();
        var next = await dataSource.OpenConnectionAsync();
        Assert.Equal(pid, next.ProcessId);
        return (next, pid, loginUser);
    }

    private static void AssertClean(SessionState state, string loginUser, bool preparedByDriver)
    {
        Assert.Equal(DefaultSearchPath, state.SearchPath);
        Assert.True(string.IsNullOrEmpty(state.AppUserId), $"app.user_id is still '{state.AppUserId}'");
        Assert.Equal(loginUser, state.SessionUser);
        Assert.Equal(loginUser, state.CurrentUser);
        Assert.Equal(0L, state.ListeningChannels);
        Assert.Equal(0L, state.Cursors);
        Assert.True(state.TempTableGone);
        Assert.Equal(0L, state.AdvisoryLocks);
        if (preparedByDriver)
        {
            // The driver's statements survive the reset: that is why it does not use DISCARD ALL then.
            Assert.True(state.DriverStatements > 0);
        }
        else
        {
            // Without statements to keep the reset is all of DISCARD ALL, DEALLOCATE ALL included.
            Assert.Equal(0L, state.SqlStatements);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_first_command_that_fails_does_not_undo_the_reset_sent_ahead_of_it(bool preparedByDriver)
    {
        await using var dataSource = CreateDataSource();
        var (next, pid, loginUser) = await NextUserOfADirtySessionAsync(dataSource, preparedByDriver);
        await using var _ = next;
        // A statement this connection has described already: no describe round trip, so the reset and the failing
        // execution go in one write with one Sync, and the failure happens in the same server answer as the reset.
        var error = await Assert.ThrowsAsync<PgServerException>(() => next.QueryScalarAsync<int>(DivideSql, 0).AsTask());
        Assert.Equal(PgErrorCodes.DivisionByZero, error.SqlState);

        AssertClean(await ReadSessionStateAsync(next), loginUser, preparedByDriver);
        Assert.Equal(pid, next.ProcessId);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_first_command_that_succeeds_sees_a_clean_session(bool preparedByDriver)
    {
        await using var dataSource = CreateDataSource();
        var (next, pid, loginUser) = await NextUserOfADirtySessionAsync(dataSource, preparedByDriver);
        await using var _ = next;
        // The state query is itself the first command: the reset's answer comes before its rows.
        AssertClean(await ReadSessionStateAsync(next), loginUser, preparedByDriver);
        Assert.Equal(pid, next.ProcessId);
        if (preparedByDriver) Assert.Equal(8, await next.QueryScalarAsync<int>(LookupSql, 7));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_first_command_that_may_not_run_in_a_transaction_block_runs_after_the_reset(bool preparedByDriver)
    {
        await using var dataSource = CreateDataSource();
        await using var previous = await dataSource.OpenConnectionAsync();
        if (preparedByDriver)
        {
            for (int i = 0; i < 3; i++) await previous.QueryScalarAsync<int>(LookupSql, i);
        }
        await previous.ExecuteAsync("SET search_path = pipelined_reset");
        int pid = previous.ProcessId;
        await previous.CloseAsync();

        await using var next = await dataSource.OpenConnectionAsync();
        Assert.Equal(pid, next.ProcessId);
        // VACUUM refuses to run inside a transaction block: the reset's COMMIT must have ended its transaction.
        await next.ExecuteAsync("VACUUM public.pipelined_reset_probe");

        Assert.Equal(DefaultSearchPath, await next.QueryScalarAsync<string>("SHOW search_path"));
    }

    [Fact]
    public async Task A_transaction_begun_first_starts_in_a_clean_session()
    {
        await using var dataSource = CreateDataSource();
        var (next, _, loginUser) = await NextUserOfADirtySessionAsync(dataSource, preparedByDriver: true);
        await using var _ = next;
        await using (var transaction = await next.BeginTransactionAsync())
        {
            AssertClean(await ReadSessionStateAsync(next), loginUser, preparedByDriver: true);
            await transaction.CommitAsync();
        }
        Assert.False(next.InTransaction);
    }

    [Fact]
    public async Task A_prepare_that_sends_nothing_leaves_the_reset_for_the_next_command_whatever_its_protocol()
    {
        await using var dataSource = CreateDataSource();
        await using var previous = await dataSource.OpenConnectionAsync();
        // Described once on this connection (not yet prepared: automatic preparation starts at the second run).
        Assert.Equal(2, await previous.QueryScalarAsync<int>(LookupSql, 1));
        await previous.ExecuteAsync("SET search_path = pipelined_reset");
        int pid = previous.ProcessId;
        await previous.CloseAsync();

        await using var next = await dataSource.OpenConnectionAsync();
        Assert.Equal(pid, next.ProcessId);
        await using var command = new PgCommand(LookupSql, next);
        command.Parameters.Add(new PgParameter { Value = 1 });
        // The statement is described already: preparing it sends nothing now, so the reset waits in the buffer.
        await command.PrepareAsync();
        // The next command is a simple Query (BEGIN): the reset ahead of it must be one that stands alone.
        await using (var transaction = await next.BeginTransactionAsync())
        {
            Assert.Equal(DefaultSearchPath, await next.QueryScalarAsync<string>("SHOW search_path"));
            Assert.Equal(2, await command.ExecuteScalarAsync());
            await transaction.CommitAsync();
        }
        Assert.True(command.IsPrepared);
    }

    [Theory]
    [InlineData("")]
    [InlineData("DEALLOCATE ALL")]
    [InlineData("DISCARD ALL")]
    public async Task Use_after_use_of_one_session_each_user_finds_it_clean(string dropStatementsSql)
    {
        // The reset's own statements are prepared once a session and reused; a user who drops every prepared
        // statement (the second, when dropStatementsSql is given) drops them too, and the next resets must cope.
        await using var dataSource = CreateDataSource();
        int pid = 0;
        for (int user = 0; user < 5; user++)
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            if (user == 0) pid = connection.ProcessId;
            Assert.Equal(pid, connection.ProcessId);

            Assert.Equal(DefaultSearchPath, await connection.QueryScalarAsync<string>("SHOW search_path"));
            Assert.True(string.IsNullOrEmpty(await connection.QueryScalarAsync<string>("SELECT current_setting('app.user_id', true)")));
            for (int i = 0; i < 2; i++) Assert.Equal(user + i + 1, await connection.QueryScalarAsync<int>(LookupSql, user + i));

            await connection.ExecuteAsync($"SET search_path = user_{user}");
            await connection.ExecuteAsync($"SELECT set_config('app.user_id', '{user}', false)");
            if (user == 1 && dropStatementsSql.Length > 0) await connection.ExecuteAsync(dropStatementsSql);
        }
    }
}
