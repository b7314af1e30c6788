using System.Runtime.CompilerServices;
using System.Data;
using PgWire.Protocol.Backend;
using PgWire.Protocol.Frontend;

namespace PgWire.Connection;

internal sealed partial class PgConnector
{
    private ResultReader? _result;

    /// <summary>Throws unless the connection is open and idle (no other command or reader in progress).</summary>
    public void CheckReady()
    {
        switch (State)
        {
            case ConnectorState.Ready:
                return;
            case ConnectorState.Executing:
                throw new InvalidOperationException(
                    "A command is already in progress on this connection (an open data reader?). Dispose the reader " +
                    "first, or use another connection: a connection runs one command at a time.");
            case ConnectorState.Broken:
                throw new PgConnectionException("The connection is broken (an earlier failure closed it); open a new one.");
            default:
                throw new InvalidOperationException("The connection is not open.");
        }
    }

    /// <summary>
    /// Sends a command (one statement or a batch) through the extended protocol in one write ending in one Sync, and
    /// reads up to its first row. A statement this connection has run before is sent with the result formats its
    /// description chose (binary for the types PgWire knows, text for the rest), and only bound once it is prepared. A
    /// statement new to the connection is described first, in a round trip of its own (with
    /// <see cref="DescribeWithExecution"/>, in the same write as its execution, its rows then arriving as text).
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ResultReader> ExecuteAsync(CommandRequest request, bool async, CancellationToken cancellationToken)
    {
        CheckReady();
        await Cancellation.WaitForCancelDeliveryAsync(async).ConfigureAwait(false);
        for (int i = 0; i < request.Count; i++)
        {
            var parameters = request.Parameters(i);
            Bind.CheckParameterCount(parameters.Count);
            // Refuse an oversized Bind before anything at all is sent (the exact check is repeated as Bind is written).
            Protocol.WriteBuffer.CheckMessageLength(parameters.TotalLength + 2L * parameters.Count + 16);
        }
        var result = _result ??= new ResultReader(this);
        bool describeOnly = request.Prepare || (request.Behavior & CommandBehavior.SchemaOnly) != 0;
        CheckCatalogVersion();
        bool anyNew = LookUpStatements(request);
        if (anyNew && !describeOnly && CanDescribeWithExecution() && !Types.IsLoaded && Settings.LoadTypes)
        {
            // The first statement new to this data source: its types that live in the database (enums, composites,
            // hstore...) are read once, so that a first run decodes them as every later run will.
            await LoadTypesAsync(async, cancellationToken).ConfigureAwait(false);
            CheckCatalogVersion();
            LookUpStatements(request);
        }
        var callerToken = cancellationToken;
        Cancellation.ArmCancellation(cancellationToken, request.TimeoutSeconds);
        // From here the token acts through a CancelRequest, never by abandoning a socket read half-way.
        cancellationToken = CancellationToken.None;
        State = ConnectorState.Executing;
        Session.Used = true;
        try
        {
            if (describeOnly)
            {
                bool sent = anyNew || (request.Behavior & CommandBehavior.SchemaOnly) != 0;
                if (sent) await DescribeAsync(request, async, cancellationToken).ConfigureAwait(false);
                DescribedResult(request, result);
                if (!sent) FinishCommand();
                return result;
            }
            if (anyNew && !CanDescribeWithExecution())
            {
                await DescribeAsync(request, async, cancellationToken).ConfigureAwait(false);
                if (!Types.IsLoaded && Settings.LoadTypes && HasUnknownTypes(request))
                {
                    // First need of a type whose OID differs per database (an enum, a composite, hstore...): load them,
                    // then take the statements' columns again with the codecs now known.
                    await LoadTypesAsync(async, CancellationToken.None).ConfigureAwait(false);
                    CheckCatalogVersion();
                    for (int i = 0; i < request.Count; i++)
                        if (request.Statement(i) is { } statement && Statements.Find(statement.Sql, statement.ParameterTypes) is null)
                            Statements.Add(statement.WithRegistry(TypeRegistry));
                    LookUpStatements(request);
                    // The catalog query dropped the unnamed statement.
                    _unnamed = null;
                }
                CheckReady();
                Cancellation.ArmCancellation(callerToken, request.TimeoutSeconds);
                State = ConnectorState.Executing;
            }
            Session.WriteOwedReset(WriteBuffer, Engine, Prepared, beforeExtendedQuery: true);
            Prepared.WritePendingCloses(WriteBuffer, Engine);
            WriteStatements(request, result);
            WriteSync();
            await FlushAsync(async, cancellationToken).ConfigureAwait(false);
            await result.ReadHeaderAsync(async, cancellationToken).ConfigureAwait(false);
            return result;
        }
        catch (Exception) when (State == ConnectorState.Executing)
        {
            // Refused while encoding (nothing of it was sent), or the server's error read up to its ReadyForQuery:
            // the connection is in step and stays. Anything else leaves a reply unread: the connection goes.
            RecoverAfterFailure();
            throw;
        }
        finally
        {
            _unnamed = null;
        }
    }

    /// <summary>
    /// Looks each statement of the request up in this connection's cache, once a run, and notes what was found in the
    /// request; true when a statement is new to the connection.
    /// </summary>
    private bool LookUpStatements(CommandRequest request)
    {
        bool anyNew = false;
        for (int i = 0; i < request.Count; i++)
        {
            var statement = Statements.Find(request.Sql(i), request.Parameters(i).Oids);
            request.SetStatement(i, statement);
            anyNew |= statement is null;
        }
        return anyNew;
    }

    /// <summary>
    /// Whether a described statement has a column of a type the catalog could know: user-defined and extension types
    /// have OIDs from FirstNormalObjectId (16384) on; a built-in type PgWire lacks a codec for stays text without a catalog query.
    /// </summary>
    private bool HasUnknownTypes(CommandRequest request)
    {
        const uint FirstNormalObjectId = 16384;
        for (int i = 0; i < request.Count; i++)
            if (request.Statement(i)?.LastColumns is { } columns)
                foreach (var field in columns.Fields)
                    if (field.TypeOid >= FirstNormalObjectId && !TypeRegistry.IsKnown(field.TypeOid)) return true;
        return false;
    }

    /// <summary>
    /// Whether a first run may read its rows as text: the text forms of dates and intervals depend on DateStyle and
    /// IntervalStyle, which the server reports; PgWire reads their ISO and postgres forms. Otherwise a new statement is
    /// described in a round trip of its own first.
    /// </summary>
    private bool CanDescribeWithExecution() => DescribeWithExecution &&
        (!ServerParameters.TryGetValue("DateStyle", out var dateStyle) || dateStyle.StartsWith("ISO", StringComparison.Ordinal)) &&
        (!ServerParameters.TryGetValue("IntervalStyle", out var intervalStyle) || intervalStyle == "postgres");

    /// <summary>
    /// Whether a new statement is described in the same write as its first execution (rows as text). Off until every
    /// type's text decoder reads the same .NET value as its binary one (the differential tests run both ways show
    /// composites, regclass, macaddr8 and hstore do not yet); meanwhile a new statement is described in a round trip
    /// of its own first.
    /// </summary>
    internal static bool DescribeWithExecution { get; set; }

    /// <summary>
    /// The statement the server holds as its unnamed statement, parsed by the description round trip just read, for
    /// the write that follows it; null when unknown (or when a pooler may have moved us to another server connection
    /// at that Sync: Prepared Statements=false).
    /// </summary>
    private CachedStatement? _unnamed;

    /// <summary>Writes each statement of the request and records in <paramref name="result"/> what its answer will hold.</summary>
    private void WriteStatements(CommandRequest request, ResultReader result)
    {
        result.Begin();
        int maxRows = (request.Behavior & CommandBehavior.SingleRow) != 0 && request.Count == 1 ? 1 : 0;
        // What the unnamed statement holds as this write goes on: a statement already parsed into it is only bound
        // again, a known one (unnamed) or, for a new one described in this write, the entry that describes it.
        var unnamed = _unnamed;
        int unnamedEntry = -1;
        for (int i = 0; i < request.Count; i++)
        {
            string sql = request.Sql(i);
            var parameters = request.Parameters(i);
            ref var entry = ref result.AddEntry();
            entry.Execute = true;
            var statement = request.Statement(i);
            if (statement is null)
            {
                if (unnamedEntry >= 0 && SameStatement(ref result.Entry(unnamedEntry), sql, parameters))
                {
                    // Described by an earlier statement of this batch: bound again, its rows as text like the first's.
                    entry.ColumnsFrom = unnamedEntry;
                }
                else
                {
                    WriteDescription(ref entry, sql, parameters);
                    unnamed = null;
                    unnamedEntry = i;
                }
                Bind.Write(WriteBuffer, "", "", parameters, []);
                Engine.Expect(ReplyKind.BindComplete);
            }
            else
            {
                statement.Usages++;
                entry.Statement = statement;
                string? name = Prepared.ChooseStatementName(statement, out bool newlyPrepared);
                entry.Named = name is not null;
                entry.NewlyPrepared = newlyPrepared;
                if (name is null ? statement == unnamed : !newlyPrepared)
                {
                    // Prepared earlier, or parsed into the unnamed statement already: only bound; its columns are the
                    // ones its description gave.
                    entry.Columns = statement.LastColumns;
                    Bind.Write(WriteBuffer, "", name ?? "", parameters, statement.ResultFormats);
                    Engine.Expect(ReplyKind.BindComplete);
                }
                else
                {
                    Parse.Write(WriteBuffer, name ?? "", sql, parameters.Oids);
                    Engine.Expect(ReplyKind.ParseComplete);
                    Bind.Write(WriteBuffer, "", name ?? "", parameters, statement.ResultFormats);
                    Engine.Expect(ReplyKind.BindComplete);
                    Describe.Write(WriteBuffer, Describe.Portal, "");
                    Engine.Expect(ReplyKind.PortalDescription);
                    if (name is null)
                    {
                        unnamed = statement;
                        unnamedEntry = -1;
                    }
                }
            }
            Execute.Write(WriteBuffer, "", maxRows);
            Engine.Expect(ReplyKind.ExecuteResult);
        }
    }

    /// <summary>Parse into the unnamed statement and Describe it: the entry learns its parameter and row types from the answer.</summary>
    private void WriteDescription(ref BatchEntry entry, string sql, BoundParameters parameters)
    {
        entry.Sql = sql;
        entry.ParameterOids = parameters.Oids.ToArray();
        entry.DescribeStatement = true;
        Parse.Write(WriteBuffer, "", sql, parameters.Oids);
        Engine.Expect(ReplyKind.ParseComplete);
        Describe.Write(WriteBuffer, Describe.Statement, "");
        Engine.Expect(ReplyKind.StatementDescription);
    }

    private static bool SameStatement(ref BatchEntry described, string sql, BoundParameters parameters) =>
        string.Equals(described.Sql, sql, StringComparison.Ordinal) && described.ParameterOids.AsSpan().SequenceEqual(parameters.Oids);

    /// <summary>
    /// Parse + Describe(statement) of each statement of the request this connection has not described (every one for
    /// SchemaOnly), in one write with one Sync; the descriptions are cached and noted in the request. For Prepare,
    /// SchemaOnly, and first runs while <see cref="DescribeWithExecution"/> is off.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask DescribeAsync(CommandRequest request, bool async, CancellationToken cancellationToken)
    {
        var result = _result!;
        bool schemaOnly = (request.Behavior & CommandBehavior.SchemaOnly) != 0;
        Session.WriteOwedReset(WriteBuffer, Engine, Prepared, beforeExtendedQuery: true);
        result.Begin();
        for (int i = 0; i < request.Count; i++)
        {
            string sql = request.Sql(i);
            var parameters = request.Parameters(i);
            if (request.Statement(i) is not null && !schemaOnly) continue;
            // A run of the same statement (a batch of one INSERT many times) is described once.
            if (result.EntryCount > 0 && SameStatement(ref result.Entry(result.EntryCount - 1), sql, parameters)) continue;
            WriteDescription(ref result.AddEntry(), sql, parameters);
        }
        WriteSync();
        await FlushAsync(async, cancellationToken).ConfigureAwait(false);
        await result.ReadHeaderAsync(async, cancellationToken).ConfigureAwait(false);
        await result.ConsumeAsync(async, cancellationToken).ConfigureAwait(false);
        // The last statement described is the unnamed statement now; behind a pooler that may have given the Sync's
        // server connection to someone else, assume nothing of it.
        ref var last = ref result.Entry(result.EntryCount - 1);
        LookUpStatements(request);
        _unnamed = Settings.PreparedStatements ? last.Statement : null;
    }

    /// <summary>The result a description only gives (Prepare, SchemaOnly): each statement's columns, no rows.</summary>
    private void DescribedResult(CommandRequest request, ResultReader result)
    {
        result.Begin();
        for (int i = 0; i < request.Count; i++)
        {
            ref var entry = ref result.AddEntry();
            var statement = request.Statement(i);
            if (request.Prepare && statement is not null) Prepared.RequestPrepare(statement);
            entry.Statement = statement;
            entry.Columns = statement?.LastColumns;
        }
        result.MarkDescribed();
    }

    /// <summary>A statement's description arrived: it is cached (replacing an older one) for the statement's later runs.</summary>
    internal CachedStatement StatementDescribed(string sql, uint[] parameterOids, uint[] serverTypes, RowDescription? rows)
    {
        var statement = new CachedStatement(sql, parameterOids, serverTypes, rows, TypeRegistry);
        if (Statements.Find(sql, parameterOids) is { } older)
        {
            // Described again (SchemaOnly): the new description replaces the old, and its server statement goes.
            Prepared.Unprepare(older, closeOnServer: true);
            Statements.Invalidate(older);
        }
        Statements.Add(statement);
        return statement;
    }

    /// <summary>Writes Sync, which ends the pipeline and earns a ReadyForQuery.</summary>
    private void WriteSync()
    {
        Sync.Write(WriteBuffer);
        Engine.Expect(ReplyKind.Sync);
    }

    /// <summary>
    /// Runs SQL that PgWire writes itself and that carries no values (BEGIN, COMMIT, SAVEPOINT, the catalog query...),
    /// one statement, through the simple query protocol (behind a pool reset, the extended one), in one round trip,
    /// within Command Timeout like any command: a server that stops answering breaks the connection instead of
    /// holding the caller.
    /// </summary>
    /// <returns>The reader, at the result's first row; its <see cref="ResultReader.CommandTag"/> is set once consumed.</returns>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    internal async ValueTask<ResultReader> StartInternalAsync(string sql, bool async, CancellationToken cancellationToken)
    {
        CheckReady();
        await Cancellation.WaitForCancelDeliveryAsync(async).ConfigureAwait(false);
        var result = _result ??= new ResultReader(this);
        Cancellation.ArmCancellation(cancellationToken, Settings.CommandTimeoutSeconds);
        State = ConnectorState.Executing;
        Session.Used = true;
        try
        {
            if (Session.ResetOwed)
            {
                // The first command since the connection came back from the pool (typically BEGIN) goes in the extended
                // protocol behind the pipelined reset, so that the server answers both in one reply.
                Session.WriteOwedReset(WriteBuffer, Engine, Prepared, beforeExtendedQuery: true);
                result.Begin(wantTag: true);
                ref var entry = ref result.AddEntry();
                entry.Execute = true;
                Parse.Write(WriteBuffer, "", sql, []);
                Engine.Expect(ReplyKind.ParseComplete);
                Bind.Write(WriteBuffer, "", "", NoBindParameters.Instance, []);
                Engine.Expect(ReplyKind.BindComplete);
                // No Describe: an internal command behind the reset returns no rows (BEGIN, SAVEPOINT...).
                Execute.Write(WriteBuffer, "", 0);
                Engine.Expect(ReplyKind.ExecuteResult);
                WriteSync();
            }
            else
            {
                Query.Write(WriteBuffer, sql);
                Engine.Expect(ReplyKind.SimpleQuery);
                result.BeginSimple();
            }
            await FlushAsync(async, CancellationToken.None).ConfigureAwait(false);
            await result.ReadHeaderAsync(async, CancellationToken.None).ConfigureAwait(false);
            return result;
        }
        catch (Exception) when (State == ConnectorState.Executing)
        {
            RecoverAfterFailure();
            throw;
        }
    }

    /// <summary>Runs an internal command to its end; see <see cref="StartInternalAsync"/>.</summary>
    /// <returns>The command tag of the statement (e.g. "COMMIT", or "ROLLBACK" when COMMIT found a failed transaction).</returns>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<string?> ExecuteInternalAsync(string sql, bool async, CancellationToken cancellationToken)
    {
        var result = await StartInternalAsync(sql, async, cancellationToken).ConfigureAwait(false);
        await result.ConsumeAsync(async, CancellationToken.None).ConfigureAwait(false);
        return result.CommandTag;
    }
}
