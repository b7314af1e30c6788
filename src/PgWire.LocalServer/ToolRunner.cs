using System.Diagnostics;
using System.Text;

namespace PgWire.LocalServer;

/// <summary>
/// Runs the PostgreSQL tools as the OS user that owns the cluster, capturing their output.
/// PostgreSQL refuses to run as root, so under root every tool goes through
/// <c>runuser -u postgres --</c> and the cluster's folder is handed to that user.
/// </summary>
internal sealed class ToolRunner
{
    internal const string ClusterOsUser = "postgres";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly string _workingDirectory;
    private readonly Action<string>? _log;
    private readonly string? _runuser;

    private ToolRunner(string workingDirectory, Action<string>? log, string? runuser)
    {
        _workingDirectory = workingDirectory;
        _log = log;
        _runuser = runuser;
    }

    public static ToolRunner Create(string workingDirectory, Action<string>? log)
    {
        if (!RunningAsRoot)
            return new ToolRunner(workingDirectory, log, runuser: null);
        var runuser = new[] { "/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser" }.FirstOrDefault(File.Exists)
            ?? PostgresBinaries.FindInPath("runuser")
            ?? throw new LocalPostgresException(
                $"This process runs as root, which PostgreSQL refuses; the cluster would run as the OS user '{ClusterOsUser}' through runuser, but runuser was not found.");
        return new ToolRunner(workingDirectory, log, runuser);
    }

    /// <summary>Windows has no root; there pg_ctl drops administrator rights by itself.</summary>
    public static bool RunningAsRoot => !OperatingSystem.IsWindows() && Environment.IsPrivilegedProcess;

    /// <summary>Makes <paramref name="path"/> (recursively) the cluster user's; nothing to do when that is us.</summary>
    public async ValueTask GiveToClusterUserAsync(string path, bool async, CancellationToken cancellationToken)
    {
        if (_runuser is null)
            return;
        var result = await RunAsync("chown", ["-R", ClusterOsUser + ":", path], asClusterUser: false, async, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
            throw new LocalPostgresException(
                $"This process runs as root, which PostgreSQL refuses, so the cluster runs as the OS user '{ClusterOsUser}'. " +
                result.Describe("Handing the cluster folder to that user"));
    }

    /// <summary>Runs a tool; <paramref name="asClusterUser"/> routes it through runuser when we are root.</summary>
    public async ValueTask<ProcessResult> RunAsync(
        string fileName, IReadOnlyList<string> arguments, bool asClusterUser, bool async, CancellationToken cancellationToken)
    {
        var startInfo = CreateStartInfo(fileName, arguments, asClusterUser);
        var command = Path.GetFileName(fileName) + " " + string.Join(' ', arguments);
        _log?.Invoke(command);
        var stopwatch = Stopwatch.StartNew();

        using var process = new Process { StartInfo = startInfo };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new LocalPostgresException($"Could not run {startInfo.FileName}: {e.Message}", e);
        }
        // Nothing reads our stdin: a tool that waits for input must see end-of-file, not hang.
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        if (async)
        {
            try
            {
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                KillQuietly(process);
                throw;
            }
        }
        else
        {
            process.WaitForExit();
        }

        _log?.Invoke($"  exit {process.ExitCode} after {stopwatch.ElapsedMilliseconds} ms");
        string output, error;
        lock (stdout)
            output = stdout.ToString();
        lock (stderr)
            error = stderr.ToString();
        return new ProcessResult(command, process.ExitCode, output, error);
    }

    /// <summary>
    /// Starts a program that keeps running (a connection pooler) and returns it without waiting; its output is read
    /// and dropped so a full pipe can never stall it. The caller ends it.
    /// </summary>
    public Process StartBackground(string fileName, IReadOnlyList<string> arguments, bool asClusterUser)
    {
        var startInfo = CreateStartInfo(fileName, arguments, asClusterUser);
        _log?.Invoke(Path.GetFileName(fileName) + " " + string.Join(' ', arguments) + " (in the background)");
        var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            process.Dispose();
            throw new LocalPostgresException($"Could not run {startInfo.FileName}: {e.Message}", e);
        }
        process.StandardInput.Close();
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private ProcessStartInfo CreateStartInfo(string fileName, IReadOnlyList<string> arguments, bool asClusterUser)
    {
        var startInfo = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Utf8,
            StandardErrorEncoding = Utf8,
            WorkingDirectory = _workingDirectory,
        };
        if (asClusterUser && _runuser is not null)
        {
            startInfo.FileName = _runuser;
            foreach (var argument in (string[])["-u", ClusterOsUser, "--", fileName])
                startInfo.ArgumentList.Add(argument);
        }
        else
        {
            startInfo.FileName = fileName;
        }
        foreach (var argument in arguments)
            startInfo.ArgumentList.Add(argument);
        IsolateEnvironment(startInfo.Environment);
        return startInfo;
    }

    /// <summary>
    /// The caller's PG* variables (PGHOST, PGOPTIONS, PGSSLMODE, PGDATA...) would steer the tools away from this
    /// cluster, and a localized message could hide the "Address already in use" that triggers a port retry.
    /// </summary>
    private static void IsolateEnvironment(IDictionary<string, string?> environment)
    {
        foreach (var name in environment.Keys.Where(k => k.StartsWith("PG", StringComparison.Ordinal)).ToList())
            environment.Remove(name);
        environment["PGCLIENTENCODING"] = "UTF8";
        environment["LC_ALL"] = "C";
    }

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
            return;
        lock (builder)
            builder.Append(line).Append('\n');
    }

    private static void KillQuietly(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
    }
}
