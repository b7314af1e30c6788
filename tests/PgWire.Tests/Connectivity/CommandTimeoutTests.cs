using System.Diagnostics;
using PgWire.Tests.Cancellation;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Connectivity;

/// <summary>
/// A running query ends when Command Timeout passes or the caller's CancellationToken fires: the driver sends a
/// CancelRequest, the server answers 57014, and the connection runs the next command on the same backend. A timeout is
/// a PgTimeoutException; the caller's cancellation is an OperationCanceledException carrying its token.
/// </summary>
[Collection("Database")]
public sealed class CommandTimeoutTests(DatabaseFixture db)
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(10);

    private const string LongSleep = "SELECT 1 FROM pg_sleep(30)";

    private string WithCommandTimeout(int seconds) =>
        new PgConnectionStringBuilder(db.ConnectionString) { CommandTimeout = seconds, Pooling = false }.ConnectionString;

    [Fact]
    public async Task Command_Timeout_ends_a_long_query_within_seconds_with_sqlstate_57014_and_a_timeout_message()
    {
        await using var conn = await db.OpenAsync(WithCommandTimeout(1));
        var elapsed = Stopwatch.StartNew();

        var e = await Assert.ThrowsAnyAsync<PgException>(() => conn.QueryScalarAsync<int>(LongSleep).AsTask());

        Assert.True(elapsed.Elapsed < Generous, $"took {elapsed.Elapsed}");
        Assert.Equal(PgErrorCodes.QueryCanceled, e.SqlState);
        Assert.Contains("timeout", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.IsAssignableFrom<PgTimeoutException>(e);
        Assert.IsType<TimeoutException>(e.InnerException);
    }

    [Fact]
    public async Task After_a_command_timeout_the_same_backend_runs_the_next_query()
    {
        await using var conn = await db.OpenAsync(WithCommandTimeout(1));
        var pid = conn.ProcessId;

        await Assert.ThrowsAnyAsync<PgException>(() => conn.QueryScalarAsync<int>(LongSleep).AsTask());

        Assert.Equal(System.Data.ConnectionState.Open, conn.State);
        Assert.Equal(pid, await conn.QueryScalarAsync<int>("SELECT pg_backend_pid()"));
        Assert.Equal(2, await conn.QueryScalarAsync<int>("SELECT 2"));
    }

    [Fact]
    public async Task PgCommand_CommandTimeout_overrides_the_connection_default()
    {
        await using var conn = await db.OpenAsync(WithCommandTimeout(0));
        await using var cmd = new PgCommand(LongSleep, conn) { CommandTimeout = 1 };
        var elapsed = Stopwatch.StartNew();

        var e = await Assert.ThrowsAnyAsync<PgException>(() => cmd.ExecuteScalarAsync());

        Assert.True(elapsed.Elapsed < Generous, $"took {elapsed.Elapsed}");
        Assert.Equal(PgErrorCodes.QueryCanceled, e.SqlState);
        await using var next = new PgCommand("SELECT 3", conn);
        Assert.Equal(3, await next.ExecuteScalarAsync());
    }

    [Fact]
    public void The_synchronous_ExecuteScalar_times_out_too()
    {
        using var conn = new PgConnection(WithCommandTimeout(1));
        conn.Open();
        using var cmd = new PgCommand(LongSleep, conn);
        var elapsed = Stopwatch.StartNew();

        var e = Assert.ThrowsAny<PgException>(() => cmd.ExecuteScalar());

        Assert.True(elapsed.Elapsed < Generous, $"took {elapsed.Elapsed}");
        Assert.Equal(PgErrorCodes.QueryCanceled, e.SqlState);
        using var next = new PgCommand("SELECT 4", conn);
        Assert.Equal(4, next.ExecuteScalar());
    }

    [Fact]
    public async Task A_CancellationToken_that_fires_mid_query_ends_it_with_OperationCanceledException_around_sqlstate_57014()
    {
        await using var conn = await db.OpenAsync(WithCommandTimeout(0));
        using var cts = new CancellationTokenSource();
        var canceller = ServerActivity.CancelWhenRunningAsync(db, conn.ProcessId, LongSleep, cts);
        var elapsed = Stopwatch.StartNew();

        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => conn.QueryScalarAsync<int>(LongSleep, cts.Token).AsTask());

        await canceller;
        Assert.True(elapsed.Elapsed < Generous, $"took {elapsed.Elapsed}");
        Assert.Equal(cts.Token, e.CancellationToken);
        Assert.Equal(PgErrorCodes.QueryCanceled, Assert.IsType<PgServerException>(e.InnerException).SqlState);
    }

    [Fact]
    public async Task After_a_cancelled_query_the_same_backend_runs_the_next_query()
    {
        await using var conn = await db.OpenAsync(WithCommandTimeout(0));
        var pid = conn.ProcessId;
        using var cts = new CancellationTokenSource();
        var canceller = ServerActivity.CancelWhenRunningAsync(db, pid, LongSleep, cts);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => conn.QueryScalarAsync<int>(LongSleep, cts.Token).AsTask());

        await canceller;
        Assert.Equal(pid, await conn.QueryScalarAsync<int>("SELECT pg_backend_pid()"));
    }

    [Fact]
    public async Task A_cancelled_token_on_ExecuteReaderAsync_mid_query_ends_it_and_the_connection_stays_usable()
    {
        await using var conn = await db.OpenAsync(WithCommandTimeout(0));
        await using var cmd = new PgCommand(LongSleep, conn);
        using var cts = new CancellationTokenSource();
        var canceller = ServerActivity.CancelWhenRunningAsync(db, conn.ProcessId, LongSleep, cts);

        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await using var reader = await cmd.ExecuteReaderAsync(cts.Token);
            while (await reader.ReadAsync(cts.Token)) { }
        });

        await canceller;
        Assert.Equal(cts.Token, e.CancellationToken);
        Assert.Equal(PgErrorCodes.QueryCanceled, Assert.IsType<PgServerException>(e.InnerException).SqlState);
        Assert.Equal(5, await conn.QueryScalarAsync<int>("SELECT 5"));
    }
}
