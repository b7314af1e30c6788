using System.Runtime.CompilerServices;
using PgWire.Protocol;
using PgWire.Protocol.Backend;

namespace PgWire.Connection;

/// <summary>
/// Walks the backend messages of one command: header (ParseComplete, BindComplete, RowDescription), rows,
/// CommandComplete, ReadyForQuery. Rows are located in the receive buffer in place: reading one allocates nothing.
/// One instance per connector, reused for every command.
/// </summary>
internal sealed partial class ResultReader(PgConnector connector)
{
    private enum Phase { Idle, Header, BeforeFirstRow, OnRow, Complete }

    private Phase _phase = Phase.Idle;
    private bool _firstRowPending;
    private bool _expectParseComplete, _expectBindComplete, _expectDescription;
    private int _expectCloseComplete;
    private CachedStatement? _statement;
    private int[] _offsets = new int[16];
    private int[] _lengths = new int[16];

    public PgConnector Connector => connector;

    /// <summary>The columns of the result, or null when the command returns no rows.</summary>
    public ResultColumns? Columns { get; private set; }

    /// <summary>Rows inserted, updated, deleted, selected, ... as the command tag says; -1 when it says nothing.</summary>
    public long RowsAffected { get; private set; } = -1;

    public bool IsComplete => _phase is Phase.Complete or Phase.Idle;

    public bool IsOnRow => _phase == Phase.OnRow;

    /// <summary>True once the command's ParseComplete arrived (its named statement exists on the server).</summary>
    public bool ParseCompleted { get; private set; }

    internal void Start(CachedStatement statement, int closesSent, bool parseSent, bool describeSent, ResultColumns? knownColumns)
    {
        _statement = statement;
        _expectCloseComplete = closesSent;
        ParseCompleted = false;
        _expectParseComplete = parseSent;
        _expectBindComplete = true;
        _expectDescription = describeSent;
        Columns = knownColumns;
        RowsAffected = -1;
        _firstRowPending = false;
        _phase = Phase.Header;
    }

    /// <summary>A result of columns only (CommandBehavior.SchemaOnly): nothing was executed.</summary>
    internal void StartSchemaOnly(ResultColumns? columns)
    {
        Columns = columns;
        RowsAffected = -1;
        _firstRowPending = false;
        _phase = Phase.Complete;
    }

    /// <summary>Reads the header messages and the first row, so that an error in the statement surfaces here.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask ReadHeaderAsync(bool async, CancellationToken cancellationToken)
    {
        // The expected replies are read here, not in a helper method: a wait for the server then suspends one state
        // machine fewer.
        for (; _expectCloseComplete > 0; _expectCloseComplete--)
        {
            byte code = await connector.ReadMessageAsync(async, cancellationToken).ConfigureAwait(false);
            if (code != BackendMessageCode.CloseComplete) throw await UnexpectedAsync(code, "CloseComplete", async, cancellationToken).ConfigureAwait(false);
        }
        if (_expectParseComplete)
        {
            byte code = await connector.ReadMessageAsync(async, cancellationToken).ConfigureAwait(false);
            if (code != BackendMessageCode.ParseComplete) throw await UnexpectedAsync(code, "ParseComplete", async, cancellationToken).ConfigureAwait(false);
            ParseCompleted = true;
        }
        if (_expectBindComplete)
        {
            byte code = await connector.ReadMessageAsync(async, cancellationToken).ConfigureAwait(false);
            if (code != BackendMessageCode.BindComplete) throw await UnexpectedAsync(code, "BindComplete", async, cancellationToken).ConfigureAwait(false);
        }
        if (_expectDescription)
        {
            byte code = await connector.ReadMessageAsync(async, cancellationToken).ConfigureAwait(false);
            if (code == BackendMessageCode.RowDescription)
            {
                try
                {
                    Columns = _statement!.ColumnsFor(connector.ReadBuffer.MessageBody, connector.TypeRegistry);
                }
                catch (PgProtocolException)
                {
                    connector.Break();
                    throw;
                }
            }
            else if (code == BackendMessageCode.NoData)
                Columns = null;
            else if (code == BackendMessageCode.ErrorResponse)
                throw await FailAsync(async, cancellationToken).ConfigureAwait(false);
            else
                throw connector.Unexpected(code, "RowDescription or NoData");
        }
        _phase = Phase.BeforeFirstRow;
        _firstRowPending = await ReadRowCoreAsync(async, cancellationToken).ConfigureAwait(false);
        if (_firstRowPending) _phase = Phase.BeforeFirstRow;
    }

    /// <summary>The error to throw for a reply other than <paramref name="expected"/>: the server's own error, read to its end, or a protocol violation.</summary>
    private async ValueTask<Exception> UnexpectedAsync(byte code, string expected, bool async, CancellationToken cancellationToken) =>
        code == BackendMessageCode.ErrorResponse
            ? await FailAsync(async, cancellationToken).ConfigureAwait(false)
            : connector.Unexpected(code, expected);

    /// <summary>Advances to the next row; false at the end of the result.</summary>
    public ValueTask<bool> ReadAsync(bool async, CancellationToken cancellationToken)
    {
        if (_firstRowPending)
        {
            _firstRowPending = false;
            _phase = Phase.OnRow;
            return new ValueTask<bool>(true);
        }
        if (_phase is Phase.Complete or Phase.Idle) return new ValueTask<bool>(false);
        // The common case: the next DataRow is already buffered. Handled here without an async state machine.
        if (connector.TryReadBufferedMessage(out byte code))
        {
            if (code == BackendMessageCode.DataRow)
            {
                TakeDataRow();
                return new ValueTask<bool>(true);
            }
            return ReadRowCoreAsync(code, async, cancellationToken);
        }
        return ReadRowCoreAsync(0, async, cancellationToken);
    }

    private void TakeDataRow()
    {
        var columns = Columns ?? throw connector.Unexpected(BackendMessageCode.DataRow, "no DataRow (the statement has no result columns)");
        if (_offsets.Length < columns.Count)
        {
            _offsets = new int[columns.Count];
            _lengths = new int[columns.Count];
        }
        try
        {
            DataRow.Parse(connector.ReadBuffer.MessageBody, columns.Count, _offsets, _lengths);
        }
        catch (PgProtocolException)
        {
            connector.Break();
            throw;
        }
        _phase = Phase.OnRow;
    }

    private ValueTask<bool> ReadRowCoreAsync(bool async, CancellationToken cancellationToken) =>
        ReadRowCoreAsync(0, async, cancellationToken);

    // code: a message already taken from the buffer, or 0 to read the next one.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> ReadRowCoreAsync(byte code, bool async, CancellationToken cancellationToken)
    {
        using var registration = connector.RegisterCancel(cancellationToken);
        cancellationToken = CancellationToken.None;
        if (code == 0)
            code = await connector.ReadMessageAsync(async, cancellationToken).ConfigureAwait(false);
        switch (code)
        {
            case BackendMessageCode.DataRow:
                TakeDataRow();
                return true;
            case BackendMessageCode.CommandComplete:
                RowsAffected = connector.Guard(static body => CommandComplete.ParseRowCount(body));
                connector.NoteCommandTag(connector.ReadBuffer.MessageBody);
                await ExpectReadyAsync(async, cancellationToken).ConfigureAwait(false);
                return false;
            case BackendMessageCode.EmptyQueryResponse:
            case BackendMessageCode.PortalSuspended:
                await ExpectReadyAsync(async, cancellationToken).ConfigureAwait(false);
                return false;
            case BackendMessageCode.ErrorResponse:
                throw await FailAsync(async, cancellationToken).ConfigureAwait(false);
            default:
                throw connector.Unexpected(code, "DataRow or CommandComplete");
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ExpectReadyAsync(bool async, CancellationToken cancellationToken)
    {
        byte code = await connector.ReadMessageAsync(async, cancellationToken).ConfigureAwait(false);
        if (code != BackendMessageCode.ReadyForQuery)
            throw connector.Unexpected(code, "ReadyForQuery");
        connector.SetTransactionStatus(connector.Guard(static body => ReadyForQuery.Parse(body)));
        _phase = Phase.Complete;
        connector.FinishCommand();
    }

    /// <summary>
    /// The server reported an error: it skips to the Sync, so read up to ReadyForQuery and hand back the error;
    /// the connection is usable again. A FATAL error has closed the connection instead.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<PgException> FailAsync(bool async, CancellationToken cancellationToken)
    {
        var error = connector.ReadError();
        _firstRowPending = false;
        if (connector.IsBroken)
        {
            _phase = Phase.Complete;
            return error;
        }
        await connector.DrainUntilReadyAsync(async, cancellationToken).ConfigureAwait(false);
        _phase = Phase.Complete;
        return error;
    }

    /// <summary>Reads and drops whatever is left of the result, leaving the connection ready.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask ConsumeAsync(bool async, CancellationToken cancellationToken)
    {
        _firstRowPending = false;
        while (_phase is not (Phase.Complete or Phase.Idle))
            await ReadRowCoreAsync(async, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The bytes of column <paramref name="ordinal"/> of the current row; check <see cref="IsNull"/> first.</summary>
    public ReadOnlySpan<byte> GetBytes(int ordinal) =>
        connector.ReadBuffer.MessageBody.Slice(_offsets[ordinal], Math.Max(_lengths[ordinal], 0));

    public bool IsNull(int ordinal) => _lengths[ordinal] < 0;

    /// <summary>
    /// The current row's bytes, copied out of the receive buffer, and each column's (offset, length) in them:
    /// what a PgRow keeps so that it decodes values on demand, as the type the caller asks for.
    /// </summary>
    public (byte[] Data, int[] Layout) CopyRow()
    {
        var body = connector.ReadBuffer.MessageBody;
        int count = Columns!.Count;
        var layout = new int[count * 2];
        for (int i = 0; i < count; i++)
        {
            layout[2 * i] = _offsets[i];
            layout[2 * i + 1] = _lengths[i];
        }
        return (body.ToArray(), layout);
    }

    public int GetLength(int ordinal) => _lengths[ordinal];
}
