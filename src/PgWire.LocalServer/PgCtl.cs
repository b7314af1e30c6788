using System.Diagnostics;
using System.Globalization;

namespace PgWire.LocalServer;

/// <summary>Starts and stops the postmaster of one data directory through pg_ctl.</summary>
internal sealed class PgCtl(ToolRunner runner, PostgresBinaries binaries, string dataDirectory, string logFile, Action<string>? log)
{
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(10);

    private int? _postmasterPid;

    public string LogFile => logFile;

    /// <summary>Starts the server and waits until it accepts connections; on failure says so and returns the server log's new lines.</summary>
    public async Task<(bool Started, ProcessResult Result, string NewLog)> StartAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var logOffset = TextTail.LengthOf(logFile);
        var seconds = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        var result = await runner.RunAsync(
            binaries.PgCtl, ["start", "-w", "-t", seconds, "-D", dataDirectory, "-l", logFile], asClusterUser: true, async: true, cancellationToken)
            .ConfigureAwait(false);
        _postmasterPid = ReadPostmasterPid();
        return (result.Succeeded, result, result.Succeeded ? "" : TextTail.ReadFrom(logFile, logOffset));
    }

    /// <summary>
    /// Stops the server: fast shutdown (ends sessions, checkpoints), then immediate, then killing the postmaster
    /// and its backends, so a stuck backend cannot keep a test run from finishing. Never throws.
    /// </summary>
    public async ValueTask StopAsync(bool immediateOnly, bool async)
    {
        try
        {
            if (!IsRunning)
                return;
            if (!immediateOnly && await TryStopAsync("fast", async).ConfigureAwait(false))
                return;
            if (await TryStopAsync("immediate", async).ConfigureAwait(false))
                return;
            KillPostmaster();
        }
        catch (Exception e)
        {
            log?.Invoke($"Stopping the server failed: {e.Message}");
        }
    }

    /// <summary>The postmaster removes its pid file last thing on the way out.</summary>
    public bool IsRunning => File.Exists(PidFile);

    private string PidFile => Path.Combine(dataDirectory, "postmaster.pid");

    private async ValueTask<bool> TryStopAsync(string mode, bool async)
    {
        var seconds = ((int)StopWait.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        var result = await runner.RunAsync(
            binaries.PgCtl, ["stop", "-D", dataDirectory, "-m", mode, "-w", "-t", seconds], asClusterUser: true, async, CancellationToken.None)
            .ConfigureAwait(false);
        // pg_ctl also fails when there was nothing to stop; the pid file tells which.
        return result.Succeeded || !IsRunning;
    }

    private void KillPostmaster()
    {
        var pid = _postmasterPid ?? ReadPostmasterPid();
        if (pid is null)
            return;
        log?.Invoke($"pg_ctl could not stop the server; killing postmaster {pid}");
        try
        {
            using var process = Process.GetProcessById(pid.Value);
            process.Kill(entireProcessTree: true);
            process.WaitForExit(StopWait);
        }
        catch (ArgumentException)
        {
            // Exited in the meantime.
        }
    }

    /// <summary>The first line of postmaster.pid is the postmaster's process id.</summary>
    internal static int? ReadPostmasterPid(string pidFile)
    {
        try
        {
            var firstLine = File.ReadLines(pidFile).FirstOrDefault();
            return int.TryParse(firstLine, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0 ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private int? ReadPostmasterPid() => ReadPostmasterPid(PidFile);
}
