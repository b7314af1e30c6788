using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace PgWire.LocalServer;

/// <summary>
/// A throwaway PostgreSQL cluster in a fresh temporary folder, started from the installed server binaries,
/// for tests, samples and benchmarks (no Docker). Disposing it stops the server and deletes the folder.
/// <code>
/// await using var server = await LocalPostgres.StartAsync();
/// var connectionString = server.ConnectionStringFor(LocalPostgresRole.Scram);
/// </code>
/// </summary>
public sealed partial class LocalPostgres : IAsyncDisposable, IDisposable
{
    private const int PortAttempts = 3;

    private readonly ToolRunner _runner;
    private readonly PostgresBinaries _binaries;
    private readonly PgCtl _pgCtl;
    private readonly Action<string>? _log;
    private readonly ExitHooks _exitHooks;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _stopping;
    private TimeSpan _startTimeout = TimeSpan.FromSeconds(60);

    private LocalPostgres(string rootDirectory, PostgresBinaries binaries, ToolRunner runner, Action<string>? log)
    {
        RootDirectory = rootDirectory;
        DataDirectory = Path.Combine(rootDirectory, "data");
        SocketDirectory = Path.Combine(rootDirectory, "socket");
        _binaries = binaries;
        _runner = runner;
        _log = log;
        _pgCtl = new PgCtl(runner, binaries, DataDirectory, Path.Combine(rootDirectory, "server.log"), log);
        // An aborted test run must not leave postmasters behind: the last chance to stop ours.
        _exitHooks = new ExitHooks(() => Stop(immediateOnly: true, waitForOtherStop: false));
    }

    /// <summary>The address the server listens on over TCP: always the IPv4 loopback.</summary>
    public string Host => ServerConfig.Host;

    /// <summary>The TCP port, picked free at start unless <see cref="LocalPostgresOptions.Port"/> fixed it.</summary>
    public int Port { get; private set; }

    /// <summary>The folder holding the Unix socket <c>.s.PGSQL.&lt;Port&gt;</c>.</summary>
    public string SocketDirectory { get; }

    /// <summary>The cluster's data directory.</summary>
    public string DataDirectory { get; }

    /// <summary>The temporary folder holding everything of this cluster; deleted on dispose.</summary>
    public string RootDirectory { get; }

    /// <summary>The server log file.</summary>
    public string LogFile => _pgCtl.LogFile;

    /// <summary>The folder of the server binaries this cluster runs from.</summary>
    public string BinDirectory => _binaries.Directory;

    /// <summary>The server's version as <c>postgres --version</c> reports it, e.g. "15.18" or "17beta1".</summary>
    public string ServerVersion { get; private set; } = "";

    /// <summary>The superuser over TCP, with password: <c>Host=127.0.0.1;Port=N;Username=postgres;Password=postgres;Database=postgres</c>.</summary>
    public string ConnectionString => ConnectionStringFor(LocalPostgresRole.Superuser);

    /// <summary>The superuser over the Unix socket, where it is trusted: <c>Host=&lt;socket dir&gt;;Port=N;Username=postgres;Database=postgres</c>.</summary>
    public string SocketConnectionString => ConnectionStrings.Build(
        ("Host", SocketDirectory), ("Port", Port.ToString(CultureInfo.InvariantCulture)),
        ("Username", LocalPostgresRoles.SuperuserName), ("Database", "postgres"));

    /// <summary>Every role the cluster was created with.</summary>
    public IReadOnlyList<LocalPostgresRole> Roles => LocalPostgresRoles.All;

    /// <summary>The role's login name.</summary>
    public string UserName(LocalPostgresRole role) => LocalPostgresRoles.UserName(role);

    /// <summary>The role's password, or null for <see cref="LocalPostgresRole.Trust"/> and <see cref="LocalPostgresRole.Cert"/>.</summary>
    public string? Password(LocalPostgresRole role) => LocalPostgresRoles.Password(role);

    /// <summary>A connection string for <paramref name="role"/> over TCP, to <paramref name="database"/> (default <c>postgres</c>).</summary>
    public string ConnectionStringFor(LocalPostgresRole role, string? database = null) => ConnectionStrings.Build(
        ("Host", Host), ("Port", Port.ToString(CultureInfo.InvariantCulture)),
        ("Username", UserName(role)), ("Password", Password(role)), ("Database", database ?? "postgres"));

    /// <summary>Starts a cluster with the default options.</summary>
    public static Task<LocalPostgres> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(new LocalPostgresOptions(), cancellationToken);

    /// <summary>
    /// Creates a cluster in a new temporary folder, starts it and creates the <see cref="LocalPostgresRole"/> roles.
    /// Throws <see cref="LocalPostgresException"/> when the binaries are missing or a step fails; nothing is left behind then.
    /// </summary>
    public static async Task<LocalPostgres> StartAsync(LocalPostgresOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.ServerSettings ?? new Dictionary<string, string>();
        foreach (var (name, value) in settings)
            ServerConfig.Validate(name, value);

        var stopwatch = Stopwatch.StartNew();
        var binaries = PostgresBinaries.Locate(options.BinDirectory);
        options.Log?.Invoke($"Using PostgreSQL binaries in {binaries.Directory}");
        StaleClusters.Sweep(options.Log);

        var root = CreateRootDirectory();
        LocalPostgres server;
        try
        {
            server = new LocalPostgres(root, binaries, ToolRunner.Create(root, options.Log), options.Log);
        }
        catch
        {
            StaleClusters.TryDelete(root);
            throw;
        }
        try
        {
            await server.InitializeAsync(options, settings, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await server.StopAsync().ConfigureAwait(false);
            throw;
        }
        options.Log?.Invoke($"PostgreSQL {server.ServerVersion} ready on port {server.Port} after {stopwatch.ElapsedMilliseconds} ms");
        return server;
    }

    /// <summary>
    /// Runs <paramref name="sql"/> with psql as the superuser over the Unix socket and returns what it printed
    /// (unaligned, tuples only: <c>a|b</c> per row). For test setup that must not depend on the driver under test.
    /// </summary>
    public async Task<string> RunSqlAsync(string sql, string database = "postgres", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(database);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _stopping) != 0, this);
        var result = await _runner.RunAsync(
            _binaries.Psql,
            [
                "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                "-h", SocketDirectory, "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", LocalPostgresRoles.SuperuserName,
                // As a conninfo string, so a database name with '=' in it is not taken for one.
                "-d", "dbname='" + database.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("'", @"\'", StringComparison.Ordinal) + "'",
                "-c", sql,
            ],
            asClusterUser: true, async: true, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
            throw new LocalPostgresException($"psql failed (exit code {result.ExitCode}) on database '{database}':{Environment.NewLine}{result.StandardError.Trim()}");
        return result.StandardOutput;
    }

    /// <summary>Stops the server and deletes its folder. Calling it again, or disposing afterwards, does nothing.</summary>
    public Task StopAsync() => StopAsync(immediateOnly: false);

    /// <summary>Same as <see cref="StopAsync()"/>.</summary>
    public ValueTask DisposeAsync() => new(StopAsync());

    /// <summary>Same as <see cref="StopAsync()"/>, synchronously.</summary>
    public void Dispose() => Stop(immediateOnly: false, waitForOtherStop: true);

    private async Task InitializeAsync(LocalPostgresOptions options, IDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(SocketDirectory);
        await _runner.GiveToClusterUserAsync(RootDirectory, async: true, cancellationToken).ConfigureAwait(false);

        var version = ReadServerVersionAsync(cancellationToken);
        var initdb = await _runner.RunAsync(
            _binaries.Initdb,
            ["-D", DataDirectory, "--username=" + LocalPostgresRoles.SuperuserName, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"],
            asClusterUser: true, async: true, cancellationToken).ConfigureAwait(false);
        if (!initdb.Succeeded)
            throw new LocalPostgresException(initdb.Describe("initdb"));

        // In effect from the first start: no reload, no window with initdb's permissive defaults.
        ServerConfig.WritePgHba(Path.Combine(DataDirectory, "pg_hba.conf"), ServerConfig.DefaultHbaLines(options.Tls));
        if (options.Tls)
            await CreateCertificatesAsync(cancellationToken).ConfigureAwait(false);
        await ConfigureAndStartAsync(options, settings, cancellationToken).ConfigureAwait(false);
        await RunSqlAsync(RoleSetup.Sql(), cancellationToken: cancellationToken).ConfigureAwait(false);
        ServerVersion = await version.ConfigureAwait(false);
    }

    private async Task ConfigureAndStartAsync(LocalPostgresOptions options, IDictionary<string, string> extraSettings, CancellationToken cancellationToken)
    {
        _startTimeout = options.StartTimeout;
        var confPath = Path.Combine(DataDirectory, "postgresql.conf");
        var initdbConf = await File.ReadAllTextAsync(confPath, cancellationToken).ConfigureAwait(false);
        var attempts = options.Port is null ? PortAttempts : 1;
        for (var attempt = 1; ; attempt++)
        {
            Port = options.Port ?? FreePort.Pick();
            var settings = ServerConfig.DefaultSettings(Port, SocketDirectory);
            if (Certificates is not null)
            {
                foreach (var (name, value) in ServerConfig.TlsSettings())
                    settings[name] = value;
            }
            foreach (var (name, value) in extraSettings)
                settings[name] = value;
            ServerConfig.WritePostgresqlConf(confPath, initdbConf, settings);

            var (started, result, newLog) = await _pgCtl.StartAsync(options.StartTimeout, cancellationToken).ConfigureAwait(false);
            if (started)
                return;
            // pg_ctl -w returns once the postmaster has exited, or after the timeout with it possibly still starting.
            await _pgCtl.StopAsync(immediateOnly: true, async: true).ConfigureAwait(false);
            if (attempt < attempts && PortTaken().IsMatch(newLog))
            {
                _log?.Invoke($"Port {Port} was taken before the server could bind it; trying another");
                continue;
            }
            throw new LocalPostgresException(
                $"{result.Describe("Starting the server")}{Environment.NewLine}Server log ({LogFile}):{Environment.NewLine}{TextTail.Lines(newLog.Trim(), 30)}");
        }
    }

    private async Task<string> ReadServerVersionAsync(CancellationToken cancellationToken)
    {
        // --version is answered before the root check, so it needs no runuser.
        var result = await _runner.RunAsync(_binaries.Postgres, ["--version"], asClusterUser: false, async: true, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
            throw new LocalPostgresException(result.Describe("postgres --version"));
        // "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"
        var match = VersionNumber().Match(result.StandardOutput);
        return match.Success ? match.Groups[1].Value : result.StandardOutput.Trim();
    }

    private async Task StopAsync(bool immediateOnly)
    {
        if (Interlocked.Exchange(ref _stopping, 1) != 0)
        {
            await _stopped.Task.ConfigureAwait(false);
            return;
        }
        try
        {
            await StopCoreAsync(immediateOnly, async: true).ConfigureAwait(false);
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    private void Stop(bool immediateOnly, bool waitForOtherStop)
    {
        if (Interlocked.Exchange(ref _stopping, 1) != 0)
        {
            if (waitForOtherStop)
                _stopped.Task.GetAwaiter().GetResult();
            return;
        }
        try
        {
            // Synchronous all the way down (async: false), so this blocks on no task.
            StopCoreAsync(immediateOnly, async: false).GetAwaiter().GetResult();
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    private async ValueTask StopCoreAsync(bool immediateOnly, bool async)
    {
        _exitHooks.Dispose();
        await _pgCtl.StopAsync(immediateOnly, async).ConfigureAwait(false);
        await DeleteRootDirectoryAsync(async).ConfigureAwait(false);
    }

    private async ValueTask DeleteRootDirectoryAsync(bool async)
    {
        // Backends killed a moment ago may still be closing files; a few tries ride that out.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (Directory.Exists(RootDirectory))
                    Directory.Delete(RootDirectory, recursive: true);
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                if (attempt == 5)
                {
                    _log?.Invoke($"Could not delete {RootDirectory}: {e.Message}");
                    return;
                }
            }
            if (async)
                await Task.Delay(200).ConfigureAwait(false);
            else
                Thread.Sleep(200);
        }
    }

    private static string CreateRootDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), StaleClusters.FolderPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
        // Owner-only, like a data directory: the cluster holds password hashes.
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(path);
        else
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    [GeneratedRegex(@"\(PostgreSQL\)\s+(\S+)")]
    private static partial Regex VersionNumber();

    [GeneratedRegex("Address already in use|could not bind IPv4 address")]
    private static partial Regex PortTaken();
}
