using System.Runtime.CompilerServices;
using System.Data;
using PgWire.Protocol;
using PgWire.Protocol.Backend;
using PgWire.Protocol.Frontend;
using PgWire.Types;

namespace PgWire.Connection;

internal sealed partial class PgConnector
{
    private ResultReader? _result;
    private readonly BoundParameters _parameters = new();

    /// <summary>The parameters of the next <see cref="ExecuteAsync"/>; the caller clears and fills them.</summary>
    public BoundParameters Parameters => _parameters;

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
    /// Sends one statement with <see cref="Parameters"/> through the extended protocol and reads up to its first row.
    /// The first run of a SQL text on this connection describes it first (one extra round trip) so results come
    /// back in binary for known types and as text for the rest; later runs send Parse/Bind/Describe/Execute/Sync
    /// in one write.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ResultReader> ExecuteAsync(string sql, CommandBehavior behavior, int timeoutSeconds, bool async,
        CancellationToken cancellationToken, bool prepare = false)
    {
        try
        {
            CheckReady();
            Bind.CheckParameterCount(_parameters.Count);
            // Refuse an oversized Bind before anything at all is sent (the exact check is repeated as Bind is written).
            Protocol.WriteBuffer.CheckMessageLength(_parameters.TotalLength + 2L * _parameters.Count + 16);
            ArmCancellation(cancellationToken, timeoutSeconds);
        }
        catch
        {
            _parameters.Clear();
            throw;
        }
        // From here the token acts through a CancelRequest, never by abandoning a socket read half-way.
        cancellationToken = CancellationToken.None;

        var result = _result ??= new ResultReader(this);
        State = ConnectorState.Executing;
        SessionUsed = true;
        try
        {
            CheckCatalogVersion();
            var statement = Statements.Find(sql, _parameters.Oids);
            // Preparing a statement already described sends nothing now: a reset owed then waits in the write buffer
            // for whatever command comes next, so it must be one that stands alone.
            bool sendsNothing = prepare && statement is not null;
            WriteOwedReset(beforeExtendedQuery: !sendsNothing);
            if (sendsNothing)
            {
                // Already described on this connection: preparing it needs no round trip now.
                RequestPrepare(statement!);
                result.StartSchemaOnly(statement!.LastColumns);
                FinishCommand();
                return result;
            }
            bool describeFirst = statement is null || (behavior & CommandBehavior.SchemaOnly) != 0;
            if (describeFirst)
            {
                statement = await DescribeAsync(sql, async, cancellationToken).ConfigureAwait(false);
                if (!Types.IsLoaded && HasUnknownTypes(statement))
                {
                    // First need of a type whose OID differs per database (an enum, a composite, hstore...):
                    // load them, then describe the statement's columns again with the codecs now known.
                    await LoadTypesAsync(async, cancellationToken).ConfigureAwait(false);
                    CheckCatalogVersion();
                    statement = statement.WithRegistry(TypeRegistry);
                    Statements.Add(statement);
                    // The catalog query (simple protocol) dropped the unnamed statement: parse it again below.
                    describeFirst = false;
                }
                if ((behavior & CommandBehavior.SchemaOnly) != 0)
                {
                    if (prepare) RequestPrepare(statement);
                    result.StartSchemaOnly(statement.LastColumns);
                    FinishCommand();
                    return result;
                }
            }
            statement!.Usages++;
            bool newlyPrepared = false;
            string? name = describeFirst ? null : ChooseStatementName(statement, out newlyPrepared);
            // A statement prepared earlier is only bound: its columns are the ones its preparation described.
            bool prepared = name is not null && !newlyPrepared;
            // Behind a transaction-mode pooler (Prepared Statements=false) the Sync after the description may have ended
            // our hold on the server connection: the unnamed statement it parsed can be gone, or be another client's.
            bool sendParse = (!describeFirst || !Settings.PreparedStatements) && !prepared;
            int closes = WritePendingCloses();
            if (sendParse)
                Parse.Write(WriteBuffer, name ?? "", sql, _parameters.Oids);

            int maxRows = (behavior & CommandBehavior.SingleRow) != 0 ? 1 : 0;
            Bind.Write(WriteBuffer, "", name ?? "", _parameters, statement.ResultFormats);
            if (sendParse) Describe.Write(WriteBuffer, Describe.Portal, "");
            Execute.Write(WriteBuffer, "", maxRows);
            WriteSync();
            await FlushAsync(async, cancellationToken).ConfigureAwait(false);

            result.Start(statement, closes, parseSent: sendParse, describeSent: sendParse,
                knownColumns: sendParse ? null : statement.LastColumns);
            try
            {
                await result.ReadHeaderAsync(async, cancellationToken).ConfigureAwait(false);
            }
            catch (PgException e) when (name is not null)
            {
                // A statement whose Parse failed was never created under its name.
                if (newlyPrepared && !result.ParseCompleted) Unprepare(statement, closeOnServer: false);
                throw HandlePreparedStatementError(statement, e);
            }
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
            _parameters.Clear();
        }
    }

    /// <summary>Parse + Describe(statement) + Sync: learns the parameter and result types of a new SQL text.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<CachedStatement> DescribeAsync(string sql, bool async, CancellationToken cancellationToken)
    {
        Parse.Write(WriteBuffer, "", sql, _parameters.Oids);
        Describe.Write(WriteBuffer, Describe.Statement, "");
        WriteSync();
        await FlushAsync(async, cancellationToken).ConfigureAwait(false);

        PgException? error = null;
        uint[] serverTypes = [];
        RowDescription? rows = null;
        while (true)
        {
            byte code = await ReadMessageAsync(async, cancellationToken).ConfigureAwait(false);
            switch (code)
            {
                case BackendMessageCode.ParseComplete:
                case BackendMessageCode.NoData:
                    continue;
                case BackendMessageCode.ParameterDescription:
                    serverTypes = Guard(static body => ParameterDescription.Parse(body));
                    continue;
                case BackendMessageCode.RowDescription:
                    rows = Guard(static body => RowDescription.Parse(body));
                    continue;
                case BackendMessageCode.ErrorResponse:
                    error = ReadError();
                    if (IsBroken) throw error;
                    continue;
                case BackendMessageCode.ReadyForQuery:
                    TransactionStatus = Guard(static body => ReadyForQuery.Parse(body));
                    if (error is not null) throw error;
                    var statement = new CachedStatement(sql, _parameters.Oids.ToArray(), serverTypes, rows, TypeRegistry);
                    if (Statements.Find(sql, _parameters.Oids) is { } older)
                    {
                        // Described again (SchemaOnly): the new description replaces the old, and its server statement goes.
                        Unprepare(older, closeOnServer: true);
                        Statements.Invalidate(older);
                    }
                    Statements.Add(statement);
                    return statement;
                default:
                    throw Unexpected(code, "the description of a statement");
            }
        }
    }

    /// <summary>
    /// Whether a column has a type the catalog could know: user-defined and extension types have OIDs from
    /// FirstNormalObjectId (16384) on; a built-in type PgWire lacks a codec for stays text without a catalog query.
    /// </summary>
    private bool HasUnknownTypes(CachedStatement statement)
    {
        const uint FirstNormalObjectId = 16384;
        if (statement.LastColumns is { } columns)
            foreach (var field in columns.Fields)
                if (field.TypeOid >= FirstNormalObjectId && !TypeRegistry.IsKnown(field.TypeOid)) return true;
        return false;
    }

    /// <summary>After an ErrorResponse: the server discards everything up to Sync; skip to its ReadyForQuery.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    internal async ValueTask DrainUntilReadyAsync(bool async, CancellationToken cancellationToken)
    {
        while (true)
        {
            byte code = await ReadMessageAsync(async, cancellationToken).ConfigureAwait(false);
            if (code != BackendMessageCode.ReadyForQuery) continue;
            TransactionStatus = Guard(static body => ReadyForQuery.Parse(body));
            FinishCommand();
            return;
        }
    }

    /// <summary>
    /// Runs SQL that PgWire writes itself and that carries no values (BEGIN, COMMIT, SET ...), one statement, through
    /// the simple query protocol (behind a pool reset, the extended one), in one round trip.
    /// </summary>
    /// <returns>The command tag of the last statement (e.g. "COMMIT", or "ROLLBACK" when COMMIT found a failed transaction).</returns>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<string?> ExecuteInternalAsync(string sql, bool async, CancellationToken cancellationToken)
    {
        CheckReady();
        ArmCancellation(cancellationToken, 0);
        State = ConnectorState.Executing;
        SessionUsed = true;
        try
        {
            if (_resetOwed)
            {
                // The first command since the connection came back from the pool (typically BEGIN) goes in the extended
                // protocol behind the pipelined reset, so that the server answers both in one reply.
                WriteOwedReset(beforeExtendedQuery: true);
                WriteParameterlessStatement(WriteBuffer, "", sql, parse: true);
                WriteSync();
            }
            else
            {
                WriteSimpleQuery(sql);
            }
            await FlushAsync(async, CancellationToken.None).ConfigureAwait(false);
            PgException? error = null;
            string? tag = null;
            while (true)
            {
                byte code = await ReadMessageAsync(async, CancellationToken.None).ConfigureAwait(false);
                switch (code)
                {
                    case BackendMessageCode.ErrorResponse:
                        error = ReadError();
                        if (IsBroken) throw error;
                        break;
                    case BackendMessageCode.ReadyForQuery:
                        TransactionStatus = Guard(static body => ReadyForQuery.Parse(body));
                        FinishCommand();
                        if (error is not null) throw error;
                        return tag;
                    case BackendMessageCode.CommandComplete:
                        tag = Guard(static body => CommandComplete.ParseTag(body));
                        NoteCommandTag(ReadBuffer.MessageBody);
                        break;
                    case BackendMessageCode.ParseComplete:
                    case BackendMessageCode.BindComplete:
                    case BackendMessageCode.EmptyQueryResponse:
                    case BackendMessageCode.RowDescription:
                    case BackendMessageCode.DataRow:
                        break;
                    default:
                        throw Unexpected(code, "the result of an internal command");
                }
            }
        }
        catch (Exception) when (State == ConnectorState.Executing)
        {
            RecoverAfterFailure();
            throw;
        }
    }

    /// <summary>
    /// Writes a statement without parameters for the unnamed portal, executed to its end: Parse (unless
    /// <paramref name="parse"/> is false, for a statement prepared earlier under <paramref name="name"/>), Bind, Execute.
    /// </summary>
    private static void WriteParameterlessStatement(Protocol.WriteBuffer buffer, string name, string sql, bool parse)
    {
        if (parse) Parse.Write(buffer, name, sql, []);
        Bind.Write(buffer, "", name, Protocol.Frontend.NoBindParameters.Instance, []);
        Execute.Write(buffer, "", 0);
    }
}
