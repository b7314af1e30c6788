using System.Diagnostics;

namespace PgWire.LocalServer;

/// <summary>
/// Removes the folders of clusters whose test run died without cleaning up. Only folders that are certainly
/// abandoned go: a postmaster.pid naming a process that no longer exists, or no server at all for a day.
/// </summary>
internal static class StaleClusters
{
    public const string FolderPrefix = "pgwire-";

    private static readonly TimeSpan Abandoned = TimeSpan.FromDays(1);

    public static void Sweep(Action<string>? log)
    {
        try
        {
            foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), FolderPrefix + "*"))
            {
                if (IsStale(folder))
                {
                    log?.Invoke($"Removing stale cluster folder {folder}");
                    TryDelete(folder);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Housekeeping only: never a reason to fail a start.
        }
    }

    private static bool IsStale(string folder)
    {
        var pidFile = Path.Combine(folder, "data", "postmaster.pid");
        if (!File.Exists(pidFile))
            return DateTime.UtcNow - Directory.GetLastWriteTimeUtc(folder) > Abandoned;
        var pid = PgCtl.ReadPostmasterPid(pidFile);
        return pid is not null && !ProcessExists(pid.Value);
    }

    private static bool ProcessExists(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    public static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next sweep.
        }
    }
}
