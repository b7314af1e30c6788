using System.Globalization;

namespace PgWire.Benchmarks;

/// <summary>
/// The CPU time a server backend has used, read from /proc: available on Linux when the server runs on this machine
/// (the benchmark's own throwaway server does). A backend's CPU time over a round's wall time is how busy the server
/// was for that connection: the rest of the round it waited for the client, so a client can gain at most that idle
/// share on a workload that keeps one connection busy.
/// </summary>
internal static class ServerCpu
{
    /// <summary>Linux reports utime and stime in USER_HZ ticks, 100 a second on every architecture it supports.</summary>
    private const double TicksPerSecond = 100;

    /// <summary>The backend's user plus system CPU time so far, or null when it cannot be read here.</summary>
    public static TimeSpan? Read(int? processId)
    {
        if (processId is not { } pid || !OperatingSystem.IsLinux()) return null;
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name (which may hold spaces, inside parentheses): state is field 3, utime 14, stime 15.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / TicksPerSecond);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>The share of <paramref name="wall"/> the backend spent on CPU between two readings, or null.</summary>
    public static double? Busy(TimeSpan? before, TimeSpan? after, TimeSpan wall) =>
        before is { } b && after is { } a && wall > TimeSpan.Zero ? (a - b) / wall : null;
}
