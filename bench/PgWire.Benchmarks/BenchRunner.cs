using System.Diagnostics;
using System.Globalization;

namespace PgWire.Benchmarks;

/// <summary>
/// Runs each workload for both drivers against the same server: a warm-up of each, then rounds alternating
/// PgWire, Npgsql, Npgsql, PgWire, PgWire, ... so drift in the machine or the server touches both alike.
/// </summary>
internal sealed class BenchRunner(BenchOptions options)
{
    public async Task<WorkloadResult> RunAsync(Workload workload)
    {
        Console.WriteLine();
        Console.WriteLine($"{workload.Id}  {workload.Title}  (unit: {workload.Unit})");
        var pgWire = workload.PgWire is null ? null : await workload.PgWire();
        var npgsql = workload.Npgsql is null ? null : await workload.Npgsql();
        try
        {
            if (pgWire is null) Console.WriteLine($"  {PgWireWorkloads.Name,-7} n/a (not yet in PgWire)");
            if (npgsql is null) Console.WriteLine($"  {NpgsqlWorkloads.Name,-7} n/a");
            if (pgWire is not null) await WarmUpAsync(pgWire);
            if (npgsql is not null) await WarmUpAsync(npgsql);

            List<RoundResult>? pgWireRounds = pgWire is null ? null : [];
            List<RoundResult>? npgsqlRounds = npgsql is null ? null : [];
            var cClientRounds = new List<CClientRound>();
            for (int round = 1; round <= options.Rounds; round++)
            {
                // PgWire first in odd rounds, Npgsql first in even ones: neither always runs right after the other.
                bool pgWireFirst = round % 2 == 1;
                if (pgWireFirst && pgWire is not null) pgWireRounds!.Add(await MeasureAsync(PgWireWorkloads.Name, round, workload, pgWire));
                if (npgsql is not null) npgsqlRounds!.Add(await MeasureAsync(NpgsqlWorkloads.Name, round, workload, npgsql));
                if (!pgWireFirst && pgWire is not null) pgWireRounds!.Add(await MeasureAsync(PgWireWorkloads.Name, round, workload, pgWire));
                if (workload.CClient is { } cClient && await cClient.RunRoundAsync() is { } cRound)
                {
                    cClientRounds.Add(cRound);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  round {round}  {"C",-7} {cRound.Rate,12:N0} {workload.Unit}/s   ({cClient.Label}){BusyNote(cRound.ServerBusy)}"));
                }
            }
            return new WorkloadResult(workload,
                new DriverResult(PgWireWorkloads.Name, pgWireRounds), new DriverResult(NpgsqlWorkloads.Name, npgsqlRounds))
            {
                CClientRounds = workload.CClient is null ? null : cClientRounds,
            };
        }
        finally
        {
            if (pgWire is not null) await pgWire.DisposeAsync();
            if (npgsql is not null) await npgsql.DisposeAsync();
        }
    }

    private async Task WarmUpAsync(WorkloadSession session)
    {
        await session.BeforeRoundAsync();
        await session.RunAsync(Deadline(Stopwatch.GetTimestamp(), options.WarmupSeconds));
    }

    private async Task<RoundResult> MeasureAsync(string driver, int round, Workload workload, WorkloadSession session)
    {
        await session.BeforeRoundAsync();
        // Each round starts from a clean heap, so neither driver pays for the other's garbage.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        var serverBefore = ServerCpu.Read(session.ServerProcessId);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        long workItemsBefore = ThreadPool.CompletedWorkItemCount;
        long start = Stopwatch.GetTimestamp();
        long units = await session.RunAsync(Deadline(start, options.SecondsPerRound));
        var elapsed = Stopwatch.GetElapsedTime(start);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        // Thread-pool work items per unit: on a single connection, the hand-offs from the socket engine's thread per
        // round trip (the same for both drivers: one a reply).
        double workItems = (double)(ThreadPool.CompletedWorkItemCount - workItemsBefore) / Math.Max(1, units);
        double? serverBusy = ServerCpu.Busy(serverBefore, ServerCpu.Read(session.ServerProcessId), elapsed);

        var result = new RoundResult(units, elapsed, cpu, allocated, serverBusy);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  round {round}  {driver,-7} {result.UnitsPerSecond,12:N0} {workload.Unit}/s   " +
            $"cpu {result.CpuMsPerThousand,9:N2} ms/1k   alloc {result.BytesPerUnit,9:N1} B/{workload.Unit}   " +
            $"pool items {workItems,6:N2}/{workload.Unit}{BusyNote(serverBusy)}"));
        return result;
    }

    private static string BusyNote(double? serverBusy) =>
        serverBusy is { } busy ? string.Create(CultureInfo.InvariantCulture, $"   server busy {busy,4:P0}") : "";

    private static long Deadline(long start, double seconds) => start + (long)(seconds * Stopwatch.Frequency);
}
