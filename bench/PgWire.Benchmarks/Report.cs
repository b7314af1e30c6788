using System.Globalization;
using System.Text;

namespace PgWire.Benchmarks;

/// <summary>The final summary as Markdown, ready to paste into docs/benchmarks.md.</summary>
internal static class Report
{
    public static string Markdown(string machine, BenchOptions options, IReadOnlyList<WorkloadResult> results,
        IReadOnlyList<(string Run, double? Tps)> pgBench, ChecksumBook checksums)
    {
        var text = new StringBuilder();
        Line(text, machine);
        Line(text, $"{options.Rounds} rounds of {options.SecondsPerRound:0.###} s per driver and workload after a {options.WarmupSeconds:0.###} s warm-up; " +
                   "rates are the median round (min–max); CPU and allocations are medians over the rounds.");
        Line(text, "");
        Line(text, "| Workload | PgWire /s | Npgsql /s | rate PgWire/Npgsql | round by round | CPU ms/1k PgWire | CPU ms/1k Npgsql | CPU PgWire/Npgsql | alloc B/unit PgWire | alloc B/unit Npgsql | alloc PgWire/Npgsql |");
        Line(text, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (workload, pgWire, npgsql) in results)
        {
            Line(text, $"| {workload.Id} {workload.Title} ({workload.Unit}) | {Rate(pgWire)} | {Rate(npgsql)} | " +
                       $"{Ratio(pgWire, npgsql, r => r.MedianRate)} | {PairedRatio(pgWire, npgsql)} | " +
                       $"{Number(pgWire, r => r.MedianCpuMsPerThousand, "N2")} | {Number(npgsql, r => r.MedianCpuMsPerThousand, "N2")} | " +
                       $"{Ratio(pgWire, npgsql, r => r.MedianCpuMsPerThousand)} | " +
                       $"{Bytes(pgWire)} | {Bytes(npgsql)} | " +
                       $"{Ratio(pgWire, npgsql, r => r.MedianBytesPerUnit)} |");
        }
        Line(text, "");
        Line(text, "Rate ratio above 1: PgWire is faster. CPU and allocation ratios below 1: PgWire is cheaper. " +
                   "CPU is the whole client process (all threads, GC included). Round by round: the median of each round's " +
                   "PgWire/Npgsql rate, the two drivers of a round having run back to back, so a change in the machine's pace " +
                   "between rounds cancels out.");
        var withCClient = results.Where(r => r.CClientMedianRate is not null).ToList();
        if (withCClient.Count > 0)
        {
            Line(text, "");
            Line(text, "| Workload | C client in the same rounds | C client /s (median) | PgWire/C | Npgsql/C |");
            Line(text, "| --- | --- | ---: | ---: | ---: |");
            foreach (var result in withCClient)
            {
                double c = result.CClientMedianRate!.Value;
                Line(text, string.Create(CultureInfo.InvariantCulture,
                    $"| {result.Workload.Id} | {result.Workload.CClient!.Label} | {c:N0} | " +
                    $"{(result.PgWire.Ran ? (result.PgWire.MedianRate / c).ToString("0.00", CultureInfo.InvariantCulture) : "n/a")} | " +
                    $"{(result.Npgsql.Ran ? (result.Npgsql.MedianRate / c).ToString("0.00", CultureInfo.InvariantCulture) : "n/a")} |"));
            }
        }
        var withServer = results.Where(r => r.PgWire.MedianServerBusy is not null || r.Npgsql.MedianServerBusy is not null).ToList();
        if (withServer.Count > 0)
        {
            Line(text, "");
            Line(text, "| Workload | server backend busy, PgWire | Npgsql | C client |");
            Line(text, "| --- | ---: | ---: | ---: |");
            foreach (var result in withServer)
                Line(text, $"| {result.Workload.Id} | {Busy(result.PgWire.MedianServerBusy)} | {Busy(result.Npgsql.MedianServerBusy)} | {Busy(result.CClientMedianServerBusy)} |");
            Line(text, "");
            Line(text, "Busy: the share of each round the connection's server process spent on CPU (median of the rounds, from /proc). " +
                       "The rest of the round it waited for the client: a faster client can gain at most that share.");
        }
        if (pgBench.Count > 0)
        {
            Line(text, "");
            Line(text, "| pgbench and psql (C clients, same server) | tps (rows/s where noted) |");
            Line(text, "| --- | ---: |");
            foreach (var (run, tps) in pgBench)
                Line(text, $"| `{run}` | {(tps is { } value ? value.ToString("N0", CultureInfo.InvariantCulture) : "?")} |");
        }
        if (checksums.ByDriver.Count > 0)
        {
            Line(text, "");
            Line(text, "W3 checksums: " + string.Join(", ", checksums.ByDriver
                .OrderBy(c => c.Key, StringComparer.Ordinal)
                .Select(c => $"{c.Key} {c.Value.Sum:X16} over {c.Value.Rows:N0} rows")) + (checksums.ByDriver.Count > 1 ? " (equal)" : ""));
        }
        return text.ToString();
    }

    private static string Rate(DriverResult result) => result.Ran
        ? string.Create(CultureInfo.InvariantCulture, $"{result.MedianRate:N0} ({result.MinRate:N0}–{result.MaxRate:N0})")
        : result.Driver == PgWireWorkloads.Name ? "n/a (not yet in PgWire)" : "n/a";

    private static string PairedRatio(DriverResult pgWire, DriverResult npgsql)
    {
        if (!pgWire.Ran || !npgsql.Ran || pgWire.Rounds!.Count != npgsql.Rounds!.Count) return "n/a";
        var ratios = pgWire.Rounds.Zip(npgsql.Rounds, (p, n) => p.UnitsPerSecond / n.UnitsPerSecond);
        return DriverResult.Median(ratios).ToString("0.00", CultureInfo.InvariantCulture);
    }

    private static string Busy(double? share) => share is { } value ? value.ToString("P0", CultureInfo.InvariantCulture) : "n/a";

    private static string Number(DriverResult result, Func<DriverResult, double> metric, string format) =>
        result.Ran ? metric(result).ToString(format, CultureInfo.InvariantCulture) : "n/a";

    private static string Bytes(DriverResult result) =>
        result.Ran ? result.MedianBytesPerUnit.ToString(result.MedianBytesPerUnit >= 100 ? "N0" : "N1", CultureInfo.InvariantCulture) : "n/a";

    private static string Ratio(DriverResult pgWire, DriverResult npgsql, Func<DriverResult, double> metric)
    {
        if (!pgWire.Ran || !npgsql.Ran) return "n/a";
        double denominator = metric(npgsql);
        return denominator == 0 ? "n/a" : (metric(pgWire) / denominator).ToString("0.00", CultureInfo.InvariantCulture);
    }

    private static void Line(StringBuilder text, string line) => text.Append(line).Append('\n');
}
