using System.Data;
using System.Runtime.CompilerServices;
using PgWire.Connection;

namespace PgWire;

/// <summary>
/// Where commands, batches and the native API meet the connector: a request filled from its source (every parameter
/// bound before anything is sent, the database's types read first when a value needs them), run, and retried once when
/// the server refused a prepared statement whose tables changed before running anything; and the native API's readers
/// of what comes back (rows, a count, a scalar).
/// </summary>
internal static class CommandStart
{

    /// <summary>Runs <paramref name="sql"/> (one statement, or several separated by ';') with positional arguments.</summary>
    public static ValueTask<ResultReader> StartAsync(PgConnection connection, string sql, IReadOnlyList<object?>? args, CommandBehavior behavior, int? timeoutSeconds,
        bool async, CancellationToken cancellationToken, bool prepare = false)
    {
        ArgumentNullException.ThrowIfNull(sql);
        return StartAsync(connection, new CommandText(sql, args ?? []), connection.SharedRequest, behavior, timeoutSeconds, async,
            cancellationToken, prepare);
    }

    /// <summary>
    /// Fills <paramref name="request"/> from <paramref name="source"/> (binding every parameter before anything is sent)
    /// and runs it. Not an async method's caller chain of its own: commands, batches and the native API all come here.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<ResultReader> StartAsync<TSource>(PgConnection connection, TSource source, CommandRequest request, CommandBehavior behavior,
        int? timeoutSeconds, bool async, CancellationToken cancellationToken, bool prepare = false) where TSource : ICommandSource
    {
        var connector = connection.ConnectorForCommand;
        connector.CheckReady();
        int timeout = timeoutSeconds ?? connector.Settings.CommandTimeoutSeconds;
        // The reader will hold the connection: the tables its schema needs are looked up first (with the shared
        // request, which is filled for the command itself only after).
        if ((behavior & CommandBehavior.KeyInfo) != 0)
            await Schema.TableFactsCache.LoadForCommandAsync(connection, source, timeout, async, cancellationToken).ConfigureAwait(false);
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
            await connector.Internal.LoadTypesAsync(async, cancellationToken).ConfigureAwait(false);
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
    public static CachedStatement? FindStatement(PgConnection connection, string sql, IReadOnlyList<object?> args)
    {
        if (connection.ConnectorIfOpen is not { State: ConnectorState.Ready or ConnectorState.Executing } connector) return null;
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
    public static async ValueTask<IReadOnlyList<PgRow>> QueryAsync(PgConnection connection, string sql, object?[]? args, bool async, CancellationToken cancellationToken)
    {
        var result = await StartAsync(connection, sql, args, CommandBehavior.Default, null, async, cancellationToken).ConfigureAwait(false);
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
    public static async ValueTask<long> ExecuteAsync(PgConnection connection, string sql, object?[]? args, bool async, CancellationToken cancellationToken)
    {
        var result = await StartAsync(connection, sql, args, CommandBehavior.Default, null, async, cancellationToken).ConfigureAwait(false);
        await result.ConsumeAsync(async, cancellationToken).ConfigureAwait(false);
        return result.NonQueryRowsAffected;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<T?> QueryScalarAsync<T>(PgConnection connection, string sql, object?[]? args, bool async, CancellationToken cancellationToken)
    {
        var result = await StartAsync(connection, sql, args, CommandBehavior.Default, null, async, cancellationToken).ConfigureAwait(false);
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
