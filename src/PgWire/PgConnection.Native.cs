using System.Runtime.CompilerServices;
using System.Data;
using PgWire.Connection;

namespace PgWire;

public sealed partial class PgConnection
{
    /// <summary>
    /// Runs <paramref name="sql"/> with positional parameters $1..$n bound to <paramref name="args"/> and returns
    /// all its rows. NULL columns are null.
    /// </summary>
    public ValueTask<IReadOnlyList<PgRow>> QueryAsync(string sql, params object?[] args) =>
        QueryCoreAsync(sql, args, async: true, CancellationToken.None);

    /// <inheritdoc cref="QueryAsync(string, object?[])"/>
    public ValueTask<IReadOnlyList<PgRow>> QueryAsync(string sql, CancellationToken cancellationToken, params object?[] args) =>
        QueryCoreAsync(sql, args, async: true, cancellationToken);

    /// <summary>Runs a command with positional parameters and returns the number of rows it affected (-1 when the command does not say).</summary>
    public ValueTask<long> ExecuteAsync(string sql, params object?[] args) =>
        ExecuteCoreAsync(sql, args, async: true, CancellationToken.None);

    /// <inheritdoc cref="ExecuteAsync(string, object?[])"/>
    public ValueTask<long> ExecuteAsync(string sql, CancellationToken cancellationToken, params object?[] args) =>
        ExecuteCoreAsync(sql, args, async: true, cancellationToken);

    /// <summary>
    /// The first column of the first row as <typeparamref name="T"/>. NULL, or no row, is null for a nullable
    /// <typeparamref name="T"/> (int?, string) and an error for a non-nullable one.
    /// </summary>
    public ValueTask<T?> QueryScalarAsync<T>(string sql, params object?[] args) =>
        QueryScalarCoreAsync<T>(sql, args, async: true, CancellationToken.None);

    /// <inheritdoc cref="QueryScalarAsync{T}(string, object?[])"/>
    public ValueTask<T?> QueryScalarAsync<T>(string sql, CancellationToken cancellationToken, params object?[] args) =>
        QueryScalarCoreAsync<T>(sql, args, async: true, cancellationToken);

    /// <summary>
    /// Runs an interpolated string with each hole sent as a positional parameter:
    /// <c>QueryAsync($"SELECT name FROM t WHERE id = {id}")</c> runs <c>... WHERE id = $1</c> with <c>id</c> bound to $1.
    /// </summary>
    public ValueTask<IReadOnlyList<PgRow>> QueryAsync(ref PgSqlInterpolatedStringHandler sql, CancellationToken cancellationToken = default)
    {
        var (text, args) = sql.Build();
        return QueryCoreAsync(text, args, async: true, cancellationToken);
    }

    /// <summary>An interpolated command whose holes are sent as parameters; see <see cref="QueryAsync(ref PgSqlInterpolatedStringHandler, CancellationToken)"/>.</summary>
    public ValueTask<long> ExecuteAsync(ref PgSqlInterpolatedStringHandler sql, CancellationToken cancellationToken = default)
    {
        var (text, args) = sql.Build();
        return ExecuteCoreAsync(text, args, async: true, cancellationToken);
    }

    /// <summary>An interpolated query whose holes are sent as parameters; see <see cref="QueryAsync(ref PgSqlInterpolatedStringHandler, CancellationToken)"/>.</summary>
    public ValueTask<T?> QueryScalarAsync<T>(ref PgSqlInterpolatedStringHandler sql, CancellationToken cancellationToken = default)
    {
        var (text, args) = sql.Build();
        return QueryScalarCoreAsync<T>(text, args, async: true, cancellationToken);
    }

    /// <summary>Synchronous <see cref="QueryAsync(string, object?[])"/>.</summary>
    public IReadOnlyList<PgRow> Query(string sql, params object?[] args) =>
        QueryCoreAsync(sql, args, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Synchronous <see cref="ExecuteAsync(string, object?[])"/>.</summary>
    public long Execute(string sql, params object?[] args) =>
        ExecuteCoreAsync(sql, args, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>
    /// The request the native API and every PgCommand fill (one command at a time runs on a connection), so a command
    /// made for one run (a new SQL text) allocates no request or parameter buffers of its own.
    /// </summary>
    internal CommandRequest SharedRequest => _sharedRequest ??= new CommandRequest();

    private CommandRequest? _sharedRequest;

    /// <summary>Runs <paramref name="sql"/> (one statement, or several separated by ';') with positional arguments.</summary>
    internal ValueTask<ResultReader> StartAsync(string sql, IReadOnlyList<object?>? args, CommandBehavior behavior, int? timeoutSeconds,
        bool async, CancellationToken cancellationToken, bool prepare = false) =>
        CommandStart.StartAsync(this, sql, args, behavior, timeoutSeconds, async, cancellationToken, prepare);

    /// <summary>Fills the request from a command, a batch or the native API, and runs it (see <see cref="CommandStart"/>).</summary>
    internal ValueTask<ResultReader> StartAsync<TSource>(TSource source, CommandRequest request, CommandBehavior behavior,
        int? timeoutSeconds, bool async, CancellationToken cancellationToken, bool prepare = false) where TSource : ICommandSource =>
        CommandStart.StartAsync(this, source, request, behavior, timeoutSeconds, async, cancellationToken, prepare);

    internal CachedStatement? FindStatement(string sql, IReadOnlyList<object?> args) => CommandStart.FindStatement(this, sql, args);

    private ValueTask<IReadOnlyList<PgRow>> QueryCoreAsync(string sql, object?[]? args, bool async, CancellationToken cancellationToken) =>
        CommandStart.QueryAsync(this, sql, args, async, cancellationToken);

    private ValueTask<long> ExecuteCoreAsync(string sql, object?[]? args, bool async, CancellationToken cancellationToken) =>
        CommandStart.ExecuteAsync(this, sql, args, async, cancellationToken);

    private ValueTask<T?> QueryScalarCoreAsync<T>(string sql, object?[]? args, bool async, CancellationToken cancellationToken) =>
        CommandStart.QueryScalarAsync<T>(this, sql, args, async, cancellationToken);
}
