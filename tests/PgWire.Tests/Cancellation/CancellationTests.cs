using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Cancellation;

/// <summary>
/// The caller's cancellation is .NET's OperationCanceledException carrying the caller's token (the server's 57014 error
/// inside when the command had reached the server); Command Timeout is a database failure, PgTimeoutException around a
/// TimeoutException. Either way the connection stays usable.
/// </summary>
[Collection("Database")]
public sealed class CancellationTests(DatabaseFixture db)
{
    private const string LongSleep = "SELECT pg_sleep(10)";

    private static void AssertServerStoppedIt(Exception e) =>
        Assert.Equal(PgErrorCodes.QueryCanceled, Assert.IsType<PgServerException>(e.InnerException).SqlState);

    [Fact]
    public async Task A_token_cancelled_mid_query_stops_the_server_side_command_and_the_connection_stays_usable()
    {
        await using var conn = await db.OpenAsync();
        using var cts = new CancellationTokenSource();
        var canceller = ServerActivity.CancelWhenRunningAsync(db, conn.ProcessId, "SELECT pg_sleep", cts);

        var e = await Assert.ThrowsAsync<OperationCanceledException>(async () => await conn.ExecuteAsync(LongSleep, cts.Token));

        await canceller;
        Assert.Equal(cts.Token, e.CancellationToken);
        AssertServerStoppedIt(e);
        Assert.Equal(7, await conn.QueryScalarAsync<int>("SELECT 7"));
    }

    [Fact]
    public async Task A_token_cancelled_during_ExecuteReaderAsync_of_a_long_command_carries_the_token_and_the_servers_57014()
    {
        await using var conn = await db.OpenAsync();
        int pid = conn.ProcessId;
        await using var cmd = new PgCommand(LongSleep, conn);
        using var cts = new CancellationTokenSource();
        var canceller = ServerActivity.CancelWhenRunningAsync(db, pid, "SELECT pg_sleep", cts);

        var e = await Assert.ThrowsAsync<OperationCanceledException>(() => cmd.ExecuteReaderAsync(cts.Token));

        await canceller;
        Assert.Equal(cts.Token, e.CancellationToken);
        AssertServerStoppedIt(e);
        Assert.Equal(pid, await conn.QueryScalarAsync<int>("SELECT pg_backend_pid()"));
        Assert.Equal(1, await conn.QueryScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public async Task A_token_cancelled_before_the_call_sends_nothing_and_the_connection_stays_usable()
    {
        await using var conn = await db.OpenAsync();
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        var e = await Assert.ThrowsAsync<OperationCanceledException>(async () => await conn.QueryAsync("SELECT 1", cts.Token));

        Assert.Equal(cts.Token, e.CancellationToken);
        Assert.Null(e.InnerException);
        Assert.Equal(1, await conn.QueryScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public async Task A_token_cancelled_before_the_call_never_reaches_the_server()
    {
        await using var conn = await db.OpenAsync();
        await conn.ExecuteAsync("CREATE TEMP SEQUENCE cancelled_before_call");
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        await Assert.ThrowsAsync<OperationCanceledException>(async () => await conn.QueryScalarAsync<long>("SELECT nextval('cancelled_before_call')", cts.Token));

        // The server never saw the cancelled call: the sequence's first value is still to be taken.
        Assert.Equal(1L, await conn.QueryScalarAsync<long>("SELECT nextval('cancelled_before_call')"));
    }

    [Fact]
    public async Task An_ASP_NET_style_handler_tells_the_aborted_request_from_a_database_failure()
    {
        await using var conn = await db.OpenAsync();
        using var requestAborted = new CancellationTokenSource();
        var canceller = ServerActivity.CancelWhenRunningAsync(db, conn.ProcessId, "SELECT pg_sleep", requestAborted);

        string outcome = await HandleAsync(conn, LongSleep, requestAborted.Token);
        await canceller;
        string failure = await HandleAsync(conn, "SELECT 1/0", CancellationToken.None);

        Assert.Equal("aborted", outcome);
        Assert.Equal("database error 22012", failure);

        static async Task<string> HandleAsync(PgConnection conn, string sql, CancellationToken token)
        {
            try
            {
                await conn.ExecuteAsync(sql, token);
                return "ok";
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return "aborted";
            }
            catch (System.Data.Common.DbException e)
            {
                return $"database error {e.SqlState}";
            }
        }
    }

    [Fact]
    public async Task A_token_cancelled_while_ReadAsync_reads_rows_ends_the_command_and_the_connection_stays_usable()
    {
        await using var conn = await db.OpenAsync();
        int pid = conn.ProcessId;
        // Far more rows than the socket buffers hold: the server is still producing them when the cancel arrives (in the
        // select list the series is streamed; in FROM the server would first materialise all of it).
        await using var cmd = new PgCommand("SELECT generate_series(1, 100000000)", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        using var cts = new CancellationTokenSource();
        long read = 0;

        var e = await Assert.ThrowsAsync<OperationCanceledException>(async () =>
        {
            while (await reader.ReadAsync(cts.Token))
                if (++read == 1000) cts.Cancel();
        });

        Assert.True(read >= 1000, $"only {read} rows were read");
        Assert.Equal(cts.Token, e.CancellationToken);
        AssertServerStoppedIt(e);
        await reader.DisposeAsync();
        Assert.Equal(pid, await conn.QueryScalarAsync<int>("SELECT pg_backend_pid()"));
    }

    [Fact]
    public async Task A_token_cancelled_while_NextResultAsync_drains_a_long_result_ends_the_command_with_the_token()
    {
        await using var conn = await db.OpenAsync();
        int pid = conn.ProcessId;
        // The server answers a batch at its end or when its output buffer fills: a long first result keeps it producing
        // rows while NextResultAsync drains them.
        await using var batch = new PgBatch(conn)
        {
            BatchCommands = { new PgBatchCommand("SELECT generate_series(1, 100000000)"), new PgBatchCommand("SELECT 2") },
        };
        await using var reader = await batch.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        var e = await Assert.ThrowsAsync<OperationCanceledException>(() => reader.NextResultAsync(cts.Token));

        Assert.Equal(cts.Token, e.CancellationToken);
        AssertServerStoppedIt(e);
        await reader.DisposeAsync();
        Assert.Equal(pid, await conn.QueryScalarAsync<int>("SELECT pg_backend_pid()"));
    }

    [Fact]
    public async Task A_token_cancelled_mid_batch_stops_it_and_the_connection_stays_usable()
    {
        await using var conn = await db.OpenAsync();
        await conn.ExecuteAsync("CREATE TEMP TABLE cancelled_batch (id int4)");
        await using var batch = new PgBatch(conn)
        {
            BatchCommands =
            {
                new PgBatchCommand("INSERT INTO cancelled_batch VALUES (1)"),
                new PgBatchCommand(LongSleep),
                new PgBatchCommand("INSERT INTO cancelled_batch VALUES (2)"),
            },
        };
        using var cts = new CancellationTokenSource();
        var canceller = ServerActivity.CancelWhenRunningAsync(db, conn.ProcessId, "SELECT pg_sleep", cts);

        var e = await Assert.ThrowsAsync<OperationCanceledException>(() => batch.ExecuteNonQueryAsync(cts.Token));

        await canceller;
        Assert.Equal(cts.Token, e.CancellationToken);
        AssertServerStoppedIt(e);
        // A batch is one transaction: the insert before the cancelled statement is gone too.
        Assert.Equal(0L, await conn.QueryScalarAsync<long>("SELECT count(*) FROM cancelled_batch"));
    }

    [Fact]
    public async Task Command_Timeout_ends_a_long_command_with_a_timeout_error_and_the_connection_stays_usable()
    {
        await using var conn = await db.OpenAsync(db.ConnectionString + ";Command Timeout=1");
        var e = await Assert.ThrowsAsync<PgTimeoutException>(async () => await conn.ExecuteAsync("SELECT pg_sleep(30)"));
        Assert.Contains("Command Timeout of 1 s", e.Message);
        Assert.Equal(PgErrorCodes.QueryCanceled, e.SqlState);
        Assert.Equal(2, await conn.QueryScalarAsync<int>("SELECT 2"));
    }

    [Fact]
    public async Task Command_Timeout_is_a_DbException_whose_inner_exception_is_a_TimeoutException_around_the_servers_57014()
    {
        await using var conn = await db.OpenAsync(db.ConnectionString + ";Command Timeout=1");
        using var cts = new CancellationTokenSource();

        // A token that never cancels does not turn the timeout into a cancellation.
        var e = await Assert.ThrowsAsync<PgTimeoutException>(async () => await conn.ExecuteAsync("SELECT pg_sleep(30)", cts.Token));

        Assert.IsAssignableFrom<System.Data.Common.DbException>(e);
        Assert.IsNotAssignableFrom<OperationCanceledException>(e);
        Assert.True(e.IsTransient);
        var timeout = Assert.IsType<TimeoutException>(e.InnerException);
        AssertServerStoppedIt(timeout);
        Assert.Equal(3, await conn.QueryScalarAsync<int>("SELECT 3"));
    }

    [Fact]
    public async Task PgCommand_Cancel_from_another_task_stops_a_running_synchronous_command()
    {
        await using var conn = await db.OpenAsync();
        using var cmd = new PgCommand("SELECT pg_sleep(30)", conn);
        var canceller = Task.Run(async () =>
        {
            // Cancel only once the server really runs the sleep, so the cancel cannot arrive before the command.
            await ServerActivity.WaitUntilRunningAsync(db, conn.ProcessId, "SELECT pg_sleep");
            cmd.Cancel();
        });

        // Cancel() is the caller giving up too, with no token to carry.
        var e = Assert.Throws<OperationCanceledException>(() => cmd.ExecuteNonQuery());

        await canceller;
        Assert.False(e.CancellationToken.CanBeCanceled);
        AssertServerStoppedIt(e);
        Assert.Equal(3, await conn.QueryScalarAsync<int>("SELECT 3"));
    }

    [Fact]
    public async Task A_57014_the_driver_did_not_ask_for_stays_the_servers_error()
    {
        await using var conn = await db.OpenAsync();
        using var cts = new CancellationTokenSource();
        int pid = conn.ProcessId;
        var canceller = Task.Run(async () =>
        {
            await ServerActivity.WaitUntilRunningAsync(db, pid, "SELECT pg_sleep");
            await using var admin = await db.OpenAsync();
            await admin.QueryScalarAsync<bool>("SELECT pg_cancel_backend($1)", pid);
        });

        // Another session cancelled the query: a database failure, not the caller's cancellation (its token never fired).
        var e = await Assert.ThrowsAsync<PgServerException>(async () => await conn.ExecuteAsync(LongSleep, cts.Token));

        await canceller;
        Assert.Equal(PgErrorCodes.QueryCanceled, e.SqlState);
        Assert.Equal(4, await conn.QueryScalarAsync<int>("SELECT 4"));
    }
}
