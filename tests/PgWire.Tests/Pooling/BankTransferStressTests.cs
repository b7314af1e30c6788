using System.Collections.Concurrent;
using System.Data;
using System.Diagnostics;
using System.Globalization;
using PgWire.Tests.Infrastructure;
using Xunit.Abstractions;

namespace PgWire.Tests.Pooling;

/// <summary>
/// Issue 4's bank-transfer stress: 64 tasks move money between 100 accounts through
/// <see cref="PgDataSource.RunInTransactionAsync(Func{PgConnection, PgTransaction, CancellationToken, Task}, IsolationLevel, int, CancellationToken)"/>
/// (SERIALIZABLE) over a pool of at most 10 connections, once undisturbed and once while every one of the pool's
/// backends is terminated a few times. What the server holds is read through psql, independent of the driver.
/// </summary>
[Collection("Database")]
public sealed class BankTransferStressTests(DatabaseFixture db, ITestOutputHelper output) : IAsyncLifetime
{
    private const int Tasks = 64;
    private const int MaxPoolSize = 10;
    private const int Accounts = 100;
    private const int InitialBalance = 1000;
    private const long TotalBalance = (long)Accounts * InitialBalance;

    /// <summary>
    /// Issue 4's 1,000 per task, 64,000 in all: on the 2-core test machine they take about 15 s (some 4,500 transfers
    /// a second, about one in ten retried after a serialization failure), so the full count is kept.
    /// </summary>
    private const int TransfersPerTask = 1000;

    /// <summary>Fewer under faults (19,200, a few seconds): the point is the kills, not the volume.</summary>
    private const int TransfersPerTaskUnderFaults = 300;

    /// <summary>
    /// Attempts a transfer may take. Under this contention about one attempt in ten meets a serialization failure and a
    /// few transfers a run need 6 or 7 attempts; once in a few runs one needed more than the default 10, which is a
    /// limit working as specified (RunInTransactionTests covers it), not what this test is about.
    /// </summary>
    private const int MaxAttempts = 50;

    /// <summary>How many times every backend of the pool is terminated during the faulted run.</summary>
    private const int Kills = 4;

    /// <summary>A run that has not finished by then hangs: the test fails instead of waiting for ever.</summary>
    private static readonly TimeSpan RunBound = TimeSpan.FromMinutes(5);

    // Fixed SQL text (no interpolation: an interpolated string passed to the native API becomes parameters).
    private const string AddToBalanceSql = "UPDATE stress_accounts SET balance = balance + $1 WHERE id = $2";
    private const string RecordTransferSql =
        "INSERT INTO stress_transfers (id, from_id, to_id, amount) VALUES ($1, $2, $3, $4) RETURNING id";
    private const string TotalBalanceSql = "SELECT sum(balance) FROM stress_accounts";

    private sealed record Transfer(long Id, int From, int To, int Amount);

    public async Task InitializeAsync() => await db.Server.RunSqlAsync(
        "DROP TABLE IF EXISTS stress_accounts, stress_transfers; " +
        "CREATE TABLE stress_accounts (id int4 PRIMARY KEY, balance int4 NOT NULL); " +
        $"INSERT INTO stress_accounts SELECT g, {InitialBalance} FROM generate_series(1, {Accounts}) AS g; " +
        "CREATE TABLE stress_transfers (id int8 PRIMARY KEY, from_id int4 NOT NULL, to_id int4 NOT NULL, amount int4 NOT NULL);");

    public async Task DisposeAsync() => await db.Server.RunSqlAsync("DROP TABLE IF EXISTS stress_accounts, stress_transfers");

    [Fact]
    public async Task Concurrent_serializable_transfers_lose_no_money_apply_each_transfer_once_and_stay_within_the_pool_maximum()
    {
        string app = PoolingTestSupport.NewApplicationName("stress");
        await using var dataSource = PgDataSource.Create(db.ConnectionStringFor(app, $"Maximum Pool Size={MaxPoolSize}"));
        long attempts = 0;
        var applied = new ConcurrentQueue<Transfer>();
        var histogram = new SortedDictionary<int, int>();
        var stopwatch = Stopwatch.StartNew();

        var run = Task.WhenAll(Enumerable.Range(0, Tasks).Select(task => Task.Run(async () =>
        {
            var random = new Random(task);
            for (int n = 0; n < TransfersPerTask; n++)
            {
                var transfer = RandomTransfer(random, (long)task * TransfersPerTask + n);
                int tries = 0;
                try
                {
                    await ApplyAsync(dataSource, transfer, record: false, onAttempt: () => { Interlocked.Increment(ref attempts); tries++; });
                }
                catch (Exception e)
                {
                    output.WriteLine($"Transfer {transfer} failed after {tries} attempts: {e}");
                    throw;
                }
                lock (histogram) histogram[tries] = histogram.GetValueOrDefault(tries) + 1;
                applied.Enqueue(transfer);
            }
        })));
        var totalsSeenDuringRun = ReadTotalsUntilAsync(dataSource, run);
        var peaks = SamplePeaksUntilAsync(dataSource, app, run);

        await PoolingTestSupport.WithinAsync(run, RunBound, "The 64 transfer tasks");
        stopwatch.Stop();
        output.WriteLine("Attempts a transfer took (attempts:transfers): " + string.Join(", ", histogram.Select(kv => $"{kv.Key}:{kv.Value}")));
        var totals = await totalsSeenDuringRun;
        var (peakBackends, peakPooled) = await peaks;
        output.WriteLine($"{Tasks * TransfersPerTask} transfers in {stopwatch.Elapsed.TotalSeconds:0.0} s " +
                         $"({Tasks * TransfersPerTask / stopwatch.Elapsed.TotalSeconds:0} a second), {attempts} attempts " +
                         $"({attempts - Tasks * TransfersPerTask} retried); {totals.Count} total checks; peak {peakBackends} backends.");

        Assert.Equal(Tasks * TransfersPerTask, applied.Count);
        Assert.Equal(TotalBalance, await StoredTotalAsync());
        Assert.Equal(ExpectedBalances(applied), await StoredBalancesAsync());
        Assert.NotEmpty(totals);
        Assert.All(totals, total => Assert.Equal(TotalBalance, total));
        var statistics = dataSource.Statistics;
        Assert.Equal(0, statistics.Busy);
        Assert.Equal(0, statistics.Waiting);
        Assert.InRange(statistics.Idle, 1, MaxPoolSize);
        Assert.True(peakPooled <= MaxPoolSize, $"The pool held {peakPooled} connections (idle + busy) at once; its maximum is {MaxPoolSize}.");
        Assert.True(peakBackends <= MaxPoolSize, $"The server saw {peakBackends} backends of the pool at once; its maximum is {MaxPoolSize}.");
    }

    [Fact]
    public async Task Transfers_while_backends_are_terminated_fail_with_PgException_and_every_transfer_seen_committed_is_stored()
    {
        string app = PoolingTestSupport.NewApplicationName("faults");
        await using var dataSource = PgDataSource.Create(db.ConnectionStringFor(app, $"Maximum Pool Size={MaxPoolSize}"));
        const int total = Tasks * TransfersPerTaskUnderFaults;
        var attempted = new ConcurrentDictionary<long, Transfer>();
        var committed = new ConcurrentQueue<long>();
        var failures = new ConcurrentQueue<Exception>();
        var killedPids = new List<int>();
        int finished = 0, killsDone = 0, committedAfterLastKill = 0;
        var stopwatch = Stopwatch.StartNew();

        var run = Task.WhenAll(Enumerable.Range(0, Tasks).Select(task => Task.Run(async () =>
        {
            var random = new Random(1000 + task);
            for (int n = 0; n < TransfersPerTaskUnderFaults; n++)
            {
                var transfer = RandomTransfer(random, (long)task * TransfersPerTaskUnderFaults + n);
                attempted[transfer.Id] = transfer;
                bool afterLastKill = Volatile.Read(ref killsDone) == Kills;
                try
                {
                    await ApplyAsync(dataSource, transfer, record: true);
                    committed.Enqueue(transfer.Id);
                    if (afterLastKill) Interlocked.Increment(ref committedAfterLastKill);
                }
                catch (Exception e)
                {
                    failures.Enqueue(e);
                }
                finally
                {
                    Interlocked.Increment(ref finished);
                }
            }
        })));
        var killer = Task.Run(async () =>
        {
            // Spread by progress, not by time: the kills land at 20%, 40%, 60% and 80% of the transfers.
            for (int kill = 1; kill <= Kills; kill++)
            {
                while (Volatile.Read(ref finished) < total * kill / (Kills + 1) && !run.IsCompleted) await Task.Delay(5);
                killedPids.AddRange(await db.TerminateBackendsAsync(app));
                Interlocked.Increment(ref killsDone);
            }
        });

        await PoolingTestSupport.WithinAsync(Task.WhenAll(run, killer), RunBound, "The 64 transfer tasks and the killer");
        stopwatch.Stop();
        var stored = await StoredTransfersAsync();
        output.WriteLine($"{total} transfers in {stopwatch.Elapsed.TotalSeconds:0.0} s: {committed.Count} committed, {failures.Count} failed " +
                         $"({stored.Count - committed.Count} of which had committed nonetheless); {killedPids.Count} backends terminated; " +
                         $"{committedAfterLastKill} committed after the last kill.");

        var notPgExceptions = failures.Where(e => e is not PgException).ToList();
        if (notPgExceptions.Count > 0) output.WriteLine($"{notPgExceptions.Count} not PgException; the first: {notPgExceptions[0]}");
        Assert.True(notPgExceptions.Count == 0,
            "Calls failed with something other than a PgException: " +
            string.Join("; ", notPgExceptions.Take(5).Select(e => $"{e.GetType().Name}: {e.Message}")));
        Assert.True(killedPids.Count > 0, "The killer found no backend of the pool to terminate.");
        Assert.True(failures.Count > 0, "No call failed: the kills hit nothing in flight, so the test showed nothing.");
        Assert.True(failures.Count <= killedPids.Count,
            $"{failures.Count} calls failed but only {killedPids.Count} backends were terminated: a broken connection was handed out again.");
        Assert.True(committedAfterLastKill > 0, "No transfer committed after the last kill.");

        var missing = committed.Where(id => !stored.ContainsKey(id)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} transfers the client saw committed are not in the table, e.g. {string.Join(", ", missing.Take(5))}.");
        Assert.All(stored.Values, row => Assert.Equal(attempted[row.Id], row));
        Assert.Equal(TotalBalance, await StoredTotalAsync());
        Assert.Equal(ExpectedBalances(stored.Values), await StoredBalancesAsync());

        var statistics = dataSource.Statistics;
        Assert.True(statistics.Destroyed > 0, "The pool destroyed no connection although its backends were terminated.");
        Assert.Equal(0, statistics.Busy);
        Assert.Equal(0, statistics.Waiting);
    }

    private static Transfer RandomTransfer(Random random, long id)
    {
        int from = random.Next(1, Accounts + 1);
        int to = random.Next(1, Accounts);
        if (to >= from) to++;
        return new Transfer(id, from, to, random.Next(1, 101));
    }

    private static Task ApplyAsync(PgDataSource dataSource, Transfer transfer, bool record, Action? onAttempt = null) =>
        dataSource.RunInTransactionAsync(async (connection, transaction, ct) =>
        {
            onAttempt?.Invoke();
            // The lower id first: all transfers lock rows in one order, so they conflict (40001, retried) but never
            // deadlock, which would cost a deadlock_timeout (1 s) each.
            var (first, firstDelta, second, secondDelta) = transfer.From < transfer.To
                ? (transfer.From, -transfer.Amount, transfer.To, transfer.Amount)
                : (transfer.To, transfer.Amount, transfer.From, -transfer.Amount);
            await connection.ExecuteAsync(AddToBalanceSql, ct, firstDelta, first);
            await connection.ExecuteAsync(AddToBalanceSql, ct, secondDelta, second);
            if (record)
            {
                // The id comes back from the server: a reply read from the wrong place in the stream would show here.
                long echoed = await connection.QueryScalarAsync<long>(RecordTransferSql, ct, transfer.Id, transfer.From, transfer.To, transfer.Amount);
                if (echoed != transfer.Id) throw new InvalidDataException($"Recorded transfer {transfer.Id}, the server answered {echoed}.");
            }
        }, IsolationLevel.Serializable, MaxAttempts);

    /// <summary>The sum of all balances, read in a REPEATABLE READ snapshot through the pool, until <paramref name="until"/> ends.</summary>
    private static async Task<List<long>> ReadTotalsUntilAsync(PgDataSource dataSource, Task until)
    {
        var totals = new List<long>();
        do
        {
            totals.Add(await dataSource.RunInTransactionAsync(
                async (connection, transaction, ct) => await connection.QueryScalarAsync<long>(TotalBalanceSql, ct),
                IsolationLevel.RepeatableRead));
        }
        while (await Task.WhenAny(until, Task.Delay(500)) != until);
        return totals;
    }

    /// <summary>The most backends psql saw with the pool's application name, and the most connections the pool held.</summary>
    private async Task<(int Backends, int Pooled)> SamplePeaksUntilAsync(PgDataSource dataSource, string app, Task until)
    {
        int backends = 0, pooled = 0;
        do
        {
            var statistics = dataSource.Statistics;
            pooled = Math.Max(pooled, statistics.Idle + statistics.Busy);
            backends = Math.Max(backends, await db.BackendCountAsync(app));
        }
        while (await Task.WhenAny(until, Task.Delay(100)) != until);
        return (backends, pooled);
    }

    private static long[] ExpectedBalances(IEnumerable<Transfer> transfers)
    {
        var balances = Enumerable.Repeat((long)InitialBalance, Accounts).ToArray();
        foreach (var transfer in transfers)
        {
            balances[transfer.From - 1] -= transfer.Amount;
            balances[transfer.To - 1] += transfer.Amount;
        }
        return balances;
    }

    private async Task<long> StoredTotalAsync() =>
        long.Parse((await db.Server.RunSqlAsync(TotalBalanceSql)).Trim(), CultureInfo.InvariantCulture);

    private async Task<long[]> StoredBalancesAsync() =>
        (await db.Server.RunSqlAsync("SELECT balance FROM stress_accounts ORDER BY id"))
        .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(line => long.Parse(line, CultureInfo.InvariantCulture))
        .ToArray();

    private async Task<Dictionary<long, Transfer>> StoredTransfersAsync() =>
        (await db.Server.RunSqlAsync("SELECT id, from_id, to_id, amount FROM stress_transfers"))
        .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(line => line.Split('|').Select(field => long.Parse(field, CultureInfo.InvariantCulture)).ToArray())
        .Select(f => new Transfer(f[0], (int)f[1], (int)f[2], (int)f[3]))
        .ToDictionary(t => t.Id);
}
