using System.Runtime.CompilerServices;
using System.ComponentModel;
using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace PgWire;

/// <summary>
/// A SQL statement with positional parameters ($1, $2, ...) taken from <see cref="Parameters"/> in order, or named
/// ones (@name or :name) bound by <see cref="PgParameter.ParameterName"/>.
/// Always sent through the extended query protocol: values never enter the SQL text. A text of several statements
/// separated by ';' runs them as a batch, in one round trip and atomically outside a transaction; the data reader's
/// NextResult walks their results.
/// </summary>
public sealed class PgCommand : DbCommand, ICommandSource
{
    /// <summary>This command's request, reused by its every run (with its parameter buffers).</summary>

    /// <summary>The command text read and matched with the parameters, kept while neither changes.</summary>
    private readonly CommandTextBinding _binding = new(Sql.ParsedSqlCache.Commands);
    private string _commandText = "";
    private PgConnection? _connection;
    private PgTransaction? _transaction;
    private int? _commandTimeout;

    public PgCommand() { }

    public PgCommand(string commandText, PgConnection? connection = null)
    {
        _commandText = commandText;
        _connection = connection;
    }

    [AllowNull]
    public override string CommandText
    {
        get => _commandText;
        set => _commandText = value ?? "";
    }

    void ICommandSource.ResolveText() => _binding.Resolve(_commandText, Parameters);

    void ICommandSource.Fill(Connection.CommandRequest request, Types.PgTypeRegistry registry) =>
        _binding.Fill(request, _commandText, Parameters, registry);

    /// <summary>Seconds before the command is cancelled; defaults to the connection string's Command Timeout.</summary>
    public override int CommandTimeout
    {
        get => _commandTimeout ?? _connection?.DefaultCommandTimeout ?? 30;
        set => _commandTimeout = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), "CommandTimeout cannot be negative.");
    }

    /// <summary>Only <see cref="CommandType.Text"/>: call a function with SELECT or a procedure with CALL.</summary>
    public override CommandType CommandType
    {
        get => CommandType.Text;
        set
        {
            if (value != CommandType.Text)
                throw new NotSupportedException("PgWire supports CommandType.Text only: write \"SELECT f($1)\" or \"CALL p($1)\".");
        }
    }

    [Browsable(false)]
    public override bool DesignTimeVisible { get; set; }

    public override UpdateRowSource UpdatedRowSource { get; set; }

    public new PgConnection? Connection
    {
        get => _connection;
        set => _connection = value;
    }

    protected override DbConnection? DbConnection
    {
        get => _connection;
        set => _connection = value as PgConnection ?? (value is null ? null : throw new ArgumentException("A PgCommand needs a PgConnection."));
    }

    public new PgParameterCollection Parameters { get; } = new();

    protected override DbParameterCollection DbParameterCollection => Parameters;

    public new PgTransaction? Transaction
    {
        get => _transaction;
        set => _transaction = value;
    }

    protected override DbTransaction? DbTransaction
    {
        get => _transaction;
        set => _transaction = value as PgTransaction ?? (value is null ? null : throw new ArgumentException("A PgCommand needs a PgTransaction."));
    }

    public new PgParameter CreateParameter() => new();

    protected override DbParameter CreateDbParameter() => CreateParameter();

    /// <summary>
    /// Prepares the command on its connection: the statement is described now (an error in the SQL surfaces here)
    /// and created on the server under a name with its first run, after which runs send only Bind and Execute. Set
    /// Parameters first: a statement is prepared for its parameter types. With Prepared Statements=false only the
    /// description is kept. Statements run often are prepared without this (Max Auto Prepare).
    /// </summary>
    public override void Prepare() => PrepareCoreAsync(async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="Prepare"/>
    public override Task PrepareAsync(CancellationToken cancellationToken = default) => PrepareCoreAsync(async: true, cancellationToken).AsTask();

    /// <summary>
    /// True when the command's SQL, with its parameters' current types, is prepared on its connection: by
    /// <see cref="Prepare"/> (created on the server at its next run) or automatically after being run often.
    /// </summary>
    public bool IsPrepared =>
        FindStatement() is { } statement && (statement.PreparedName is not null || statement.PrepareRequested);

    /// <summary>
    /// Releases the command's prepared statement: the server's copy is closed with the connection's next command (no
    /// round trip now), and the SQL runs unprepared until it is prepared again, on request or by being run often.
    /// Does nothing when the command is not prepared.
    /// </summary>
    public void Unprepare()
    {
        if (FindStatement() is { } statement)
            _connection!.Connector.Prepared.UnprepareOnRequest(statement);
    }

    /// <summary>What the connection knows of the statement this command sends (named placeholders rewritten), or null.</summary>
    private Connection.CachedStatement? FindStatement() =>
        _connection is { } connection && _binding.TryGetSingleStatement(_commandText, Parameters, out string sql, out var arguments)
            ? CommandStart.FindStatement(connection, sql, arguments)
            : null;

    private async ValueTask PrepareCoreAsync(bool async, CancellationToken cancellationToken)
    {
        var result = await StartAsync(CommandBehavior.SchemaOnly, async, cancellationToken, prepare: true).ConfigureAwait(false);
        await result.ConsumeAsync(async, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Asks the server to stop this command if it is running (a CancelRequest on a separate connection); the
    /// command then fails with an <see cref="OperationCanceledException"/> (no token; the server's 57014 error inside).
    /// Does nothing when no command runs.
    /// </summary>
    public override void Cancel() => _connection?.CancelRunningCommand();

    private PgConnection CheckConnection()
    {
        var connection = _connection ?? throw new InvalidOperationException("The command has no Connection.");
        if (connection.State == ConnectionState.Closed) throw new InvalidOperationException("The command's connection is not open.");
        if (_transaction is { } t && (t.IsCompleted || t.Connection != connection))
            throw new InvalidOperationException(t.IsCompleted
                ? "The command's Transaction has already been committed or rolled back."
                : "The command's Transaction belongs to another connection.");
        return connection;
    }

    /// <summary>
    /// Not an async method, so that a command waiting for the server suspends one state machine fewer; its callers are
    /// async methods, so an error thrown here still reaches the user through their task.
    /// </summary>
    private ValueTask<Connection.ResultReader> StartAsync(CommandBehavior behavior, bool async, CancellationToken cancellationToken,
        bool prepare = false)
    {
        var connection = CheckConnection();
        // The parameters go as they are (a PgParameter is bound by its Value and type), without copying them.
        return CommandStart.StartAsync(connection, this, connection.SharedRequest, behavior, CommandTimeout, async, cancellationToken, prepare);
    }

    public override int ExecuteNonQuery() => (int)ExecuteNonQueryCoreAsync(async: false, CancellationToken.None).GetAwaiter().GetResult();

    public override async Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken) =>
        (int)await ExecuteNonQueryCoreAsync(async: true, cancellationToken).ConfigureAwait(false);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<long> ExecuteNonQueryCoreAsync(bool async, CancellationToken cancellationToken)
    {
        var result = await StartAsync(CommandBehavior.Default, async, cancellationToken).ConfigureAwait(false);
        await result.ConsumeAsync(async, cancellationToken).ConfigureAwait(false);
        return result.NonQueryRowsAffected;
    }

    public override object? ExecuteScalar() => ExecuteScalarCoreAsync(async: false, CancellationToken.None).GetAwaiter().GetResult();

    public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken) =>
        ExecuteScalarCoreAsync(async: true, cancellationToken).AsTask();

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<object?> ExecuteScalarCoreAsync(bool async, CancellationToken cancellationToken)
    {
        var result = await StartAsync(CommandBehavior.Default, async, cancellationToken).ConfigureAwait(false);
        return await result.ReadScalarAsync(async, cancellationToken).ConfigureAwait(false);
    }

    public new PgDataReader ExecuteReader() => ExecuteReader(CommandBehavior.Default);

    public new PgDataReader ExecuteReader(CommandBehavior behavior) =>
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
        var reader = new PgDataReader(_connection!, result, behavior);
        _connection!.OpenReader = reader;
        return reader;
    }
}
