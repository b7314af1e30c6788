using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace PgWire.LocalServer;

/// <summary>
/// A throwaway PgBouncer in front of a <see cref="LocalPostgres"/>, in a fresh temporary folder, listening on a free
/// loopback port, for testing how a client behaves behind a pooler (by default in transaction mode, where each
/// transaction may run on another server connection). It lets in the superuser with its password (SCRAM) and
/// forwards every database name to the server. Disposing it ends PgBouncer and deletes the folder.
/// <code>
/// await using var bouncer = await LocalPgBouncer.StartAsync(server);
/// var connectionString = bouncer.ConnectionString + ";Prepared Statements=false";
/// </code>
/// </summary>
public sealed class LocalPgBouncer : IAsyncDisposable, IDisposable
{
    private const int PortAttempts = 3;
    private const string DebianExecutable = "/usr/sbin/pgbouncer";

    internal const string NotFoundMessage =
        "pgbouncer was not found in /usr/sbin or PATH. Install it, e.g. `apt-get install pgbouncer` on Debian/Ubuntu, " +
        "or set LocalPgBouncerOptions.ExecutablePath.";

    private readonly ToolRunner _runner;
    private readonly Action<string>? _log;
    private readonly ExitHooks _exitHooks;
    private Process? _process;
    private int _stopping;

    private LocalPgBouncer(string rootDirectory, ToolRunner runner, Action<string>? log)
    {
        RootDirectory = rootDirectory;
        _runner = runner;
        _log = log;
        // An aborted test run must not leave a pooler behind.
        _exitHooks = new ExitHooks(Stop);
    }

    /// <summary>The address PgBouncer listens on: always the IPv4 loopback.</summary>
    public string Host => ServerConfig.Host;

    /// <summary>The TCP port, picked free at start.</summary>
    public int Port { get; private set; }

    /// <summary>The temporary folder holding the configuration, the user list and the log; deleted on dispose.</summary>
    public string RootDirectory { get; }

    /// <summary>PgBouncer's log file.</summary>
    public string LogFile => Path.Combine(RootDirectory, "pgbouncer.log");

    /// <summary>The superuser through PgBouncer, with password, to the database <c>postgres</c>.</summary>
    public string ConnectionString => ConnectionStringFor("postgres");

    /// <summary>The superuser through PgBouncer, with password, to <paramref name="database"/>.</summary>
    public string ConnectionStringFor(string database) => ConnectionStrings.Build(
        ("Host", Host), ("Port", Port.ToString(CultureInfo.InvariantCulture)),
        ("Username", LocalPostgresRoles.SuperuserName), ("Password", LocalPostgresRoles.SuperuserPassword), ("Database", database));

    /// <summary>Starts PgBouncer with the default options (transaction mode, two server connections per pool).</summary>
    public static Task<LocalPgBouncer> StartAsync(LocalPostgres server, CancellationToken cancellationToken = default) =>
        StartAsync(server, new LocalPgBouncerOptions(), cancellationToken);

    /// <summary>
    /// Starts PgBouncer in front of <paramref name="server"/> and waits until it accepts connections. Throws
    /// <see cref="LocalPostgresException"/> when pgbouncer is missing or does not start; nothing is left behind then.
    /// </summary>
    public static async Task<LocalPgBouncer> StartAsync(LocalPostgres server, LocalPgBouncerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(options);
        if (options.PoolMode is not ("session" or "transaction" or "statement"))
            throw new ArgumentException("PoolMode must be session, transaction or statement.", nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.DefaultPoolSize, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxClientConnections, 1, nameof(options));
        var executable = Locate(options.ExecutablePath);

        var root = CreateRootDirectory();
        LocalPgBouncer bouncer;
        try
        {
            bouncer = new LocalPgBouncer(root, ToolRunner.Create(root, options.Log), options.Log);
        }
        catch
        {
            StaleClusters.TryDelete(root);
            throw;
        }
        try
        {
            await bouncer.StartCoreAsync(executable, server, options, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await bouncer.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        options.Log?.Invoke($"PgBouncer ({options.PoolMode} mode) ready on port {bouncer.Port} in front of port {server.Port}");
        return bouncer;
    }

    /// <summary>Ends PgBouncer and deletes its folder. Calling it again does nothing.</summary>
    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    /// <summary>Same as <see cref="DisposeAsync"/>.</summary>
    public void Dispose() => Stop();

    private static string Locate(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
            return File.Exists(configured)
                ? configured
                : throw new LocalPostgresException($"LocalPgBouncerOptions.ExecutablePath '{configured}' does not exist.");
        if (File.Exists(DebianExecutable))
            return DebianExecutable;
        return PostgresBinaries.FindInPath("pgbouncer") ?? throw new LocalPostgresException(NotFoundMessage);
    }

    private async Task StartCoreAsync(string executable, LocalPostgres server, LocalPgBouncerOptions options, CancellationToken cancellationToken)
    {
        var configFile = Path.Combine(RootDirectory, "pgbouncer.ini");
        // Plain text entries: PgBouncer then does SCRAM with the client and with the server from the same password.
        await File.WriteAllTextAsync(Path.Combine(RootDirectory, "userlist.txt"),
            $"\"{LocalPostgresRoles.SuperuserName}\" \"{LocalPostgresRoles.SuperuserPassword}\"\n", cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort.Pick();
            await File.WriteAllTextAsync(configFile, Config(server, options), cancellationToken).ConfigureAwait(false);
            await _runner.GiveToClusterUserAsync(RootDirectory, async: true, cancellationToken).ConfigureAwait(false);
            var logOffset = TextTail.LengthOf(LogFile);
            // PgBouncer refuses to run as root too: under root it runs as the cluster's OS user, like the server.
            _process = _runner.StartBackground(executable, ["-q", configFile], asClusterUser: true);
            if (await WaitUntilListeningAsync(options.StartTimeout, cancellationToken).ConfigureAwait(false))
                return;
            var newLog = TextTail.ReadFrom(LogFile, logOffset);
            EndProcess();
            if (attempt < PortAttempts && newLog.Contains("Address already in use", StringComparison.Ordinal))
            {
                _log?.Invoke($"Port {Port} was taken before PgBouncer could bind it; trying another");
                continue;
            }
            throw new LocalPostgresException(
                $"PgBouncer did not accept connections on port {Port}.{Environment.NewLine}Log ({LogFile}):{Environment.NewLine}{TextTail.Lines(newLog.Trim(), 30)}");
        }
    }

    private string Config(LocalPostgres server, LocalPgBouncerOptions options)
    {
        var config = new StringBuilder();
        config.Append("[databases]\n");
        config.Append(CultureInfo.InvariantCulture, $"* = host={server.Host} port={server.Port}\n");
        config.Append("[pgbouncer]\n");
        config.Append(CultureInfo.InvariantCulture, $"listen_addr = {Host}\n");
        config.Append(CultureInfo.InvariantCulture, $"listen_port = {Port}\n");
        config.Append("unix_socket_dir =\n");
        config.Append("auth_type = scram-sha-256\n");
        config.Append(CultureInfo.InvariantCulture, $"auth_file = {Path.Combine(RootDirectory, "userlist.txt")}\n");
        config.Append(CultureInfo.InvariantCulture, $"pool_mode = {options.PoolMode}\n");
        config.Append(CultureInfo.InvariantCulture, $"default_pool_size = {options.DefaultPoolSize}\n");
        config.Append(CultureInfo.InvariantCulture, $"max_client_conn = {options.MaxClientConnections}\n");
        // PgBouncer tracks client_encoding, DateStyle, TimeZone and application_name per client itself; other startup
        // parameters a driver may send would make it refuse the connection, so it is told to let them pass unapplied.
        config.Append("ignore_startup_parameters = extra_float_digits,search_path,options\n");
        config.Append(CultureInfo.InvariantCulture, $"logfile = {LogFile}\n");
        config.Append(CultureInfo.InvariantCulture, $"pidfile = {Path.Combine(RootDirectory, "pgbouncer.pid")}\n");
        return config.ToString();
    }

    /// <summary>True once the port accepts a TCP connection; false when PgBouncer exited or the time ran out.</summary>
    private async Task<bool> WaitUntilListeningAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var giveUpAt = Stopwatch.StartNew();
        while (giveUpAt.Elapsed < timeout)
        {
            if (_process is null || _process.HasExited)
                return false;
            using (var client = new TcpClient())
            {
                try
                {
                    await client.ConnectAsync(Host, Port, cancellationToken).ConfigureAwait(false);
                    return true;
                }
                catch (SocketException)
                {
                    // Not listening yet.
                }
            }
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
        return false;
    }

    private void Stop()
    {
        if (Interlocked.Exchange(ref _stopping, 1) != 0)
            return;
        _exitHooks.Dispose();
        EndProcess();
        StaleClusters.TryDelete(RootDirectory);
    }

    private void EndProcess()
    {
        var process = _process;
        _process = null;
        if (process is null)
            return;
        try
        {
            // Under root the process is runuser; its child is PgBouncer, so the whole tree goes.
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
        finally
        {
            process.Dispose();
        }
    }

    private static string CreateRootDirectory()
    {
        // The cluster folders' prefix, so an abandoned one is swept up like theirs.
        var path = Path.Combine(Path.GetTempPath(), StaleClusters.FolderPrefix + "bouncer-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
        // Owner-only: the user list holds a password.
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(path);
        else
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
