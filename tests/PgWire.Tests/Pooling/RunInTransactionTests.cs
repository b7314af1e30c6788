using System.Data;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Pooling;

/// <summary>
/// RunInTransactionAsync begins a transaction, runs the unit and commits; a serialization failure (40001) or a
/// deadlock (40P01), raised by the unit or by COMMIT, rolls back and runs the whole unit again, up to maxAttempts;
/// anything else rolls back and propagates. Failures are forced deterministically: a real write skew sequenced with
/// gates, a real deadlock, a deferred trigger that fails the first COMMIT, and RAISE with the SQLSTATE.
/// </summary>
[Collection("Database")]
public sealed class RunInTransactionTests(DatabaseFixture db) : IAsyncLifetime
{
    private const string ForceSerializationFailure =
        "DO $$ BEGIN RAISE EXCEPTION 'forced serialization failure' USING ERRCODE = 'serialization_failure'; END $$";
    private const string ForceDeadlock =
        "DO $$ BEGIN RAISE EXCEPTION 'forced deadlock' USING ERRCODE = 'deadlock_detected'; END $$";

    private PgDataSource _dataSource = null!;

    public async Task InitializeAsync()
    {
        await db.Server.RunSqlAsync(
            "DROP TABLE IF EXISTS rit_probe, rit_on_call, rit_log, rit_commit_probe; " +
            "DROP SEQUENCE IF EXISTS rit_commit_failures; " +
            "DROP FUNCTION IF EXISTS rit_fail_first_commit(); " +
            "CREATE TABLE rit_probe (id int4); " +
            "CREATE TABLE rit_on_call (id int4 PRIMARY KEY, on_call bool NOT NULL); " +
            "INSERT INTO rit_on_call VALUES (1, true), (2, true); " +
            "CREATE TABLE rit_log (attempt int4, seen int8); " +
            "CREATE TABLE rit_commit_probe (attempt int4); " +
            "CREATE SEQUENCE rit_commit_failures; " +
            // A sequence is not transactional: the first COMMIT that fires the trigger fails, every later one passes.
            "CREATE FUNCTION rit_fail_first_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN " +
            "IF nextval('rit_commit_failures') = 1 THEN " +
            "RAISE EXCEPTION 'forced serialization failure at commit' USING ERRCODE = 'serialization_failure'; END IF; " +
            "RETURN NULL; END $$; " +
            "CREATE CONSTRAINT TRIGGER rit_fail_first_commit AFTER INSERT ON rit_commit_probe " +
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION rit_fail_first_commit();");
        _dataSource = db.NewDataSource("rit");
    }

    public async Task DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await db.Server.RunSqlAsync(
            "DROP TABLE IF EXISTS rit_probe, rit_on_call, rit_log, rit_commit_probe; " +
            "DROP SEQUENCE IF EXISTS rit_commit_failures; DROP FUNCTION IF EXISTS rit_fail_first_commit();");
    }

    private async Task<string> StoredAsync(string sql) => (await db.Server.RunSqlAsync(sql)).Trim();

    [Fact]
    public async Task The_work_of_the_unit_is_committed()
    {
        await using var conn = await _dataSource.OpenConnectionAsync();

        await conn.RunInTransactionAsync(async (tx, ct) => await conn.ExecuteAsync("INSERT INTO rit_probe VALUES (1)", ct));

        Assert.Equal("1", await StoredAsync("SELECT string_agg(id::text, ',') FROM rit_probe"));
        Assert.False(conn.InTransaction);
    }

    [Fact]
    public async Task The_value_the_unit_returns_is_returned()
    {
        await using var conn = await _dataSource.OpenConnectionAsync();

        int value = await conn.RunInTransactionAsync(async (tx, ct) => await conn.QueryScalarAsync<int>("SELECT 6 * 7", ct));

        Assert.Equal(42, value);
    }

    [Fact]
    public async Task The_unit_runs_inside_the_transaction_it_is_given()
    {
        await using var conn = await _dataSource.OpenConnectionAsync();

        var (inTransaction, transactionConnection) = await conn.RunInTransactionAsync(
            (tx, ct) => Task.FromResult((conn.InTransaction, tx.Connection)));

        Assert.True(inTransaction);
        Assert.Same(conn, transactionConnection);
    }

    [Fact]
    public async Task The_unit_runs_at_Serializable_unless_told_otherwise()
    {
        await using var conn = await _dataSource.OpenConnectionAsync();

        string? isolation = await conn.RunInTransactionAsync(async (tx, ct) => await conn.QueryScalarAsync<string>("SHOW transaction_isolation", ct));

        Assert.Equal("serializable", isolation);
    }

    [Fact]
    public async Task The_unit_runs_at_the_isolation_level_asked_for()
    {
        await using var conn = await _dataSource.OpenConnectionAsync();

        string? isolation = await conn.RunInTransactionAsync(
            async (tx, ct) => await conn.QueryScalarAsync<string>("SHOW transaction_isolation", ct), IsolationLevel.RepeatableRead);

        Assert.Equal("repeatable read", isolation);
    }

    [Fact]
    public async Task A_write_skew_serialization_failure_runs_the_unit_again_and_the_second_attempt_commits()
    {
        await using var conn = await _dataSource.OpenConnectionAsync();
        await using var other = await _dataSource.OpenConnectionAsync();
        int attempts = 0;
        var firstAttemptRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var otherCommitted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Two doctors on call; each session takes one off if it sees two on call. The unit reads, the other session
        // reads, takes doctor 2 off and commits, then the unit takes doctor 1 off: the classic write skew, which
        // SERIALIZABLE refuses to the unit (40001). Its second attempt sees one doctor on call and leaves it.
        var unit = conn.RunInTransactionAsync(async (tx, ct) =>
        {
            int attempt = Interlocked.Increment(ref attempts);
            long onCall = await conn.QueryScalarAsync<long>("SELECT count(*) FROM rit_on_call WHERE on_call", ct);
            if (attempt == 1)
            {
                firstAttemptRead.SetResult();
                await otherCommitted.Task;
            }
            if (onCall >= 2) await conn.ExecuteAsync("UPDATE rit_on_call SET on_call = false WHERE id = 1", ct);
            await conn.ExecuteAsync("INSERT INTO rit_log VALUES ($1, $2)", ct, attempt, onCall);
        }, IsolationLevel.Serializable);
        await PoolingTestSupport.WithinAsync(firstAttemptRead.Task, PoolingTestSupport.WaitBound, "The unit's first read");
        await using (var transaction = await other.BeginTransactionAsync(IsolationLevel.Serializable))
        {
            Assert.Equal(2L, await other.QueryScalarAsync<long>("SELECT count(*) FROM rit_on_call WHERE on_call"));
            await other.ExecuteAsync("UPDATE rit_on_call SET on_call = false WHERE id = 2");
            await transaction.CommitAsync();
        }

        otherCommitted.SetResult();
        await PoolingTestSupport.WithinAsync(unit, PoolingTestSupport.WaitBound, "The unit");

        Assert.Equal(2, attempts);
        Assert.Equal("2|1", await StoredAsync("SELECT attempt, seen FROM rit_log"));
        Assert.Equal("1", await StoredAsync("SELECT string_agg(id::text, ',') FROM rit_on_call WHERE on_call"));
    }

    [Fact]
    public async Task A_serialization_failure_raised_by_COMMIT_runs_the_unit_again()
    {
        await using var conn = await _dataSource.OpenConnectionAsync();
        int attempts = 0;

        await conn.RunInTransactionAsync(async (tx, ct) =>
        {
            int attempt = Interlocked.Increment(ref attempts);
            await conn.ExecuteAsync("INSERT INTO rit_commit_probe VALUES ($1)", ct, attempt);
        });

        Assert.Equal(2, attempts);
        Assert.Equal("2", await StoredAsync("SELECT string_agg(attempt::text, ',') FROM rit_commit_probe"));
    }

    [Fact]
    public async Task A_real_deadlock_in_the_unit_runs_it_again_and_the_second_attempt_commits()
    {
        await using var conn = await _dataSource.OpenConnectionAsync();
        await using var other = await _dataSource.OpenConnectionAsync();
        // The other session never gives up first: the unit's session is the one to detect the deadlock.
        await other.ExecuteAsync("SET deadlock_timeout = '1min'");
        await using var othersTransaction = await other.BeginTransactionAsync(IsolationLevel.ReadCommitted);
        await other.ExecuteAsync("UPDATE rit_on_call SET on_call = false WHERE id = 2");
        int attempts = 0;
        var firstAttemptLocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var otherWaits = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var unit = conn.RunInTransactionAsync(async (tx, ct) =>
        {
            int attempt = Interlocked.Increment(ref attempts);
            await conn.ExecuteAsync("SELECT set_config('deadlock_timeout', '100ms', true)", ct);
            await conn.ExecuteAsync("UPDATE rit_on_call SET on_call = false WHERE id = 1", ct);
            if (attempt == 1)
            {
                firstAttemptLocked.SetResult();
                await otherWaits.Task;
            }
            await conn.ExecuteAsync("UPDATE rit_on_call SET on_call = false WHERE id = 2", ct);
        }, IsolationLevel.ReadCommitted);
        await PoolingTestSupport.WithinAsync(firstAttemptLocked.Task, PoolingTestSupport.WaitBound, "The unit's first lock");
        var othersUpdate = other.ExecuteAsync("UPDATE rit_on_call SET on_call = false WHERE id = 1").AsTask();
        await PoolingTestSupport.EventuallyAsync(async () => await StoredAsync(
            $"SELECT count(*) FROM pg_stat_activity WHERE pid = {other.ProcessId} AND wait_event_type = 'Lock'") == "1",
            "the other session waits for the unit's row lock");

        otherWaits.SetResult();
        await PoolingTestSupport.WithinAsync(othersUpdate, PoolingTestSupport.WaitBound, "The other session's update");
        await othersTransaction.CommitAsync();
        await PoolingTestSupport.WithinAsync(unit, PoolingTestSupport.WaitBound, "The unit");

        Assert.Equal(2, attempts);
        Assert.Equal("", await StoredAsync("SELECT coalesce(string_agg(id::text, ','), '') FROM rit_on_call WHERE on_call"));
    }

    [Fact]
    public async Task A_deadlock_error_raised_by_the_unit_runs_it_again()
    {
        await using var conn = await _dataSource.OpenConnectionAsync();
        int attempts = 0;

        await conn.RunInTransactionAsync(async (tx, ct) =>
        {
            int attempt = Interlocked.Increment(ref attempts);
            await conn.ExecuteAsync("INSERT INTO rit_probe VALUES ($1)", ct, attempt);
            if (attempt == 1) await conn.ExecuteAsync(ForceDeadlock, ct);
        });

        Assert.Equal(2, attempts);
        Assert.Equal("2", await StoredAsync("SELECT string_agg(id::text, ',') FROM rit_probe"));
    }

    [Fact]
    public async Task A_unit_that_fails_with_40001_on_every_attempt_runs_maxAttempts_times_and_the_failure_propagates()
    {
        await using var conn = await _dataSource.OpenConnectionAsync();
        int attempts = 0;

        var e = await Assert.ThrowsAsync<PgServerException>(() => conn.RunInTransactionAsync(async (tx, ct) =>
        {
            Interlocked.Increment(ref attempts);
            await conn.ExecuteAsync(ForceSerializationFailure, ct);
        }, maxAttempts: 3));

        Assert.Equal(PgErrorCodes.SerializationFailure, e.SqlState);
        Assert.Equal(3, attempts);
        Assert.False(conn.InTransaction);
    }

    [Fact]
    public async Task A_non_retryable_server_error_runs_the_unit_once_rolls_it_back_and_propagates()
    {
        await using var conn = await _dataSource.OpenConnectionAsync();
        int attempts = 0;

        var e = await Assert.ThrowsAsync<PgServerException>(() => conn.RunInTransactionAsync(async (tx, ct) =>
        {
            Interlocked.Increment(ref attempts);
            await conn.ExecuteAsync("INSERT INTO rit_probe VALUES (1)", ct);
            await conn.ExecuteAsync("SELECT 1 / 0", ct);
        }));

        Assert.Equal(PgErrorCodes.DivisionByZero, e.SqlState);
        Assert.Equal(1, attempts);
        Assert.False(conn.InTransaction);
        Assert.Equal("0", await StoredAsync("SELECT count(*) FROM rit_probe"));
    }

    [Fact]
    public async Task An_exception_thrown_by_the_unit_itself_runs_it_once_rolls_it_back_and_propagates()
    {
        await using var conn = await _dataSource.OpenConnectionAsync();
        int attempts = 0;

        await Assert.ThrowsAsync<TimeZoneNotFoundException>(() => conn.RunInTransactionAsync(async (tx, ct) =>
        {
            Interlocked.Increment(ref attempts);
            await conn.ExecuteAsync("INSERT INTO rit_probe VALUES (1)", ct);
            throw new TimeZoneNotFoundException("the unit's own failure");
        }));

        Assert.Equal(1, attempts);
        Assert.False(conn.InTransaction);
        Assert.Equal("0", await StoredAsync("SELECT count(*) FROM rit_probe"));
    }

    [Fact]
    public async Task The_connection_runs_commands_after_a_unit_gave_up()
    {
        await using var conn = await _dataSource.OpenConnectionAsync();
        await Assert.ThrowsAsync<PgServerException>(() => conn.RunInTransactionAsync(
            async (tx, ct) => await conn.ExecuteAsync(ForceSerializationFailure, ct), maxAttempts: 2));

        Assert.Equal(1, await conn.QueryScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public async Task The_data_source_runs_a_unit_again_on_a_serialization_failure_and_commits_it()
    {
        int attempts = 0;

        await _dataSource.RunInTransactionAsync(async (conn, tx, ct) =>
        {
            int attempt = Interlocked.Increment(ref attempts);
            await conn.ExecuteAsync("INSERT INTO rit_probe VALUES ($1)", ct, attempt);
            if (attempt == 1) await conn.ExecuteAsync(ForceSerializationFailure, ct);
        });

        Assert.Equal(2, attempts);
        Assert.Equal("2", await StoredAsync("SELECT string_agg(id::text, ',') FROM rit_probe"));
    }

    [Fact]
    public async Task The_data_source_returns_the_value_of_the_unit_and_its_connection_to_the_pool()
    {
        int value = await _dataSource.RunInTransactionAsync(async (conn, tx, ct) => await conn.QueryScalarAsync<int>("SELECT 6 * 7", ct));

        Assert.Equal(42, value);
        Assert.Equal(0, _dataSource.Statistics.Busy);
        Assert.Equal(1, _dataSource.Statistics.Idle);
    }

    [Fact]
    public async Task The_data_source_returns_the_connection_of_a_failed_unit_to_the_pool()
    {
        await Assert.ThrowsAsync<PgServerException>(() => _dataSource.RunInTransactionAsync(
            async (conn, tx, ct) => await conn.ExecuteAsync("SELECT 1 / 0", ct)));

        Assert.Equal(0, _dataSource.Statistics.Busy);
        Assert.Equal(1, _dataSource.Statistics.Idle);
    }

    [Fact]
    public async Task The_data_source_gives_the_unit_a_connection_inside_the_transaction()
    {
        var (inTransaction, isolation) = await _dataSource.RunInTransactionAsync(async (conn, tx, ct) =>
            (conn.InTransaction && tx.Connection == conn, await conn.QueryScalarAsync<string>("SHOW transaction_isolation", ct)));

        Assert.True(inTransaction);
        Assert.Equal("serializable", isolation);
    }
}
