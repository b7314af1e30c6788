using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace PgWire.Benchmarks;

/// <summary>
/// PostgreSQL's own C benchmark client against the same server: the figure a .NET driver can approach but not
/// pass on this machine, since client and server share its cores.
/// </summary>
internal sealed partial class PgBench(string executable, string connectionString, int seconds)
{
    public const string Database = "pgbench_db";

    /// <summary>
    /// The point lookup of <c>-S</c> behind the session reset a pooled connection gets before its next user, as PgWire
    /// sends it when statements are prepared: the seven statements inside BEGIN ... COMMIT, each prepared once a
    /// connection (as <c>-M prepared</c> does), pipelined with the lookup into one round trip with one Sync. The limit
    /// for W5 and W7 with the reset on.
    /// </summary>
    private const string ResetLookupScript = """
        \set aid random(1, 100000 * :scale)
        \startpipeline
        BEGIN;
        SET SESSION AUTHORIZATION DEFAULT;
        RESET ALL;
        CLOSE ALL;
        UNLISTEN *;
        SELECT pg_advisory_unlock_all();
        DISCARD SEQUENCES;
        DISCARD TEMP;
        COMMIT;
        SELECT abalance FROM pgbench_accounts WHERE aid = :aid;
        \endpipeline

        """;

    /// <summary>
    /// W6's batch as pgbench sends it: <see cref="NpgsqlWorkloads.InsertsPerBatch"/> prepared INSERTs of the bench_insert
    /// row pipelined with one Sync, so one transaction is one batch. The limit for W6 (rows a second = tps x the batch size).
    /// </summary>
    private static string InsertBatchScript()
    {
        var script = new System.Text.StringBuilder("\\startpipeline\n");
        for (int i = 0; i < NpgsqlWorkloads.InsertsPerBatch; i++)
            script.Append(CultureInfo.InvariantCulture, $"INSERT INTO bench_insert (id, name, is_active) VALUES ({i}, 'name {i}', {(i % 2 == 0 ? "true" : "false")});\n");
        return script.Append("\\endpipeline\n").ToString();
    }

    public static string? Locate(string? serverBinDirectory)
    {
        var candidates = new List<string>();
        if (serverBinDirectory is not null) candidates.Add(Path.Combine(serverBinDirectory, "pgbench"));
        if (Directory.Exists("/usr/lib/postgresql"))
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out int v) ? v : 0)
                .Select(d => Path.Combine(d, "bin", "pgbench")));
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            candidates.Add(Path.Combine(dir, "pgbench"));
        return candidates.FirstOrDefault(File.Exists);
    }

    /// <summary>Creates <see cref="Database"/>, initializes it at scale 1, runs the three figures and drops it again.</summary>
    public async Task<IReadOnlyList<(string Run, double? Tps)>> RunAllAsync()
    {
        await using (var admin = new PgConnection(ConnectionStrings.With(connectionString, ("Pooling", "false"))))
        {
            await admin.OpenAsync();
            await admin.ExecuteAsync($"DROP DATABASE IF EXISTS {Database}");
            await admin.ExecuteAsync($"CREATE DATABASE {Database}");
        }
        var script = Path.Combine(Path.GetTempPath(), $"pgwire-bench-select1-{Environment.ProcessId}.sql");
        await File.WriteAllTextAsync(script, "SELECT 1;\n");
        var resetScript = Path.Combine(Path.GetTempPath(), $"pgwire-bench-reset-lookup-{Environment.ProcessId}.sql");
        await File.WriteAllTextAsync(resetScript, ResetLookupScript);
        var insertScript = Path.Combine(Path.GetTempPath(), $"pgwire-bench-insert-batch-{Environment.ProcessId}.sql");
        await File.WriteAllTextAsync(insertScript, InsertBatchScript());
        try
        {
            await RunAsync(["-i", "-s", "1", "-q"], expectTps: false);
            await using (var setup = new PgConnection(ConnectionStrings.With(connectionString, ("Database", Database), ("Pooling", "false"))))
            {
                await setup.OpenAsync();
                await setup.ExecuteAsync("CREATE TABLE bench_insert (id int NOT NULL, name text NOT NULL, is_active bool NOT NULL)");
            }
            string t = seconds.ToString(CultureInfo.InvariantCulture);
            var results = new List<(string, double?)>
            {
                ($"pgbench -S -M prepared -c 1 -j 1 -T {t}", await RunAsync(["-S", "-M", "prepared", "-c", "1", "-j", "1", "-T", t], true)),
                ($"pgbench -S -M prepared -c 64 -j 2 -T {t}", await RunAsync(["-S", "-M", "prepared", "-c", "64", "-j", "2", "-T", t], true)),
                ($"pgbench -n -f select1.sql -M prepared -c 1 -j 1 -T {t}", await RunAsync(["-n", "-f", script, "-M", "prepared", "-c", "1", "-j", "1", "-T", t], true)),
                ($"pgbench -n -f reset-lookup.sql -M prepared -c 1 -j 1 -T {t}", await RunAsync(["-n", "-f", resetScript, "-M", "prepared", "-c", "1", "-j", "1", "-T", t], true)),
                ($"pgbench -n -f reset-lookup.sql -M prepared -c 64 -j 2 -T {t}", await RunAsync(["-n", "-f", resetScript, "-M", "prepared", "-c", "64", "-j", "2", "-T", t], true)),
                ($"pgbench -n -f insert-batch.sql -M prepared -c 1 -j 1 -T {t} (rows/s: tps x {NpgsqlWorkloads.InsertsPerBatch})",
                    await RunAsync(["-n", "-f", insertScript, "-M", "prepared", "-c", "1", "-j", "1", "-T", t], true) * NpgsqlWorkloads.InsertsPerBatch),
            };
            return results;
        }
        finally
        {
            File.Delete(script);
            File.Delete(resetScript);
            File.Delete(insertScript);
            await using var admin = new PgConnection(ConnectionStrings.With(connectionString, ("Pooling", "false")));
            await admin.OpenAsync();
            await admin.ExecuteAsync($"DROP DATABASE IF EXISTS {Database}");
        }
    }

    /// <summary>
    /// One round of W6 as pgbench sends it, on the benchmark's own database in the same rounds as the drivers (bench_insert
    /// emptied first, as before theirs): rows a second, and how busy pgbench's server backend was in the middle of the
    /// round (<see cref="ServerCpu"/>).
    /// </summary>
    public async Task<CClientRound?> InsertBatchRoundAsync()
    {
        string database = CClientProcess.DatabaseOf(connectionString);
        await using (var connection = new PgConnection(ConnectionStrings.With(connectionString, ("Pooling", "false"))))
        {
            await connection.OpenAsync();
            await connection.ExecuteAsync("TRUNCATE bench_insert");
        }
        var script = Path.Combine(Path.GetTempPath(), $"pgwire-bench-insert-round-{Environment.ProcessId}.sql");
        await File.WriteAllTextAsync(script, InsertBatchScript());
        try
        {
            string t = seconds.ToString(CultureInfo.InvariantCulture);
            var run = RunAsync(["-n", "-f", script, "-M", "prepared", "-c", "1", "-j", "1", "-T", t], true, database);
            double? busy = await BackendBusyAsync(run);
            return await run is { } tps ? new CClientRound(tps * NpgsqlWorkloads.InsertsPerBatch, busy) : null;
        }
        finally
        {
            File.Delete(script);
        }
    }

    /// <summary>
    /// The share of the middle of a pgbench run its backend was busy: from a fifth of the run, once its connection is
    /// found in pg_stat_activity, for 60% of the run. Null when pgbench ended first or the backend cannot be read.
    /// </summary>
    private async Task<double?> BackendBusyAsync(Task run)
    {
        await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(seconds * 0.2)));
        if (run.IsCompleted) return null;
        int? pid;
        await using (var connection = new PgConnection(ConnectionStrings.With(connectionString, ("Pooling", "false"))))
        {
            await connection.OpenAsync();
            pid = await connection.QueryScalarAsync<int?>(
                "SELECT pid FROM pg_stat_activity WHERE application_name = 'pgbench' AND datname = current_database() LIMIT 1");
        }
        var before = ServerCpu.Read(pid);
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(seconds * 0.6)));
        if (run.IsCompleted) return null;
        return ServerCpu.Busy(before, ServerCpu.Read(pid), System.Diagnostics.Stopwatch.GetElapsedTime(start));
    }

    private async Task<double?> RunAsync(IReadOnlyList<string> arguments, bool expectTps, string database = Database)
    {
        string output = await CClientProcess.RunAsync(executable, connectionString, arguments, database);
        if (!expectTps) return null;
        var match = Tps().Match(output);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"^tps = ([0-9.]+)", RegexOptions.Multiline)]
    private static partial Regex Tps();
}
