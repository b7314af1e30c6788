using PgWire.Connection;

namespace PgWire;

public sealed partial class PgConnection
{
    /// <summary>
    /// Runs <paramref name="sql"/> with positional parameters $1..$n bound to <paramref name="args"/> and returns
    /// all its rows. NULL columns are null.
    /// </summary>
    public ValueTask<IReadOnlyList<PgRow>> QueryAsync(string sql, params object?[] args) =>
        CommandStart.QueryAsync(this, sql, args, async: true, CancellationToken.None);

    /// <inheritdoc cref="QueryAsync(string, object?[])"/>
    public ValueTask<IReadOnlyList<PgRow>> QueryAsync(string sql, CancellationToken cancellationToken, params object?[] args) =>
        CommandStart.QueryAsync(this, sql, args, async: true, cancellationToken);

    /// <summary>Runs a command with positional parameters and returns the number of rows it affected (-1 when the command does not say).</summary>
    public ValueTask<long> ExecuteAsync(string sql, params object?[] args) =>
        CommandStart.ExecuteAsync(this, sql, args, async: true, CancellationToken.None);

    /// <inheritdoc cref="ExecuteAsync(string, object?[])"/>
    public ValueTask<long> ExecuteAsync(string sql, CancellationToken cancellationToken, params object?[] args) =>
        CommandStart.ExecuteAsync(this, sql, args, async: true, cancellationToken);

    /// <summary>
    /// The first column of the first row as <typeparamref name="T"/>. NULL, or no row, is null for a nullable
    /// <typeparamref name="T"/> (int?, string) and an error for a non-nullable one.
    /// </summary>
    public ValueTask<T?> QueryScalarAsync<T>(string sql, params object?[] args) =>
        CommandStart.QueryScalarAsync<T>(this, sql, args, async: true, CancellationToken.None);

    /// <inheritdoc cref="QueryScalarAsync{T}(string, object?[])"/>
    public ValueTask<T?> QueryScalarAsync<T>(string sql, CancellationToken cancellationToken, params object?[] args) =>
        CommandStart.QueryScalarAsync<T>(this, sql, args, async: true, cancellationToken);

    /// <summary>
    /// Runs an interpolated string with each hole sent as a positional parameter:
    /// <c>QueryAsync($"SELECT name FROM t WHERE id = {id}")</c> runs <c>... WHERE id = $1</c> with <c>id</c> bound to $1.
    /// </summary>
    public ValueTask<IReadOnlyList<PgRow>> QueryAsync(ref PgSqlInterpolatedStringHandler sql, CancellationToken cancellationToken = default)
    {
        var (text, args) = sql.Build();
        return CommandStart.QueryAsync(this, text, args, async: true, cancellationToken);
    }

    /// <summary>An interpolated command whose holes are sent as parameters; see <see cref="QueryAsync(ref PgSqlInterpolatedStringHandler, CancellationToken)"/>.</summary>
    public ValueTask<long> ExecuteAsync(ref PgSqlInterpolatedStringHandler sql, CancellationToken cancellationToken = default)
    {
        var (text, args) = sql.Build();
        return CommandStart.ExecuteAsync(this, text, args, async: true, cancellationToken);
    }

    /// <summary>An interpolated query whose holes are sent as parameters; see <see cref="QueryAsync(ref PgSqlInterpolatedStringHandler, CancellationToken)"/>.</summary>
    public ValueTask<T?> QueryScalarAsync<T>(ref PgSqlInterpolatedStringHandler sql, CancellationToken cancellationToken = default)
    {
        var (text, args) = sql.Build();
        return CommandStart.QueryScalarAsync<T>(this, text, args, async: true, cancellationToken);
    }

    /// <summary>Synchronous <see cref="QueryAsync(string, object?[])"/>.</summary>
    public IReadOnlyList<PgRow> Query(string sql, params object?[] args) =>
        CommandStart.QueryAsync(this, sql, args, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Synchronous <see cref="ExecuteAsync(string, object?[])"/>.</summary>
    public long Execute(string sql, params object?[] args) =>
        CommandStart.ExecuteAsync(this, sql, args, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>
    /// The request the native API and every PgCommand fill (one command at a time runs on a connection), so a command
    /// made for one run (a new SQL text) allocates no request or parameter buffers of its own.
    /// </summary>
    internal CommandRequest SharedRequest => _sharedRequest ??= new CommandRequest();

    private CommandRequest? _sharedRequest;
}
