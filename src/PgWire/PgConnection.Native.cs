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

    /// <summary>The request the native API fills: one call at a time runs on a connection.</summary>
    private CommandRequest? _nativeRequest;

    /// <summary>Runs <paramref name="sql"/> (one statement, or several separated by ';') with positional arguments.</summary>
    internal ValueTask<ResultReader> StartAsync(string sql, IReadOnlyList<object?>? args, CommandBehavior behavior, int? timeoutSeconds,
        bool async, CancellationToken cancellationToken, bool prepare = false)
    {
        ArgumentNullException.ThrowIfNull(sql);
        return StartAsync(new CommandText(sql, args ?? []), _nativeRequest ??= new CommandRequest(), behavior, timeoutSeconds, async,
            cancellationToken, prepare);
    }

    /// <summary>
    /// Fills <paramref name="request"/> from <paramref name="source"/> (binding every parameter before anything is sent)
    /// and runs it. Not an async method's caller chain of its own: commands, batches and the native API all come here.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    internal async ValueTask<ResultReader> StartAsync<TSource>(TSource source, CommandRequest request, CommandBehavior behavior,
        int? timeoutSeconds, bool async, CancellationToken cancellationToken, bool prepare = false) where TSource : ICommandSource
    {
        var connector = ConnectorForCommand;
        connector.CheckReady();
        int timeout = timeoutSeconds ?? Settings.CommandTimeoutSeconds;
        request.Clear(behavior, timeout, prepare);
        // Outside the catch below: a mistake in the text or the parameter names is the caller's, and no type the
        // database defines can mend it.
        source.ResolveText();
        try
        {
            Fill(source, request, connector);
        }
        catch (Exception e) when (!connector.Types.IsLoaded && connector.Settings.LoadTypes &&
                                  (e is ArgumentException || e is PgConversionException { SqlState: PgErrorCodes.DatatypeMismatch }))
        {
            // A value whose type lives in the database (a mapped enum or composite, hstore) before the database's
            // types were read: read them, then bind again (the same error again is then the real one).
            request.Clear(behavior, timeout, prepare);
            await connector.LoadTypesAsync(async, cancellationToken).ConfigureAwait(false);
            Fill(source, request, connector);
        }
        try
        {
            return await connector.ExecuteAsync(request, async, cancellationToken).ConfigureAwait(false);
        }
        catch (PgServerException e) when (e.StalePreparedStatement && request.Count == 1 &&
                                         connector.State == ConnectorState.Ready && connector.TransactionStatus == PgWire.Protocol.Backend.TransactionStatus.Idle)
        {
            // The server refused a prepared statement whose tables changed before running anything, outside a
            // transaction: nothing happened, so run it once more, described afresh.
            return await connector.ExecuteAsync(request, async, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // The values were encoded into the write: the request keeps none of the caller's data alive.
            request.Release();
        }
    }

    /// <summary>
    /// Binds the command's parameters. A value that cannot be sent is named in the exception only with Log Parameters or
    /// Include Error Detail: a parameter can be a password or a card number, and exception messages end up in logs.
    /// </summary>
    private static void Fill<TSource>(TSource source, CommandRequest request, PgConnector connector) where TSource : ICommandSource
    {
        try
        {
            source.Fill(request, connector.TypeRegistry);
        }
        catch (PgConversionException e) when (e.MessageWithoutValue is not null && !connector.Settings.ParameterValuesInErrors)
        {
            throw e.WithoutValue();
        }
    }

    /// <summary>
    /// What this connection knows of <paramref name="sql"/> run with <paramref name="args"/>' types, or null when it
    /// never described it (or the connection is closed, or an argument cannot be sent).
    /// </summary>
    internal CachedStatement? FindStatement(string sql, IReadOnlyList<object?> args)
    {
        if (_connector is not { State: ConnectorState.Ready or ConnectorState.Executing } connector) return null;
        var parameters = new BoundParameters();
        try
        {
            CommandText.Bind(parameters, args, connector.TypeRegistry);
            return connector.Statements.Find(sql, parameters.Oids);
        }
        catch (Exception e) when (e is ArgumentException or PgConversionException)
        {
            return null;
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<IReadOnlyList<PgRow>> QueryCoreAsync(string sql, object?[]? args, bool async, CancellationToken cancellationToken)
    {
        var result = await StartAsync(sql, args, CommandBehavior.Default, null, async, cancellationToken).ConfigureAwait(false);
        var rows = new List<PgRow>();
        // Several statements: the rows of each that returns rows, in order.
        do
        {
            if (result.Columns is not { } columns) continue;
            var names = PgRowColumns.For(columns);
            while (await result.ReadAsync(async, cancellationToken).ConfigureAwait(false))
            {
                var (data, layout) = result.CopyRow();
                rows.Add(new PgRow(names, data, layout));
            }
        }
        while (await result.NextResultAsync(async, cancellationToken).ConfigureAwait(false));
        return rows;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<long> ExecuteCoreAsync(string sql, object?[]? args, bool async, CancellationToken cancellationToken)
    {
        var result = await StartAsync(sql, args, CommandBehavior.Default, null, async, cancellationToken).ConfigureAwait(false);
        await result.ConsumeAsync(async, cancellationToken).ConfigureAwait(false);
        return result.NonQueryRowsAffected;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<T?> QueryScalarCoreAsync<T>(string sql, object?[]? args, bool async, CancellationToken cancellationToken)
    {
        var result = await StartAsync(sql, args, CommandBehavior.Default, null, async, cancellationToken).ConfigureAwait(false);
        T? value = default;
        bool found = false;
        if (await result.SkipToRowsAsync(async, cancellationToken).ConfigureAwait(false) &&
            await result.ReadAsync(async, cancellationToken).ConfigureAwait(false))
        {
            found = true;
            try
            {
                value = result.GetFieldValue<T>(0);
            }
            finally
            {
                await result.ConsumeAsync(async, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            await result.ConsumeAsync(async, cancellationToken).ConfigureAwait(false);
        }
        if (!found && default(T) is not null)
            throw new InvalidCastException($"The query returned no row, which {typeof(T).Name} cannot represent; ask for {typeof(T).Name}? instead.");
        return value;
    }
}
