using System.Runtime.CompilerServices;
using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using PgWire.Connection;
using PgWire.Protocol.Backend;
using PgWire.Schema;

namespace PgWire;

/// <summary>
/// A connection to a PostgreSQL server. The ADO.NET surface (<see cref="DbConnection"/>) for Dapper and friends,
/// and a native one: <see cref="QueryAsync(string, object?[])"/>, <see cref="ExecuteAsync(string, object?[])"/> and
/// <see cref="QueryScalarAsync{T}(string, object?[])"/> with positional $1..$n parameters, never spliced into SQL text.
/// </summary>
public sealed partial class PgConnection : DbConnection, INoticeSink, INotificationSink
{
    // StateChangeEventArgs is immutable: one instance per transition serves every connection.
    private static readonly StateChangeEventArgs Opened = new(ConnectionState.Closed, ConnectionState.Open);
    private static readonly StateChangeEventArgs Closed = new(ConnectionState.Open, ConnectionState.Closed);

    void INoticeSink.OnNotice(PgNotice notice) => Notice?.Invoke(this, new PgNoticeEventArgs(notice));

    private string _connectionString = "";
    private PgConnector? _connector;
    private PgDataSource? _dataSource;
    private readonly bool _fromDataSource;
    private bool _disposed;

    public PgConnection() { }

    public PgConnection(string connectionString) => ConnectionString = connectionString;

    internal PgConnection(PgDataSource dataSource)
    {
        _dataSource = dataSource;
        _connectionString = dataSource.ConnectionString;
        _fromDataSource = true;
    }

    /// <summary>Raised for every NoticeResponse (RAISE NOTICE, warnings) the server sends on this connection.</summary>
    public event EventHandler<PgNoticeEventArgs>? Notice;

    /// <summary>
    /// The connection string; once the connection has been opened, without its password unless it says
    /// Persist Security Info=true, so that code showing or logging it does not show the password.
    /// </summary>
    [AllowNull]
    public override string ConnectionString
    {
        get => _opened && !Settings.PersistSecurityInfo
            ? _connectionStringWithoutPassword ??= PgConnectionStringBuilder.WithoutPassword(_connectionString)
            : _connectionString;
        set
        {
            if (_connector is not null) throw new InvalidOperationException("The connection string cannot change while the connection is open.");
            if (_fromDataSource) throw new InvalidOperationException("A connection made by a PgDataSource keeps the data source's connection string.");
            _connectionString = value ?? "";
            _dataSource = null;
            _opened = false;
            _connectionStringWithoutPassword = null;
        }
    }

    /// <summary>True once the connection has opened with its connection string (Persist Security Info's "has ever been open").</summary>
    private bool _opened;

    private string? _connectionStringWithoutPassword;

    /// <summary>The data source this connection belongs to: its own, or the one shared by its connection string.</summary>
    internal PgDataSource OwningDataSource => _dataSource ??= PgDataSource.Shared(_connectionString);

    private ConnectorSettings Settings => OwningDataSource.Settings;

    public override string Database => Settings.Database;

    public override string DataSource => Settings.Endpoint;

    public override int ConnectionTimeout => Settings.ConnectTimeoutSeconds;

    /// <summary>The connection string's Command Timeout, the default of every command on this connection.</summary>
    internal int DefaultCommandTimeout => Settings.CommandTimeoutSeconds;

    /// <summary>The server's version as it reports it (server_version), e.g. "15.18 (Debian 15.18-0+deb12u1)".</summary>
    public override string ServerVersion => Connector.ServerVersion;

    /// <summary>The backend process ID serving this connection (pg_backend_pid()).</summary>
    public int ProcessId => Connector.BackendKey.ProcessId;

    /// <summary>The host this open connection reached (of the Host list), or a Unix-socket folder.</summary>
    public string Host => Connector.Host.Name;

    /// <summary>The port of the host this open connection reached.</summary>
    public int Port => Connector.Host.Port;

    /// <summary>True when this open connection is encrypted with TLS.</summary>
    public bool IsSecure => Connector.IsSecure;

    /// <summary>
    /// How the server authenticated this connection: "SCRAM-SHA-256-PLUS" (bound to the TLS channel), "SCRAM-SHA-256",
    /// "MD5", "cleartext", or, when the server asked for no password, "cert" (a TLS client certificate was presented)
    /// or "trust".
    /// </summary>
    public string? AuthenticationMechanism => Connector.AuthenticationMechanism;

    /// <summary>A run-time parameter the server reported (TimeZone, integer_datetimes, ...), or null.</summary>
    public string? GetServerParameter(string name) => Connector.ServerParameters.GetValueOrDefault(name);

    public override ConnectionState State => _connector?.State switch
    {
        null or ConnectorState.Closed => ConnectionState.Closed,
        ConnectorState.Connecting => ConnectionState.Connecting,
        ConnectorState.Ready => ConnectionState.Open,
        ConnectorState.Executing => ConnectionState.Open | ConnectionState.Fetching,
        _ => ConnectionState.Broken,
    };

    /// <summary>True inside a transaction block (BEGIN ... COMMIT/ROLLBACK), including a failed one.</summary>
    public bool InTransaction => _connector?.TransactionStatus is TransactionStatus.InTransaction or TransactionStatus.Failed;

    /// <summary>The connector while the connection has one, else null.</summary>
    internal PgConnector? ConnectorIfOpen => _connector;

    internal PgConnector Connector =>
        _connector ?? throw new InvalidOperationException("The connection is not open: call Open() or OpenAsync() first.");

    internal PgTransaction? CurrentTransaction { get; set; }

    /// <summary>The data reader that holds the connection until it is closed.</summary>
    internal PgDataReader? OpenReader { get; set; }

    /// <summary>The connector, for a new command: refused while a data reader still holds the connection.</summary>
    internal PgConnector ConnectorForCommand
    {
        get
        {
            var connector = Connector;
            if (OpenReader is { IsClosed: false })
                throw new InvalidOperationException(
                    "A data reader is still open on this connection; dispose it before running another command " +
                    "(a connection runs one command at a time).");
            return connector;
        }
    }

    internal void CancelRunningCommand() => _connector?.Cancellation.CancelFromCaller();

    /// <summary>Closes the idle pooled connections of this connection's data source, and its busy ones when returned.</summary>
    public static void ClearPool(PgConnection connection) => connection.OwningDataSource.Clear();

    /// <summary>Closes the idle pooled connections of every data source, and the busy ones when returned.</summary>
    public static void ClearAllPools() => PgDataSource.ClearAll();

    /// <summary>
    /// Releases every statement prepared on this connection, on request or automatically: the server's copies are
    /// closed with the next command (no round trip now). Statements run often are prepared again.
    /// </summary>
    public void UnprepareAll() => Connector.Prepared.UnprepareAll();

    /// <summary>
    /// Reads the database's enums, composites and extension types again (after CREATE TYPE, ALTER TYPE or
    /// CREATE EXTENSION), for every connection of this connection's data source.
    /// </summary>
    public void ReloadTypes() => PgDataSource.ReloadTypesAsync(this, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="ReloadTypes"/>
    public Task ReloadTypesAsync(CancellationToken cancellationToken = default) => PgDataSource.ReloadTypesAsync(this, async: true, cancellationToken).AsTask();

    public override void Open() => OpenCoreAsync(async: false, CancellationToken.None).GetAwaiter().GetResult();

    public override Task OpenAsync(CancellationToken cancellationToken) => OpenCoreAsync(async: true, cancellationToken).AsTask();

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    internal async ValueTask OpenCoreAsync(bool async, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_connector is { State: ConnectorState.Ready or ConnectorState.Executing })
            throw new InvalidOperationException("The connection is already open.");
        if (_connector is not null) await CloseCoreAsync(async).ConfigureAwait(false);
        if (cancellationToken.IsCancellationRequested)
            throw new OperationCanceledException("Opening the connection was cancelled before it started.", cancellationToken);
        var connector = await OwningDataSource.OpenConnectorAsync(async, cancellationToken).ConfigureAwait(false);
        connector.NoticeHandler = this;
        connector.Notifications.Sink = this;
        _connector = connector;
        _opened = true;
        OnStateChange(Opened);
    }

    public override void Close() => CloseCoreAsync(async: false).GetAwaiter().GetResult();

    public override Task CloseAsync() => CloseCoreAsync(async: true).AsTask();

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask CloseCoreAsync(bool async)
    {
        var connector = _connector;
        if (connector is null) return;
        _connector = null;
        // A transaction left open is rolled back by the pool's reset (or ended with the session): it is over.
        CurrentTransaction?.MarkCompleted();
        CurrentTransaction = null;
        if (OpenReader is { IsClosed: false } reader) await reader.AbandonAsync(async).ConfigureAwait(false);
        OpenReader = null;
        await CopyStart.AbandonOpenAsync(this, async).ConfigureAwait(false);
        ForgetTableFacts();
        await OwningDataSource.ReleaseConnectorAsync(connector, async).ConfigureAwait(false);
        OnStateChange(Closed);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            Close();
            _disposed = true;
        }
        base.Dispose(disposing);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            await CloseCoreAsync(async: true).ConfigureAwait(false);
            _disposed = true;
        }
        GC.SuppressFinalize(this);
    }

    public override void ChangeDatabase(string databaseName) =>
        throw new NotSupportedException("PostgreSQL cannot switch databases on an open connection; open a new connection to the other database.");

    public new PgCommand CreateCommand() => new() { Connection = this };

    protected override DbCommand CreateDbCommand() => CreateCommand();

    public new PgTransaction BeginTransaction() => BeginTransaction(IsolationLevel.Unspecified);

    public new PgTransaction BeginTransaction(IsolationLevel isolationLevel) =>
        PgTransaction.BeginAsync(this, isolationLevel, async: false, CancellationToken.None).GetAwaiter().GetResult();

    public new ValueTask<PgTransaction> BeginTransactionAsync(CancellationToken cancellationToken = default) =>
        PgTransaction.BeginAsync(this, IsolationLevel.Unspecified, async: true, cancellationToken);

    public new ValueTask<PgTransaction> BeginTransactionAsync(IsolationLevel isolationLevel, CancellationToken cancellationToken = default) =>
        PgTransaction.BeginAsync(this, isolationLevel, async: true, cancellationToken);

    /// <summary>Begins a transaction with an isolation level, READ ONLY when <paramref name="readOnly"/>, and DEFERRABLE
    /// (a read-only serializable transaction that waits for a snapshot free of serialization failures).</summary>
    public ValueTask<PgTransaction> BeginTransactionAsync(IsolationLevel isolationLevel, bool readOnly, bool deferrable = false,
        CancellationToken cancellationToken = default) =>
        PgTransaction.BeginAsync(this, isolationLevel, async: true, cancellationToken, readOnly, deferrable);

    /// <inheritdoc cref="BeginTransactionAsync(IsolationLevel, bool, bool, CancellationToken)"/>
    public PgTransaction BeginTransaction(IsolationLevel isolationLevel, bool readOnly, bool deferrable = false) =>
        PgTransaction.BeginAsync(this, isolationLevel, async: false, CancellationToken.None, readOnly, deferrable).GetAwaiter().GetResult();

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => BeginTransaction(isolationLevel);

    protected override async ValueTask<DbTransaction> BeginDbTransactionAsync(IsolationLevel isolationLevel, CancellationToken cancellationToken) =>
        await PgTransaction.BeginAsync(this, isolationLevel, async: true, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction and commits it; when the server reports a serialization failure
    /// (40001) or a deadlock (40P01), from the work or from COMMIT, rolls back and runs the whole unit again, up to
    /// <paramref name="maxAttempts"/> times, waiting a little longer (with jitter) after each failure. Any other error
    /// rolls back and propagates. The work must be safe to run more than once: it sees only its own attempt's effects.
    /// </summary>
    public Task<T> RunInTransactionAsync<T>(Func<PgTransaction, CancellationToken, Task<T>> work,
        IsolationLevel isolation = IsolationLevel.Serializable, int maxAttempts = 10, CancellationToken cancellationToken = default) =>
        TransactionRetry.RunAsync(this, work, isolation, maxAttempts, cancellationToken);

    /// <inheritdoc cref="RunInTransactionAsync{T}(Func{PgTransaction, CancellationToken, Task{T}}, IsolationLevel, int, CancellationToken)"/>
    public Task RunInTransactionAsync(Func<PgTransaction, CancellationToken, Task> work,
        IsolationLevel isolation = IsolationLevel.Serializable, int maxAttempts = 10, CancellationToken cancellationToken = default) =>
        TransactionRetry.RunAsync(this, work, isolation, maxAttempts, cancellationToken);

    /// <summary>True: <see cref="CreateBatch"/> makes a <see cref="PgBatch"/>, several statements in one round trip.</summary>
    public override bool CanCreateBatch => true;

    /// <summary>A batch on this connection.</summary>
    public new PgBatch CreateBatch() => new(this);

    protected override DbBatch CreateDbBatch() => CreateBatch();

    /// <summary><see cref="PgFactory.Instance"/>: what ADO.NET tooling (DbDataAdapter, DbCommandBuilder) creates objects through.</summary>
    protected override DbProviderFactory DbProviderFactory => PgFactory.Instance;

    private TableFactsCache? _tableFacts;

    /// <summary>What this open connection learned of tables for KeyInfo readers; forgotten when it closes.</summary>
    internal TableFactsCache TableFacts => _tableFacts ??= new TableFactsCache();

    /// <summary>Forgets what the connection learned of tables (it is closing: other sessions may change them meanwhile).</summary>
    private void ForgetTableFacts() => _tableFacts = null;

    /// <summary>The MetaDataCollections collection: the collections <see cref="GetSchema(string, string?[])"/> answers.</summary>
    public override DataTable GetSchema() => GetSchema(DbMetaDataCollectionNames.MetaDataCollections);

    /// <inheritdoc cref="GetSchema(string, string?[])"/>
    public override DataTable GetSchema(string collectionName) => GetSchema(collectionName, []);

    /// <summary>
    /// A schema collection: MetaDataCollections, Restrictions, DataSourceInformation, DataTypes, ReservedWords, and
    /// Databases, Schemas, Tables, Views, Columns, Indexes, IndexColumns and ForeignKeys, each filtered by the
    /// restrictions the Restrictions collection lists for it, in that order (null for any). Restrictions are sent as
    /// parameters. Without a Schema restriction, pg_catalog and information_schema are left out.
    /// </summary>
    public override DataTable GetSchema(string collectionName, string?[] restrictionValues) =>
        SchemaCollections.GetAsync(this, collectionName, restrictionValues, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="GetSchema()"/>
    public override Task<DataTable> GetSchemaAsync(CancellationToken cancellationToken = default) =>
        GetSchemaAsync(DbMetaDataCollectionNames.MetaDataCollections, [], cancellationToken);

    /// <inheritdoc cref="GetSchema(string, string?[])"/>
    public override Task<DataTable> GetSchemaAsync(string collectionName, CancellationToken cancellationToken = default) =>
        GetSchemaAsync(collectionName, [], cancellationToken);

    /// <inheritdoc cref="GetSchema(string, string?[])"/>
    public override Task<DataTable> GetSchemaAsync(string collectionName, string?[] restrictionValues, CancellationToken cancellationToken = default) =>
        SchemaCollections.GetAsync(this, collectionName, restrictionValues, async: true, cancellationToken).AsTask();

    // LISTEN/NOTIFY and the run-time parameters the server reports.

    /// <summary>
    /// Raised for every notification (NOTIFY, pg_notify) sent on a channel this connection LISTENs on, in the order the
    /// server sent them. Raised on the thread that reads the connection, as soon as the notification is read: during
    /// <see cref="Wait()"/> or <see cref="WaitAsync(CancellationToken)"/>, or in the middle of another command (then
    /// the connection is busy: do not use it from the handler). An exception the handler throws is caught and dropped,
    /// so that the command being read stays in step. A pooled connection's user never sees notifications for the
    /// connection's previous user: closing it ends its LISTENs.
    /// </summary>
    public event PgNotificationEventHandler? Notification;

    void INotificationSink.OnNotification(int processId, string channel, string payload) =>
        Notification?.Invoke(this, new PgNotificationEventArgs(processId, channel, payload));

    /// <summary>
    /// The run-time parameters the server reported (server_version, TimeZone, application_name, ...); a SET of one of
    /// them shows here as soon as the command that set it has been read.
    /// </summary>
    public IReadOnlyDictionary<string, string> ServerParameters => Connector.ServerParameters;

    /// <summary>
    /// Waits until a notification arrives (raised through <see cref="Notification"/>) or the connection ends (then it
    /// throws a <see cref="PgException"/>: the server's FATAL error, or a <see cref="PgConnectionException"/>).
    /// </summary>
    public void Wait() => NotificationWait.WaitAsync(this, Timeout.Infinite, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>
    /// Waits until a notification arrives (true, raised through <see cref="Notification"/>) or
    /// <paramref name="timeout"/> milliseconds pass (false). As in Npgsql, 0 and -1 mean no time limit.
    /// </summary>
    public bool Wait(int timeout) => NotificationWait.WaitAsync(this, timeout, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="Wait(int)"/>
    public bool Wait(TimeSpan timeout) => NotificationWait.WaitAsync(this, timeout, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>
    /// Waits until a notification arrives (raised through <see cref="Notification"/>). A cancelled token throws
    /// OperationCanceledException and leaves the connection usable; a connection the server ends throws a
    /// <see cref="PgException"/>.
    /// </summary>
    public Task WaitAsync(CancellationToken cancellationToken = default) =>
        NotificationWait.WaitAsync(this, Timeout.Infinite, async: true, cancellationToken).AsTask();

    /// <summary>
    /// Waits until a notification arrives (true) or <paramref name="timeout"/> milliseconds pass (false); as in
    /// Npgsql, 0 and -1 mean no time limit. See <see cref="WaitAsync(CancellationToken)"/>.
    /// </summary>
    public Task<bool> WaitAsync(int timeout, CancellationToken cancellationToken = default) =>
        NotificationWait.WaitAsync(this, timeout, async: true, cancellationToken).AsTask();

    /// <inheritdoc cref="WaitAsync(int, CancellationToken)"/>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        NotificationWait.WaitAsync(this, timeout, async: true, cancellationToken).AsTask();
}
