using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;

namespace PgWire;

/// <summary>
/// Several statements sent together: every statement is written in one round trip with one Sync at the end, so the
/// batch is atomic (outside an explicit transaction an error in any statement rolls back all of them, and the later
/// ones do not run) and costs the latency of one command. Results are read in order through one
/// <see cref="PgDataReader"/> with <see cref="DbDataReader.NextResult"/>; each <see cref="PgBatchCommand"/> has its
/// own parameters and, once read, its <see cref="PgBatchCommand.RecordsAffected"/>.
/// </summary>
public sealed class PgBatch : DbBatch, ICommandSource
{
    private PgConnection? _connection;
    private PgTransaction? _transaction;
    private int? _timeout;
    private Connection.CommandRequest? _request;

    public PgBatch(PgConnection? connection = null, PgTransaction? transaction = null)
    {
        _connection = connection;
        _transaction = transaction;
    }

    public new PgBatchCommandCollection BatchCommands { get; } = new();

    protected override DbBatchCommandCollection DbBatchCommands => BatchCommands;

    /// <summary>Seconds before the batch is cancelled; defaults to the connection string's Command Timeout.</summary>
    public override int Timeout
    {
        get => _timeout ?? _connection?.DefaultCommandTimeout ?? 30;
        set => _timeout = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), "Timeout cannot be negative.");
    }

    public new PgConnection? Connection
    {
        get => _connection;
        set => _connection = value;
    }

    protected override DbConnection? DbConnection
    {
        get => _connection;
        set => _connection = value as PgConnection ?? (value is null ? null : throw new ArgumentException("A PgBatch needs a PgConnection."));
    }

    public new PgTransaction? Transaction
    {
        get => _transaction;
        set => _transaction = value;
    }

    protected override DbTransaction? DbTransaction
    {
        get => _transaction;
        set => _transaction = value as PgTransaction ?? (value is null ? null : throw new ArgumentException("A PgBatch needs a PgTransaction."));
    }

    public new PgBatchCommand CreateBatchCommand() => new();

    protected override DbBatchCommand CreateDbBatchCommand() => CreateBatchCommand();

    void ICommandSource.ResolveText()
    {
        foreach (PgBatchCommand command in (IReadOnlyList<PgBatchCommand>)BatchCommands)
            command.Binding.Resolve(command.CommandText, command.Parameters);
    }

    void ICommandSource.Fill(Connection.CommandRequest request, Types.PgTypeRegistry registry)
    {
        foreach (PgBatchCommand command in (IReadOnlyList<PgBatchCommand>)BatchCommands)
        {
            command.SetRecordsAffected(-1);
            command.Binding.Fill(request, command.CommandText, command.Parameters, registry);
        }
    }

    /// <summary>Copies each statement's row count from the result into its batch command.</summary>
    internal void TakeRowsAffected(Connection.ResultReader result)
    {
        int count = Math.Min(result.ResultCount, BatchCommands.Count);
        for (int i = 0; i < count; i++) BatchCommands[i].SetRecordsAffected(result.RowsAffectedOf(i));
    }

    private PgConnection CheckConnection()
    {
        var connection = _connection ?? throw new InvalidOperationException("The batch has no Connection.");
        if (connection.State == ConnectionState.Closed) throw new InvalidOperationException("The batch's connection is not open.");
        if (BatchCommands.Count == 0) throw new InvalidOperationException("The batch has no commands: add PgBatchCommands to BatchCommands first.");
        if (_transaction is { } t && (t.IsCompleted || t.Connection != connection))
            throw new InvalidOperationException(t.IsCompleted
                ? "The batch's Transaction has already been committed or rolled back."
                : "The batch's Transaction belongs to another connection.");
        return connection;
    }

    private ValueTask<Connection.ResultReader> StartAsync(CommandBehavior behavior, bool async, CancellationToken cancellationToken, bool prepare = false) =>
        CommandStart.StartAsync(CheckConnection(), this, _request ??= new Connection.CommandRequest(), behavior, Timeout, async, cancellationToken, prepare);

    public new PgDataReader ExecuteReader(CommandBehavior behavior = CommandBehavior.Default) =>
        ExecuteReaderCoreAsync(behavior, async: false, CancellationToken.None).GetAwaiter().GetResult();

    public new Task<PgDataReader> ExecuteReaderAsync(CancellationToken cancellationToken = default) =>
        ExecuteReaderCoreAsync(CommandBehavior.Default, async: true, cancellationToken).AsTask();

    public new Task<PgDataReader> ExecuteReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken = default) =>
        ExecuteReaderCoreAsync(behavior, async: true, cancellationToken).AsTask();

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => ExecuteReader(behavior);

    protected override async Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken) =>
        await ExecuteReaderCoreAsync(behavior, async: true, cancellationToken).ConfigureAwait(false);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<PgDataReader> ExecuteReaderCoreAsync(CommandBehavior behavior, bool async, CancellationToken cancellationToken)
    {
        var result = await StartAsync(behavior, async, cancellationToken).ConfigureAwait(false);
        var reader = new PgDataReader(_connection!, result, behavior, this);
        _connection!.OpenReader = reader;
        return reader;
    }

    /// <summary>Runs every statement; returns the rows inserted, updated or deleted by them all (-1 when none says).</summary>
    public override int ExecuteNonQuery() => (int)ExecuteNonQueryCoreAsync(async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="ExecuteNonQuery"/>
    public override async Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken = default) =>
        (int)await ExecuteNonQueryCoreAsync(async: true, cancellationToken).ConfigureAwait(false);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<long> ExecuteNonQueryCoreAsync(bool async, CancellationToken cancellationToken)
    {
        var result = await StartAsync(CommandBehavior.Default, async, cancellationToken).ConfigureAwait(false);
        try
        {
            await result.ConsumeAsync(async, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            TakeRowsAffected(result);
        }
        return result.TotalRowsAffected;
    }

    /// <summary>The first column of the first row of the first result; every statement runs.</summary>
    public override object? ExecuteScalar() => ExecuteScalarCoreAsync(async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="ExecuteScalar"/>
    public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken = default) =>
        ExecuteScalarCoreAsync(async: true, cancellationToken).AsTask();

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<object?> ExecuteScalarCoreAsync(bool async, CancellationToken cancellationToken)
    {
        var result = await StartAsync(CommandBehavior.Default, async, cancellationToken).ConfigureAwait(false);
        try
        {
            return await result.ReadScalarAsync(async, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            TakeRowsAffected(result);
        }
    }

    /// <summary>Describes every statement now (an error in the SQL surfaces here); each is created under a name with its first run.</summary>
    public override void Prepare() => PrepareCoreAsync(async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="Prepare"/>
    public override Task PrepareAsync(CancellationToken cancellationToken = default) => PrepareCoreAsync(async: true, cancellationToken).AsTask();

    private async ValueTask PrepareCoreAsync(bool async, CancellationToken cancellationToken)
    {
        var result = await StartAsync(CommandBehavior.SchemaOnly, async, cancellationToken, prepare: true).ConfigureAwait(false);
        await result.ConsumeAsync(async, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Asks the server to stop the batch if it is running; it then fails with an OperationCanceledException.</summary>
    public override void Cancel() => _connection?.CancelRunningCommand();

    public override void Dispose() { }
}
