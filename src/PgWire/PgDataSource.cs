using System.Runtime.CompilerServices;
using System.Collections.Concurrent;
using System.Data.Common;
using PgWire.Connection;
using PgWire.Types;
using PgWire.Types.Dynamic;

namespace PgWire;

/// <summary>
/// The entry point for one database: connection settings and the database's types (mapped enums and composites,
/// extension types), shared by every connection it opens. Build one with <see cref="PgDataSourceBuilder"/>, or
/// <see cref="Create"/> for plain settings. <c>new PgConnection(connectionString)</c> uses a data source shared per
/// connection string.
/// </summary>
public sealed class PgDataSource : DbDataSource
{
    private static readonly ConcurrentDictionary<string, PgDataSource> SharedByConnectionString = new(StringComparer.Ordinal);

    private readonly string _connectionString;

    internal PgDataSource(string connectionString, ConnectorSettings settings, PgTypeCatalog types)
    {
        _connectionString = connectionString;
        Settings = settings;
        Types = types;
        Name = NameFor(connectionString);
        if (settings.Pooling) Pool = new Pooling.ConnectorPool(settings, types, Name);
        lock (AllDataSources) AllDataSources.Add(new WeakReference<PgDataSource>(this));
    }

    private static readonly List<WeakReference<PgDataSource>> AllDataSources = new();
    private int _disposed;

    /// <summary>A name for logs and metrics: the connection string without its password, which tells pools apart.</summary>
    public string Name { get; }

    private static string NameFor(string connectionString)
    {
        var builder = new PgConnectionStringBuilder(connectionString);
        builder.Remove("Password");
        return builder.ConnectionString;
    }

    /// <summary>Closes the pool's idle connections and stops it; connections still open are closed when they are disposed.</summary>
    protected override void Dispose(bool disposing)
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (disposing)
        {
            Pool?.Dispose();
            lock (AllDataSources) AllDataSources.RemoveAll(w => !w.TryGetTarget(out var ds) || ReferenceEquals(ds, this));
            // A shared data source that is disposed is replaced by a new one at the next open of its connection string.
            SharedByConnectionString.TryRemove(new KeyValuePair<string, PgDataSource>(_connectionString, this));
        }
        base.Dispose(disposing);
    }

    protected override ValueTask DisposeAsyncCore()
    {
        Dispose(true);
        return ValueTask.CompletedTask;
    }

    /// <summary>The pool, or null with Pooling=false.</summary>
    internal Pooling.ConnectorPool? Pool { get; }

    /// <summary>Idle, busy and waiting connections of this data source's pool, and how many it opened and closed.</summary>
    public PgPoolStatistics Statistics => Pool?.Statistics ?? default;

    /// <summary>Closes the pool's idle connections now and its busy ones when they are returned.</summary>
    public void Clear() => Pool?.Clear();

    /// <summary>Clears the pools of every data source in the process (PgConnection.ClearAllPools).</summary>
    internal static void ClearAll()
    {
        List<PgDataSource> live = new();
        lock (AllDataSources)
        {
            AllDataSources.RemoveAll(w => !w.TryGetTarget(out _));
            foreach (var w in AllDataSources)
                if (w.TryGetTarget(out var ds)) live.Add(ds);
        }
        foreach (var ds in live) ds.Clear();
    }

    /// <summary>
    /// A connector for a PgConnection: from the pool, or a new physical one with Pooling=false. Not an async method
    /// itself, so that an open waiting for a pooled connection suspends one state machine fewer.
    /// </summary>
    internal ValueTask<PgConnector> OpenConnectorAsync(bool async, CancellationToken cancellationToken) =>
        Pool is not null ? Pool.RentAsync(async, cancellationToken) : OpenUnpooledConnectorAsync(async, cancellationToken);

    private async ValueTask<PgConnector> OpenUnpooledConnectorAsync(bool async, CancellationToken cancellationToken)
    {
        var connector = new PgConnector(Settings, Types);
        await connector.OpenAsync(async, cancellationToken).ConfigureAwait(false);
        if (Types.LoadAtOpen && !Types.IsLoaded)
        {
            try
            {
                await connector.Internal.LoadTypesAsync(async, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await connector.CloseAsync(async).ConfigureAwait(false);
                throw;
            }
        }
        return connector;
    }

    /// <summary>Gives a connector back: to the pool, or closed with Pooling=false.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    internal async ValueTask ReleaseConnectorAsync(PgConnector connector, bool async)
    {
        connector.NoticeHandler = null;
        connector.Notifications.Sink = null;
        if (Pool is not null) await Pool.ReturnAsync(connector, async).ConfigureAwait(false);
        else await connector.CloseAsync(async).ConfigureAwait(false);
    }

    /// <summary>A data source for a connection string, with no type mappings.</summary>
    public static PgDataSource Create(string connectionString) => new PgDataSourceBuilder(connectionString).Build();

    /// <summary>The data source a <c>new PgConnection(connectionString)</c> belongs to: one per distinct connection string.</summary>
    internal static PgDataSource Shared(string connectionString) =>
        SharedByConnectionString.GetOrAdd(connectionString, static cs => Create(cs));

    internal ConnectorSettings Settings { get; }

    internal PgTypeCatalog Types { get; }

    public override string ConnectionString => _connectionString;

    public new PgConnection CreateConnection() => new(this);

    protected override DbConnection CreateDbConnection() => CreateConnection();

    public new PgConnection OpenConnection()
    {
        var connection = CreateConnection();
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public new async ValueTask<PgConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        var connection = CreateConnection();
        try
        {
            await connection.OpenCoreAsync(async: true, cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    protected override DbConnection OpenDbConnection() => OpenConnection();

    protected override async ValueTask<DbConnection> OpenDbConnectionAsync(CancellationToken cancellationToken = default) =>
        await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction on a pooled connection and commits it, running the whole unit
    /// again on a serialization failure (40001) or deadlock (40P01); see
    /// <see cref="PgConnection.RunInTransactionAsync{T}(Func{PgTransaction, CancellationToken, Task{T}}, System.Data.IsolationLevel, int, CancellationToken)"/>.
    /// A connection that breaks during the unit is not retried: whether its COMMIT took effect is unknown.
    /// </summary>
    public async Task<T> RunInTransactionAsync<T>(Func<PgConnection, PgTransaction, CancellationToken, Task<T>> work,
        System.Data.IsolationLevel isolation = System.Data.IsolationLevel.Serializable, int maxAttempts = 10,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.RunInTransactionAsync((tx, ct) => work(connection, tx, ct), isolation, maxAttempts, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <inheritdoc cref="RunInTransactionAsync{T}(Func{PgConnection, PgTransaction, CancellationToken, Task{T}}, System.Data.IsolationLevel, int, CancellationToken)"/>
    public Task RunInTransactionAsync(Func<PgConnection, PgTransaction, CancellationToken, Task> work,
        System.Data.IsolationLevel isolation = System.Data.IsolationLevel.Serializable, int maxAttempts = 10,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        return RunInTransactionAsync<bool>(async (c, tx, ct) =>
        {
            await work(c, tx, ct).ConfigureAwait(false);
            return true;
        }, isolation, maxAttempts, cancellationToken);
    }

    /// <summary>
    /// Listens on <paramref name="channel"/> for as long as the enumeration runs, on a connection of this data source
    /// held for it: yields each notification in the order the server sent them. When the connection is lost, it
    /// connects and LISTENs again (pausing 0.1 s, then longer, up to 5 s between attempts) and yields a
    /// <see cref="PgNotification.Reconnected"/> mark first: notifications sent in between were missed. A failure of the
    /// first connection is thrown; the token ends the enumeration with OperationCanceledException. The channel is
    /// taken literally (quoted), as pg_notify takes it: "Jobs" is not "jobs".
    /// </summary>
    public IAsyncEnumerable<PgNotification> ListenAsync(string channel, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        return NotificationListener.ListenAsync(this, [channel], cancellationToken);
    }

    /// <inheritdoc cref="ListenAsync(string, CancellationToken)"/>
    public IAsyncEnumerable<PgNotification> ListenAsync(IEnumerable<string> channels, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channels);
        string[] all = channels.ToArray();
        if (all.Length == 0 || all.Any(string.IsNullOrEmpty)) throw new ArgumentException("Name at least one channel, none of them empty.", nameof(channels));
        return NotificationListener.ListenAsync(this, all, cancellationToken);
    }

    /// <summary>
    /// Forgets the database's enums, composites and extension types so they are read again from pg_type at their next
    /// use: call it after CREATE TYPE, ALTER TYPE or CREATE EXTENSION.
    /// </summary>
    public void ReloadTypes() => Types.Reset();

    /// <summary>
    /// <see cref="PgConnection.ReloadTypes"/>: the types forgotten for every connection of the connection's data source,
    /// and read again at once on the open connection.
    /// </summary>
    internal static async ValueTask ReloadTypesAsync(PgConnection connection, bool async, CancellationToken cancellationToken)
    {
        var connector = connection.ConnectorForCommand;
        connector.CheckReady();
        connection.OwningDataSource.Types.Reset();
        await connector.Internal.LoadTypesAsync(async, cancellationToken).ConfigureAwait(false);
    }
}
