using Xunit.Abstractions;
using PgWire.Sql;
namespace PgWire.Tests.Sql;
public sealed class TmpPerf(ITestOutputHelper o)
{
    [Fact]
    public void Perf()
    {
        foreach (int count in new[] { 4000, 16000, 64000, 4000, 16000, 64000 })
        {
            string big = "INSERT INTO t VALUES " + string.Join(", ", Enumerable.Range(1, count).Select(n => $"(${n}, 'x;y', E'\\'')")) + "; SELECT $3";
            var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
            var sw = System.Diagnostics.Stopwatch.StartNew();
            for (int i = 0; i < 5; i++) SqlSplitter.Split(big);
            o.WriteLine($"split {count}: {sw.Elapsed.TotalMilliseconds / 5 / count * 1e6:F0} ns per row, cpu {(System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / 5 / count * 1e6:F0}");
            sw.Restart();
            int n = 0;
            for (int i = 0; i < 5; i++) { var sc = new SqlScanner(big); while (sc.Next(out _)) n++; }
            o.WriteLine($"scan {count}: {sw.Elapsed.TotalMilliseconds / 5 / count * 1e6:F0} ns per row");
        }
    }
}
