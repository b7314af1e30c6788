using System.Runtime;
using System.Runtime.InteropServices;

namespace PgWire.Benchmarks;

internal static class MachineInfo
{
    public static string Describe(string serverVersion)
    {
        string cpu = CpuModel() is { } model ? $"{model}, " : "";
        return $"Machine: {cpu}{Environment.ProcessorCount} logical cores; {RuntimeInformation.OSDescription} " +
               $"({RuntimeInformation.OSArchitecture}); {RuntimeInformation.FrameworkDescription}, " +
               $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC; PostgreSQL {serverVersion} on the same machine over TCP 127.0.0.1.";
    }

    /// <summary>The 1, 5 and 15 minute load averages: other work on the machine skews every figure, so the report says how busy it was.</summary>
    public static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg")
                ? "load average " + string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3))
                : "load average unknown";
        }
        catch (IOException)
        {
            return "load average unknown";
        }
    }

    private static string? CpuModel()
    {
        try
        {
            return File.Exists("/proc/cpuinfo")
                ? File.ReadLines("/proc/cpuinfo")
                    .FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
                : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
