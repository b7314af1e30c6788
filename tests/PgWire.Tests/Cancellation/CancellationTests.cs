using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Cancellation;

[Collection("Database")]
public sealed class CancellationTests(DatabaseFixture db)
{
    [Fact]
    public async Task A_token_cancelled_mid_query_stops_the_server_side_command_and_the_connection_stays_usable()
    {
        await using var conn = await db.OpenAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var e = await Assert.ThrowsAsync<PgOperationCanceledException>(
            async () => await conn.ExecuteAsync("SELECT pg_sleep(30)", cts.Token));
        Assert.Equal(PgErrorCodes.QueryCanceled, e.SqlState);
        Assert.Equal(PgErrorCodes.QueryCanceled, Assert.IsType<PgServerException>(e.InnerException).SqlState);
        Assert.Equal(7, await conn.QueryScalarAsync<int>("SELECT 7"));
    }

    [Fact]
    public async Task A_token_cancelled_before_the_call_sends_nothing_and_the_connection_stays_usable()
    {
        await using var conn = await db.OpenAsync();
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAsync<PgOperationCanceledException>(async () => await conn.QueryAsync("SELECT 1", cts.Token));
        Assert.Equal(1, await conn.QueryScalarAsync<int>("SELECT 1"));
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
    public async Task PgCommand_Cancel_from_another_task_stops_a_running_synchronous_command()
    {
        await using var conn = await db.OpenAsync();
        using var cmd = new PgCommand("SELECT pg_sleep(30)", conn);
        var canceller = Task.Run(async () =>
        {
            // Cancel only once the server really runs the sleep, so the cancel cannot arrive before the command.
            await using var observer = await db.OpenAsync();
            while (await observer.QueryScalarAsync<long>(
                       "SELECT count(*) FROM pg_stat_activity WHERE pid = $1 AND query LIKE 'SELECT pg_sleep%' AND state = 'active'",
                       conn.ProcessId) == 0)
                await Task.Delay(20);
            cmd.Cancel();
        });
        Assert.Throws<PgOperationCanceledException>(() => cmd.ExecuteNonQuery());
        await canceller;
        Assert.Equal(3, await conn.QueryScalarAsync<int>("SELECT 3"));
    }
}
