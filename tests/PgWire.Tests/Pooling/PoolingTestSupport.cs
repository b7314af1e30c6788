using System.Globalization;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Pooling;

/// <summary>
/// What the pool tests share: a connection string of its own per test (a pool is per distinct connection string, and
/// the Application Name lets pg_stat_activity find the pool's backends), the server's view of those backends through
/// psql (an oracle independent of the driver), and bounded waits for things that happen in the background.
/// </summary>
internal static class PoolingTestSupport
{
    /// <summary>How long a bounded wait polls before it fails: generous, since only a broken pool ever needs it all.</summary>
    public static readonly TimeSpan WaitBound = TimeSpan.FromSeconds(30);

    /// <summary>An application name no other test uses (short: the server keeps 63 bytes of it).</summary>
    public static string NewApplicationName(string label) =>
        $"pgwire_{label}_{Guid.NewGuid().ToString("N")[..10]}";

    /// <summary>The superuser connection string with its own Application Name and the given pool settings.</summary>
    public static string ConnectionStringFor(this DatabaseFixture db, string applicationName, string settings = "") =>
        $"{db.ConnectionString};Application Name={applicationName}" + (settings.Length > 0 ? ";" + settings : "");

    /// <summary>A data source with a pool of its own (a new Application Name labelled <paramref name="label"/>) and the given settings.</summary>
    public static PgDataSource NewDataSource(this DatabaseFixture db, string label, string settings = "") =>
        PgDataSource.Create(db.ConnectionStringFor(NewApplicationName(label), settings));

    /// <summary>The pids of the server's backends that carry <paramref name="applicationName"/>, as psql sees them.</summary>
    public static async Task<IReadOnlyList<int>> BackendPidsAsync(this DatabaseFixture db, string applicationName)
    {
        string output = await db.Server.RunSqlAsync(
            $"SELECT pid FROM pg_stat_activity WHERE application_name = '{applicationName}' ORDER BY pid");
        return ParseInts(output);
    }

    public static async Task<int> BackendCountAsync(this DatabaseFixture db, string applicationName) =>
        (await db.BackendPidsAsync(applicationName)).Count;

    /// <summary>Ends one backend from a psql session and waits (up to 30 s, PostgreSQL 14+) until it has exited.</summary>
    public static async Task TerminateBackendAsync(this DatabaseFixture db, int pid)
    {
        string output = await db.Server.RunSqlAsync($"SELECT pg_terminate_backend({pid}, 30000)");
        Assert.True(output.Trim() == "t", $"The server did not end backend {pid}: psql said '{output.Trim()}'.");
    }

    /// <summary>
    /// Ends every backend with <paramref name="applicationName"/> except psql's own, without waiting for them to exit;
    /// returns the pids it signalled.
    /// </summary>
    public static async Task<IReadOnlyList<int>> TerminateBackendsAsync(this DatabaseFixture db, string applicationName)
    {
        string output = await db.Server.RunSqlAsync(
            "SELECT pid FROM (SELECT pid, pg_terminate_backend(pid) AS ended FROM pg_stat_activity " +
            $"WHERE application_name = '{applicationName}' AND pid <> pg_backend_pid()) AS t WHERE ended");
        return ParseInts(output);
    }

    /// <summary>
    /// Polls <paramref name="condition"/> until it holds, failing with <paramref name="what"/> if it has not held
    /// within <see cref="WaitBound"/>. For effects that happen in the background (pruning, a backend exiting); the
    /// bound only decides when to give up, never whether a behaviour passes.
    /// </summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var giveUpAt = DateTime.UtcNow + WaitBound;
        while (!await condition())
        {
            if (DateTime.UtcNow > giveUpAt) Assert.Fail($"Gave up after {WaitBound.TotalSeconds:0} s waiting until {what}.");
            await Task.Delay(50);
        }
    }

    /// <inheritdoc cref="EventuallyAsync(Func{Task{bool}}, string)"/>
    public static Task EventuallyAsync(Func<bool> condition, string what) => EventuallyAsync(() => Task.FromResult(condition()), what);

    /// <summary>Awaits <paramref name="task"/>, failing instead of hanging when it has not finished within <paramref name="bound"/>.</summary>
    public static async Task<T> WithinAsync<T>(Task<T> task, TimeSpan bound, string what)
    {
        if (await Task.WhenAny(task, Task.Delay(bound)) != task)
            Assert.Fail($"{what} had not finished after {bound.TotalSeconds:0} s: it hangs.");
        return await task;
    }

    /// <inheritdoc cref="WithinAsync{T}(Task{T}, TimeSpan, string)"/>
    public static async Task WithinAsync(Task task, TimeSpan bound, string what)
    {
        if (await Task.WhenAny(task, Task.Delay(bound)) != task)
            Assert.Fail($"{what} had not finished after {bound.TotalSeconds:0} s: it hangs.");
        await task;
    }

    private static List<int> ParseInts(string psqlOutput) =>
        psqlOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => int.Parse(line, CultureInfo.InvariantCulture))
            .ToList();
}
