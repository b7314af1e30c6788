using System.Diagnostics;
using System.Globalization;

namespace PgWire.LocalServer;

public sealed partial class LocalPostgres
{
    private static readonly TimeSpan RecoveryPoll = TimeSpan.FromMilliseconds(100);

    /// <summary>True while this cluster's postmaster runs: from start to <see cref="StopServerAsync"/> or disposal.</summary>
    public bool IsServerRunning => _pgCtl.IsRunning;

    /// <summary>True for a cluster made by <see cref="StartStandbyAsync"/>.</summary>
    public bool IsStandby { get; private set; }

    /// <summary>
    /// Makes a hot standby of <paramref name="primary"/> in a new temporary folder: a base backup taken over the
    /// primary's Unix socket (<c>pg_basebackup -R</c>, so it streams from the primary from then on), started on its
    /// own port, returned once <c>pg_is_in_recovery()</c> is true there. The standby has the primary's roles, pg_hba
    /// lines and, for a TLS primary, its server certificate (<see cref="Certificates"/> are a copy of the primary's).
    /// Disposing it stops it and deletes its folder; the primary is not touched.
    /// <paramref name="options"/> may fix the port, the start timeout, extra settings and the log; its <see cref="LocalPostgresOptions.Tls"/> is ignored.
    /// </summary>
    public static async Task<LocalPostgres> StartStandbyAsync(LocalPostgres primary, LocalPostgresOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(primary);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref primary._stopping) != 0, primary);
        options ??= new LocalPostgresOptions();
        var settings = options.ServerSettings ?? new Dictionary<string, string>();
        foreach (var (name, value) in settings)
            ServerConfig.Validate(name, value);

        var stopwatch = Stopwatch.StartNew();
        var root = CreateRootDirectory();
        LocalPostgres standby;
        try
        {
            standby = new LocalPostgres(root, primary._binaries, ToolRunner.Create(root, options.Log), options.Log) { IsStandby = true };
        }
        catch
        {
            StaleClusters.TryDelete(root);
            throw;
        }
        try
        {
            await standby.InitializeStandbyAsync(primary, options, settings, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await standby.StopAsync().ConfigureAwait(false);
            throw;
        }
        options.Log?.Invoke($"Standby of port {primary.Port} ready on port {standby.Port} after {stopwatch.ElapsedMilliseconds} ms");
        return standby;
    }

    /// <summary>
    /// Stops the postmaster (fast shutdown) but keeps the cluster, so <see cref="StartServerAsync"/> can start it
    /// again on the same port: for tests of a server that goes away. Does nothing when it is not running.
    /// </summary>
    public async Task StopServerAsync()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _stopping) != 0, this);
        await _pgCtl.StopAsync(immediateOnly: false, async: true).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts the postmaster again after <see cref="StopServerAsync"/>, on the same port, and waits until it accepts
    /// connections (a standby: until it is back in recovery). Does nothing when it is running.
    /// </summary>
    public async Task StartServerAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _stopping) != 0, this);
        if (_pgCtl.IsRunning)
            return;
        var (started, result, newLog) = await _pgCtl.StartAsync(_startTimeout, cancellationToken).ConfigureAwait(false);
        if (!started)
        {
            await _pgCtl.StopAsync(immediateOnly: true, async: true).ConfigureAwait(false);
            throw new LocalPostgresException(
                $"{result.Describe("Starting the server again")}{Environment.NewLine}Server log ({LogFile}):{Environment.NewLine}{TextTail.Lines(newLog.Trim(), 30)}");
        }
        if (IsStandby)
            await WaitForRecoveryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task InitializeStandbyAsync(LocalPostgres primary, LocalPostgresOptions options, IDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(SocketDirectory);
        await _runner.GiveToClusterUserAsync(RootDirectory, async: true, cancellationToken).ConfigureAwait(false);
        var version = ReadServerVersionAsync(cancellationToken);

        // Over the primary's socket, where pg_hba trusts the superuser for replication; -R writes standby.signal
        // and a primary_conninfo naming that same socket, -X stream makes the copy consistent on its own.
        var backup = await _runner.RunAsync(
            _binaries.PgBasebackup,
            [
                "-D", DataDirectory, "-h", primary.SocketDirectory, "-p", primary.Port.ToString(CultureInfo.InvariantCulture),
                "-U", LocalPostgresRoles.SuperuserName, "-R", "-X", "stream", "-c", "fast", "--no-sync",
            ],
            asClusterUser: true, async: true, cancellationToken).ConfigureAwait(false);
        if (!backup.Succeeded)
            throw new LocalPostgresException(backup.Describe("pg_basebackup"));

        // The copy's postgresql.conf ends with the primary's port and socket folder; ours are appended after them.
        if (primary.Certificates is not null)
            Certificates = primary.Certificates.CopyTo(Path.Combine(RootDirectory, "tls"));
        await ConfigureAndStartAsync(options, settings, cancellationToken).ConfigureAwait(false);
        await WaitForRecoveryAsync(cancellationToken).ConfigureAwait(false);
        ServerVersion = await version.ConfigureAwait(false);
    }

    /// <summary>pg_ctl -w returns when the standby accepts connections, which a hot standby does once consistent; this makes sure.</summary>
    private async Task WaitForRecoveryAsync(CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var answer = await RunSqlAsync("SELECT pg_is_in_recovery()", cancellationToken: cancellationToken).ConfigureAwait(false);
            if (answer.Trim() == "t")
                return;
            if (deadline.Elapsed > _startTimeout)
                throw new LocalPostgresException($"The standby on port {Port} did not enter recovery within {_startTimeout}; pg_is_in_recovery() said '{answer.Trim()}'.");
            await Task.Delay(RecoveryPoll, cancellationToken).ConfigureAwait(false);
        }
    }
}
