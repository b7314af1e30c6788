using System.Runtime.CompilerServices;
using System.ComponentModel;
using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using PgWire.Connection;
using PgWire.Protocol.Backend;
using PgWire.Types;

namespace PgWire;

/// <summary>
/// A connection to a PostgreSQL server. The ADO.NET surface (<see cref="DbConnection"/>) for Dapper and friends,
/// and a native one: <see cref="QueryAsync(string, object?[])"/>, <see cref="ExecuteAsync(string, object?[])"/> and
/// <see cref="QueryScalarAsync{T}(string, object?[])"/> with positional $1..$n parameters, never spliced into SQL text.
/// </summary>
public sealed partial class PgConnection : DbConnection, INoticeSink
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
    public void ReloadTypes() => ReloadTypesCoreAsync(async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="ReloadTypes"/>
    public Task ReloadTypesAsync(CancellationToken cancellationToken = default) => ReloadTypesCoreAsync(async: true, cancellationToken).AsTask();

    private async ValueTask ReloadTypesCoreAsync(bool async, CancellationToken cancellationToken)
    {
        var connector = ConnectorForCommand;
        connector.CheckReady();
        OwningDataSource.Types.Reset();
        await connector.LoadTypesAsync(async, cancellationToken).ConfigureAwait(false);
    }

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
        if (OpenReader is { IsClosed: false } reader)
        {
            // The reader's unread rows must be consumed (or the connection dropped) before another user gets it.
            try
            {
                if (async) await reader.CloseAsync().ConfigureAwait(false);
                else reader.Close();
            }
            catch (Exception e) when (e is PgException or OperationCanceledException)
            {
                // The statement failed (or was cancelled) while its rest was drained; the connection is clean or broken either way.
            }
        }
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
        BeginTransactionCoreAsync(isolationLevel, async: false, CancellationToken.None).GetAwaiter().GetResult();

    public new ValueTask<PgTransaction> BeginTransactionAsync(CancellationToken cancellationToken = default) =>
        BeginTransactionCoreAsync(IsolationLevel.Unspecified, async: true, cancellationToken);

    public new ValueTask<PgTransaction> BeginTransactionAsync(IsolationLevel isolationLevel, CancellationToken cancellationToken = default) =>
        BeginTransactionCoreAsync(isolationLevel, async: true, cancellationToken);

    /// <summary>Begins a transaction with an isolation level, READ ONLY when <paramref name="readOnly"/>, and DEFERRABLE
    /// (a read-only serializable transaction that waits for a snapshot free of serialization failures).</summary>
    public ValueTask<PgTransaction> BeginTransactionAsync(IsolationLevel isolationLevel, bool readOnly, bool deferrable = false,
        CancellationToken cancellationToken = default) =>
        BeginTransactionCoreAsync(isolationLevel, async: true, cancellationToken, readOnly, deferrable);

    /// <inheritdoc cref="BeginTransactionAsync(IsolationLevel, bool, bool, CancellationToken)"/>
    public PgTransaction BeginTransaction(IsolationLevel isolationLevel, bool readOnly, bool deferrable = false) =>
        BeginTransactionCoreAsync(isolationLevel, async: false, CancellationToken.None, readOnly, deferrable).GetAwaiter().GetResult();

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => BeginTransaction(isolationLevel);

    protected override async ValueTask<DbTransaction> BeginDbTransactionAsync(IsolationLevel isolationLevel, CancellationToken cancellationToken) =>
        await BeginTransactionCoreAsync(isolationLevel, async: true, cancellationToken).ConfigureAwait(false);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<PgTransaction> BeginTransactionCoreAsync(IsolationLevel level, bool async, CancellationToken cancellationToken,
        bool readOnly = false, bool deferrable = false)
    {
        if (InTransaction) throw new InvalidOperationException("A transaction is already in progress on this connection; PostgreSQL does not nest them (use savepoints).");
        string sql = PgTransaction.BeginSql(level, readOnly, deferrable);
        await ConnectorForCommand.ExecuteInternalAsync(sql, async, cancellationToken).ConfigureAwait(false);
        var transaction = new PgTransaction(this, level);
        CurrentTransaction = transaction;
        return transaction;
    }

    /// <summary>True: <see cref="CreateBatch"/> makes a <see cref="PgBatch"/>, several statements in one round trip.</summary>
    public override bool CanCreateBatch => true;

    /// <summary>A batch on this connection.</summary>
    public new PgBatch CreateBatch() => new(this);

    protected override DbBatch CreateDbBatch() => CreateBatch();
}
