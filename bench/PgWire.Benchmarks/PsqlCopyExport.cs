using System.Globalization;
using System.Text.RegularExpressions;

namespace PgWire.Benchmarks;

/// <summary>
/// W4e's export as psql (libpq, C) runs it, its data thrown away undecoded: the rate at which the server sends the
/// rows, which a driver that also decodes every value can approach but not pass on this machine. One psql session runs
/// the COPY a number of times with \timing; the figure is the median run.
/// </summary>
internal sealed partial class PsqlCopyExport(string executable, string connectionString)
{
    /// <summary>Runs at the end, on their own.</summary>
    public const int Runs = 7;

    /// <summary>Runs in each round of W4e, after the drivers'.</summary>
    public const int RoundRuns = 3;

    public static string? Locate(string? pgBenchPath) =>
        pgBenchPath is null ? null : Path.Combine(Path.GetDirectoryName(pgBenchPath)!, "psql") is { } psql && File.Exists(psql) ? psql : null;

    public string Label => $"psql: {CopyData.ExportSql}, {CopyData.Rows:N0} rows, data to /dev/null, median of {Runs} (rows/s)";

    public async Task<double?> RunAsync(int runs = Runs)
    {
        var arguments = new List<string> { "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", "\\timing on", "-c", "\\o /dev/null" };
        for (int i = 0; i < runs; i++) arguments.AddRange(["-c", CopyData.ExportSql]);
        arguments.Add("-d");
        string output = await CClientProcess.RunAsync(executable, connectionString, arguments, CClientProcess.DatabaseOf(connectionString));
        var times = Time().Matches(output).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Order().ToArray();
        if (times.Length != runs) return null;
        return CopyData.Rows / (times[runs / 2] / 1000);
    }

    [GeneratedRegex(@"^Time: ([0-9.]+) ms", RegexOptions.Multiline)]
    private static partial Regex Time();
}
