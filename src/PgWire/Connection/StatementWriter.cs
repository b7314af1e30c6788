using System.Data;
using System.Runtime.CompilerServices;
using PgWire.Protocol.Backend;
using PgWire.Protocol.Frontend;

namespace PgWire.Connection;

/// <summary>
/// How each statement of a request goes on the wire: looked up in the connection's statement cache once a run; a
/// known one bound (parsed again only when it is not prepared and not the unnamed statement already); a new one parsed
/// and described in the same write as its execution (<see cref="CanDescribeWithExecution"/>) or, where its rows could not
/// be read as text, described in a round trip of its own first. Owns what the server holds as its unnamed statement
/// between the description round trip and the write that follows; the connector coordinates.
/// </summary>
internal sealed class StatementWriter(PgConnector connector)
{
    /// <summary>
    /// Looks each statement of the request up in this connection's cache, once a run, and notes what was found in the
    /// request; true when a statement is new to the connection.
    /// </summary>
    public bool LookUp(CommandRequest request)
    {
        bool anyNew = false;
        for (int i = 0; i < request.Count; i++)
        {
            var statement = connector.Statements.Find(request.Sql(i), request.Parameters(i).Oids);
            request.SetStatement(i, statement);
            anyNew |= statement is null;
        }
        return anyNew;
    }

    /// <summary>
    /// Whether a described statement has a column of a type the catalog could know: user-defined and extension types
    /// have OIDs from FirstNormalObjectId (16384) on; a built-in type PgWire lacks a codec for stays text without a catalog query.
    /// </summary>
    public bool HasUnknownTypes(CommandRequest request)
    {
        const uint FirstNormalObjectId = 16384;
        for (int i = 0; i < request.Count; i++)
            if (request.Statement(i)?.LastColumns is { } columns)
                foreach (var field in columns.Fields)
                    if (field.TypeOid >= FirstNormalObjectId && !connector.TypeRegistry.IsKnown(field.TypeOid)) return true;
        return false;
    }

    /// <summary>
    /// Whether the new statements of a request may run in one round trip, their rows as text: the text forms of dates
    /// and intervals depend on DateStyle and IntervalStyle, which the server reports (PgWire reads their ISO and
    /// postgres forms); <see cref="FirstRunText"/> names the statements and sessions where text cannot give the binary
    /// value. Otherwise the new statements are described in a round trip of their own first.
    /// </summary>
    public bool CanDescribeWithExecution(CommandRequest request)
    {
        if (!DescribeWithExecution || connector.Session.TextOutputChanged ||
            (connector.ServerParameters.TryGetValue("DateStyle", out var dateStyle) && !dateStyle.StartsWith("ISO", StringComparison.Ordinal)) ||
            (connector.ServerParameters.TryGetValue("IntervalStyle", out var intervalStyle) && intervalStyle != "postgres"))
            return false;
        for (int i = 0; i < request.Count; i++)
        {
            // A statement of this request that changes how values print would change it for the statements after it,
            // whose formats are already chosen.
            if (request.Statement(i) is { } known ? known.ChangesTextOutput
                    : FirstRunText.MayReturnIdentifierNames(request.Sql(i)) || FirstRunText.MayChangeTextOutput(request.Sql(i)))
                return false;
        }
        return true;
    }

    /// <summary>
    /// Whether a new statement is described in the same write as its first execution, its rows as text (every type's
    /// text decoder reads the value its binary one does: the differential tests run both ways). On; the switch stays
    /// for measuring the two-round-trip path against it.
    /// </summary>
    internal static bool DescribeWithExecution { get; set; } = true;

    /// <summary>
    /// The statement the server holds as its unnamed statement, parsed by the description round trip just read, for
    /// the write that follows it; null when unknown (or when a pooler may have moved us to another server connection
    /// at that Sync: Prepared Statements=false).
    /// </summary>
    public CachedStatement? Unnamed { get; set; }

    /// <summary>Writes each statement of the request and records in <paramref name="result"/> what its answer will hold.</summary>
    public void Write(CommandRequest request, ResultReader result)
    {
        result.Begin();
        connector.ReadBuffer.StreamLargeRows = (request.Behavior & CommandBehavior.SequentialAccess) != 0;
        int maxRows = (request.Behavior & CommandBehavior.SingleRow) != 0 && request.Count == 1 ? 1 : 0;
        // What the unnamed statement holds as this write goes on: a statement already parsed into it is only bound
        // again, a known one (unnamed) or, for a new one described in this write, the entry that describes it.
        var unnamed = Unnamed;
        int unnamedEntry = -1;
        for (int i = 0; i < request.Count; i++)
        {
            string sql = request.Sql(i);
            var parameters = request.Parameters(i);
            ref var entry = ref result.AddEntry();
            entry.Execute = true;
            var statement = request.Statement(i);
            if (i < request.Count - 1 && Sql.CopyStatement.IsFromStdin(sql))
            {
                // The server would take the statements written after it for COPY data and end the session: refused
                // before anything is sent. (As the last statement, the engine aborts it and the connection stays.)
                throw new PgException(
                    $"COPY ... FROM STDIN cannot run inside a batch or a command of several statements (statement {i + 1} of " +
                    $"{request.Count}): send its data with PgConnection.BeginBinaryImport, BeginTextImport or BeginRawBinaryCopy " +
                    "(or ImportAsync). Nothing was sent, and the connection is still usable.");
            }
            if (statement is { ChangesTextOutput: true }) connector.Session.TextOutputChanged = true;
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
                Bind.Write(connector.WriteBuffer, "", "", parameters, []);
                connector.Engine.Expect(ReplyKind.BindComplete);
            }
            else
            {
                statement.Usages++;
                entry.Statement = statement;
                string? name = connector.Prepared.ChooseStatementName(statement, out bool newlyPrepared);
                entry.Named = name is not null;
                entry.NewlyPrepared = newlyPrepared;
                if (name is null ? statement == unnamed : !newlyPrepared)
                {
                    // connector.Prepared earlier, or parsed into the unnamed statement already: only bound; its columns are the
                    // ones its description gave.
                    entry.Columns = statement.LastColumns;
                    Bind.Write(connector.WriteBuffer, "", name ?? "", parameters, statement.ResultFormats);
                    connector.Engine.Expect(ReplyKind.BindComplete);
                }
                else
                {
                    Parse.Write(connector.WriteBuffer, name ?? "", sql, parameters.Oids);
                    connector.Engine.Expect(ReplyKind.ParseComplete);
                    Bind.Write(connector.WriteBuffer, "", name ?? "", parameters, statement.ResultFormats);
                    connector.Engine.Expect(ReplyKind.BindComplete);
                    Describe.Write(connector.WriteBuffer, Describe.Portal, "");
                    connector.Engine.Expect(ReplyKind.PortalDescription);
                    if (name is null)
                    {
                        unnamed = statement;
                        unnamedEntry = -1;
                    }
                }
            }
            Execute.Write(connector.WriteBuffer, "", maxRows);
            connector.Engine.Expect(ReplyKind.ExecuteResult);
        }
    }

    /// <summary>Parse into the unnamed statement and Describe it: the entry learns its parameter and row types from the answer.</summary>
    private void WriteDescription(ref BatchEntry entry, string sql, BoundParameters parameters)
    {
        entry.Sql = sql;
        entry.ParameterOids = parameters.Oids.ToArray();
        entry.DescribeStatement = true;
        Parse.Write(connector.WriteBuffer, "", sql, parameters.Oids);
        connector.Engine.Expect(ReplyKind.ParseComplete);
        Describe.Write(connector.WriteBuffer, Describe.Statement, "");
        connector.Engine.Expect(ReplyKind.StatementDescription);
    }

    private static bool SameStatement(ref BatchEntry described, string sql, BoundParameters parameters) =>
        string.Equals(described.Sql, sql, StringComparison.Ordinal) && described.ParameterOids.AsSpan().SequenceEqual(parameters.Oids);

    /// <summary>
    /// Parse + Describe(statement) of each statement of the request this connection has not described (every one for
    /// SchemaOnly), in one write with one Sync; the descriptions are cached and noted in the request. For Prepare,
    /// SchemaOnly, and first runs while <see cref="DescribeWithExecution"/> is off.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask DescribeAsync(CommandRequest request, bool async, CancellationToken cancellationToken)
    {
        var result = connector.Result;
        bool schemaOnly = (request.Behavior & CommandBehavior.SchemaOnly) != 0;
        connector.Session.WriteOwedReset(connector.WriteBuffer, connector.Engine, connector.Prepared, beforeExtendedQuery: true);
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
        connector.WriteSync();
        await connector.FlushAsync(async, cancellationToken).ConfigureAwait(false);
        await result.ReadHeaderAsync(async, cancellationToken).ConfigureAwait(false);
        await result.ConsumeAsync(async, cancellationToken).ConfigureAwait(false);
        // The last statement described is the unnamed statement now; behind a pooler that may have given the Sync's
        // server connection to someone else, assume nothing of it.
        ref var last = ref result.Entry(result.EntryCount - 1);
        LookUp(request);
        Unnamed = connector.Settings.PreparedStatements ? last.Statement : null;
    }

    /// <summary>The result a description only gives (Prepare, SchemaOnly): each statement's columns, no rows.</summary>
    public void DescribedResult(CommandRequest request, ResultReader result)
    {
        result.Begin();
        for (int i = 0; i < request.Count; i++)
        {
            ref var entry = ref result.AddEntry();
            var statement = request.Statement(i);
            if (request.Prepare && statement is not null) connector.Prepared.RequestPrepare(statement);
            entry.Statement = statement;
            entry.Columns = statement?.LastColumns;
        }
        result.MarkDescribed();
    }

    /// <summary>A statement's description arrived: it is cached (replacing an older one) for the statement's later runs.</summary>
    internal CachedStatement StatementDescribed(string sql, uint[] parameterOids, uint[] serverTypes, RowDescription? rows)
    {
        var statement = new CachedStatement(sql, parameterOids, serverTypes, rows, connector.TypeRegistry);
        // A new statement's first run: the session's later first runs read text no more (see FirstRunText).
        if (statement.ChangesTextOutput) connector.Session.TextOutputChanged = true;
        if (connector.Statements.Find(sql, parameterOids) is { } older)
        {
            // Described again (SchemaOnly): the new description replaces the old, and its server statement goes.
            connector.Prepared.Unprepare(older, closeOnServer: true);
            connector.Statements.Invalidate(older);
        }
        connector.Statements.Add(statement);
        return statement;
    }
}
