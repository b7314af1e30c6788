using System.Runtime.CompilerServices;
using System.Data;
using System.Data.Common;

namespace PgWire;

/// <summary>
/// A transaction block on a <see cref="PgConnection"/>. Disposing it without <see cref="Commit"/> rolls it back.
/// Savepoints through <see cref="Save"/>, <see cref="Rollback(string)"/> and <see cref="Release"/>.
/// </summary>
public sealed class PgTransaction : DbTransaction
{
    private PgConnection? _connection;

    internal PgTransaction(PgConnection connection, IsolationLevel isolationLevel)
    {
        _connection = connection;
        IsolationLevel = isolationLevel == IsolationLevel.Unspecified ? IsolationLevel.ReadCommitted : isolationLevel;
    }

    public new PgConnection? Connection => _connection;

    protected override DbConnection? DbConnection => _connection;

    public override IsolationLevel IsolationLevel { get; }

    /// <summary>True once committed or rolled back.</summary>
    public bool IsCompleted => _connection is null;

    /// <summary>Ends the transaction without a command, when its connection closes.</summary>
    internal void MarkCompleted() => _connection = null;

    public override void Commit() => EndAsync("COMMIT", async: false, CancellationToken.None).GetAwaiter().GetResult();

    public override Task CommitAsync(CancellationToken cancellationToken = default) => EndAsync("COMMIT", async: true, cancellationToken).AsTask();

    public override void Rollback() => EndAsync("ROLLBACK", async: false, CancellationToken.None).GetAwaiter().GetResult();

    public override Task RollbackAsync(CancellationToken cancellationToken = default) => EndAsync("ROLLBACK", async: true, cancellationToken).AsTask();

    public override bool SupportsSavepoints => true;

    public override void Save(string savepointName) =>
        SavepointAsync("SAVEPOINT ", savepointName, async: false, CancellationToken.None).GetAwaiter().GetResult();

    public override Task SaveAsync(string savepointName, CancellationToken cancellationToken = default) =>
        SavepointAsync("SAVEPOINT ", savepointName, async: true, cancellationToken).AsTask();

    public override void Rollback(string savepointName) =>
        SavepointAsync("ROLLBACK TO SAVEPOINT ", savepointName, async: false, CancellationToken.None).GetAwaiter().GetResult();

    public override Task RollbackAsync(string savepointName, CancellationToken cancellationToken = default) =>
        SavepointAsync("ROLLBACK TO SAVEPOINT ", savepointName, async: true, cancellationToken).AsTask();

    public override void Release(string savepointName) =>
        SavepointAsync("RELEASE SAVEPOINT ", savepointName, async: false, CancellationToken.None).GetAwaiter().GetResult();

    public override Task ReleaseAsync(string savepointName, CancellationToken cancellationToken = default) =>
        SavepointAsync("RELEASE SAVEPOINT ", savepointName, async: true, cancellationToken).AsTask();

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask EndAsync(string sql, bool async, CancellationToken cancellationToken)
    {
        var connection = _connection ?? throw new InvalidOperationException("The transaction has already been committed or rolled back.");
        string? tag;
        try
        {
            tag = await connection.ConnectorForCommand.ExecuteInternalAsync(sql, async, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Complete once the server has ended the block (or the connection is gone); a command refused before it
            // was sent (a cancelled token) leaves the transaction open, to commit again or to roll back on dispose.
            if (connection.State != System.Data.ConnectionState.Open || !connection.InTransaction)
            {
                _connection = null;
                if (connection.CurrentTransaction == this) connection.CurrentTransaction = null;
            }
        }
        // COMMIT of a transaction that had failed is answered "ROLLBACK": nothing was committed, and saying so is
        // the difference between a lost write noticed and one not noticed.
        if (sql == "COMMIT" && tag == "ROLLBACK")
            throw new PgTransactionRolledBackException(
                "COMMIT found the transaction failed (an earlier command in it raised an error), so the server rolled it " +
                "back: nothing was committed.");
    }

    private async ValueTask SavepointAsync(string command, string name, bool async, CancellationToken cancellationToken)
    {
        var connection = _connection ?? throw new InvalidOperationException("The transaction has already been committed or rolled back.");
        ArgumentException.ThrowIfNullOrEmpty(name);
        // The name goes into SQL text: quote it as an identifier so it can never be anything else.
        string quoted = "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        if (name.Contains('\0')) throw new ArgumentException("A savepoint name cannot contain NUL.", nameof(name));
        await connection.ConnectorForCommand.ExecuteInternalAsync(command + quoted, async, cancellationToken).ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _connection is { } connection)
        {
            _connection = null;
            if (connection.CurrentTransaction == this) connection.CurrentTransaction = null;
            if (connection.State == ConnectionState.Open && connection.InTransaction)
            {
                try
                {
                    connection.Connector.ExecuteInternalAsync("ROLLBACK", async: false, CancellationToken.None).GetAwaiter().GetResult();
                }
                catch (Exception e) when (e is PgException or OperationCanceledException or InvalidOperationException)
                {
                    // Disposing never throws: a ROLLBACK that failed (the network, a broken connection) leaves the
                    // connection broken or busy, and the server rolls back when the session ends.
                }
            }
        }
        base.Dispose(disposing);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public override async ValueTask DisposeAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            if (connection.CurrentTransaction == this) connection.CurrentTransaction = null;
            if (connection.State == ConnectionState.Open && connection.InTransaction)
            {
                try
                {
                    await connection.Connector.ExecuteInternalAsync("ROLLBACK", async: true, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception e) when (e is PgException or OperationCanceledException or InvalidOperationException)
                {
                    // See Dispose: disposing never throws.
                }
            }
        }
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// <see cref="PgConnection.BeginTransaction()"/> and its overloads: the BEGIN run, and the transaction made the
    /// connection's current one (PostgreSQL does not nest them).
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    internal static async ValueTask<PgTransaction> BeginAsync(PgConnection connection, IsolationLevel level, bool async,
        CancellationToken cancellationToken, bool readOnly = false, bool deferrable = false)
    {
        if (connection.InTransaction) throw new InvalidOperationException("A transaction is already in progress on this connection; PostgreSQL does not nest them (use savepoints).");
        string sql = BeginSql(level, readOnly, deferrable);
        await connection.ConnectorForCommand.ExecuteInternalAsync(sql, async, cancellationToken).ConfigureAwait(false);
        var transaction = new PgTransaction(connection, level);
        connection.CurrentTransaction = transaction;
        return transaction;
    }

    /// <summary>The BEGIN that starts a transaction of <paramref name="level"/> (Snapshot is PostgreSQL's REPEATABLE READ).</summary>
    internal static string BeginSql(IsolationLevel level, bool readOnly, bool deferrable)
    {
        string sql = level switch
        {
            IsolationLevel.Unspecified => "BEGIN",
            IsolationLevel.ReadUncommitted => "BEGIN ISOLATION LEVEL READ UNCOMMITTED",
            IsolationLevel.ReadCommitted => "BEGIN ISOLATION LEVEL READ COMMITTED",
            IsolationLevel.RepeatableRead or IsolationLevel.Snapshot => "BEGIN ISOLATION LEVEL REPEATABLE READ",
            IsolationLevel.Serializable => "BEGIN ISOLATION LEVEL SERIALIZABLE",
            _ => throw new ArgumentException($"Isolation level {level} is not supported by PostgreSQL.", nameof(level)),
        };
        if (readOnly) sql += " READ ONLY";
        if (deferrable) sql += " DEFERRABLE";
        return sql;
    }
}
