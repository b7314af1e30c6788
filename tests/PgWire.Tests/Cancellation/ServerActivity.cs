using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Cancellation;

/// <summary>
/// The server's own view of a backend (pg_stat_activity), seen from a second connection: a test cancels a command only
/// once the server really runs it, so the cancellation cannot arrive before the command and the outcome is decided by
/// what the test means, not by how fast the machine is.
/// </summary>
internal static class ServerActivity
{
    /// <summary>How long a command may take to show up as running before the test fails (a bound on a hang, not a timing assertion).</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    /// <summary>Waits until backend <paramref name="pid"/> is running a statement that starts with <paramref name="queryStart"/>.</summary>
    public static async Task WaitUntilRunningAsync(DatabaseFixture db, int pid, string queryStart)
    {
        await using var observer = await db.OpenAsync();
        var deadline = DateTime.UtcNow + Bound;
        while (await observer.QueryScalarAsync<long>(
                   "SELECT count(*) FROM pg_stat_activity WHERE pid = $1 AND state = 'active' AND starts_with(query, $2)",
                   pid, queryStart) == 0)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Backend {pid} did not start running '{queryStart}...' within {Bound.TotalSeconds} s.");
            await Task.Delay(20);
        }
    }

    /// <summary>Cancels <paramref name="source"/> once backend <paramref name="pid"/> runs a statement starting with <paramref name="queryStart"/>.</summary>
    public static async Task CancelWhenRunningAsync(DatabaseFixture db, int pid, string queryStart, CancellationTokenSource source)
    {
        await WaitUntilRunningAsync(db, pid, queryStart);
        await source.CancelAsync();
    }
}
