using System.Globalization;
using System.Runtime.CompilerServices;
using PgWire.Protocol;
using PgWire.Protocol.Backend;

namespace PgWire.Connection;

/// <summary>
/// Reads the results of one command or batch, statement after statement, from the messages the engine routes to it:
/// each statement's header (ParseComplete, a description, BindComplete), its rows and its CommandComplete, then the
/// ReadyForQuery of the batch's one Sync (which the engine parses). Rows are located in the receive buffer in place:
/// reading one allocates nothing; a row larger than the buffer under SequentialAccess is read from the socket by a
/// <see cref="StreamedRow"/>. One instance per connector, reused for every command.
/// </summary>
internal sealed class ResultReader(PgConnector connector)
{
    private enum Phase { Idle, Header, BeforeFirstRow, OnRow, Complete }

    private Phase _phase = Phase.Idle;
    private bool _firstRowPending;
    private int[] _offsets = new int[16];
    private int[] _lengths = new int[16];

    private BatchEntry[] _entries = new BatchEntry[4];
    private int _entryCount;
    private int _current;

    /// <summary>The answer to a simple Query is read (an internal command, the catalog): one result, text columns.</summary>
    private bool _simple;

    /// <summary>The ReadyForQuery that ends the command has been read.</summary>
    private bool _ended;

    private uint[] _serverTypes = [];
    private ResultColumns? _simpleColumns;

    /// <summary>The current row is read from the socket column by column, by <see cref="_streamedRow"/>.</summary>
    private bool _rowStreamed;

    /// <summary>Made for the first row streamed from the socket, and kept for the next; null until then.</summary>
    private StreamedRow? _streamedRow;

    public PgConnector Connector => connector;

    /// <summary>The columns of the current result, or null when its statement returns no rows.</summary>
    public ResultColumns? Columns => _simple ? _simpleColumns : _entryCount == 0 ? null : _entries[_current].Columns;

    /// <summary>Rows inserted, updated, deleted, selected, ... as the current result's command tag says; -1 when it says nothing.</summary>
    public long RowsAffected { get; private set; } = -1;

    /// <summary>The command tag of the last result read (e.g. "COMMIT", or "ROLLBACK" when COMMIT found a failed transaction).</summary>
    public string? CommandTag { get; private set; }

    /// <summary>The rows affected by every statement without result columns so far; -1 while none reported any.</summary>
    public long TotalRowsAffected { get; private set; } = -1;

    /// <summary>
    /// What ExecuteNonQuery returns once the command is consumed: one statement's row count as its tag says; for a batch,
    /// the rows affected by its statements without result columns (-1 when none said).
    /// </summary>
    public long NonQueryRowsAffected => ResultCount <= 1 ? RowsAffected : TotalRowsAffected;

    public bool IsComplete => _phase is Phase.Complete or Phase.Idle;

    public bool IsOnRow => _phase == Phase.OnRow;

    /// <summary>Counts the rows read, so a stream opened on one row knows when the reader has moved on.</summary>
    public int RowVersion { get; private set; }

    /// <summary>The current row as it is read from the socket (SequentialAccess, a row larger than the buffer); null if buffered.</summary>
    public StreamedRow? Streamed => _rowStreamed ? _streamedRow : null;

    /// <summary>How many results (statements) the command has.</summary>
    public int ResultCount => _simple ? 1 : _entryCount;

    /// <summary>Rows affected by each statement of the batch as its tag said (-1 when it said nothing or did not run).</summary>
    public long RowsAffectedOf(int index) => _entries[index].RowsAffected;

    /// <summary>The command tag is kept (internal commands); parsing it costs a string, so user commands do without.</summary>
    private bool _wantTag;

    /// <summary>Only descriptions: every result is its columns, nothing is left to read.</summary>
    private bool _describedOnly;

    /// <summary>Starts describing a command about to be written: entries are added as its statements are written.</summary>
    internal void Begin(bool wantTag = false)
    {
        _wantTag = wantTag;
        _describedOnly = false;
        for (int i = 0; i < _entryCount; i++) _entries[i] = default;
        _entryCount = 0;
        _current = 0;
        _simple = false;
        _ended = false;
        _simpleColumns = null;
        RowsAffected = TotalRowsAffected = -1;
        CommandTag = null;
        _firstRowPending = false;
        _phase = Phase.Header;
        _rowStreamed = false;
        connector.ReadBuffer.StreamLargeRows = false;
    }

    /// <summary>The answer to a simple Query follows (one statement).</summary>
    internal void BeginSimple()
    {
        Begin(wantTag: true);
        _simple = true;
    }

    internal ref BatchEntry AddEntry()
    {
        if (_entryCount == _entries.Length) Array.Resize(ref _entries, _entryCount * 2);
        ref var entry = ref _entries[_entryCount++];
        entry = default;
        entry.ColumnsFrom = -1;
        entry.RowsAffected = -1;
        return ref entry;
    }

    internal ref BatchEntry Entry(int index) => ref _entries[index];

    internal int EntryCount => _entryCount;

    /// <summary>The entries added are results of columns only (Prepare, SchemaOnly): nothing is left to read.</summary>
    internal void MarkDescribed()
    {
        _describedOnly = true;
        _current = 0;
        _phase = Phase.Complete;
        _ended = true;
    }

    /// <summary>Reads the current result's header and its first row, so that an error in the statement surfaces here.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask ReadHeaderAsync(bool async, CancellationToken cancellationToken)
    {
        _phase = Phase.Header;
        _firstRowPending = false;
        RowsAffected = -1;
        try
        {
            while (true)
            {
                byte code = await connector.Engine.ReadAsync(async, cancellationToken).ConfigureAwait(false);
                if (TakeHeaderMessage(code)) break;
            }
        }
        catch (Exception e)
        {
            throw Failed(e);
        }
        if (_phase == Phase.Complete && !_ended && IsLastResult)
            await ReadToEndAsync(async, cancellationToken).ConfigureAwait(false);
    }

    private bool IsLastResult => _simple || _current == _entryCount - 1;

    /// <summary>One message of a result's header; true when the header is over (a first row, or the result's end).</summary>
    private bool TakeHeaderMessage(byte code)
    {
        // A simple Query has no entries: its slot 0 is a blank one (Begin clears it), never read for what it holds.
        ref var entry = ref _entries[_current];
        switch (code)
        {
            case BackendMessageCode.CloseComplete:
                return false;
            case BackendMessageCode.ParseComplete:
                entry.ParseCompleted = true;
                return false;
            case BackendMessageCode.ParameterDescription:
                _serverTypes = connector.Guard(static body => ParameterDescription.Parse(body));
                return false;
            case BackendMessageCode.RowDescription:
            case BackendMessageCode.NoData:
                return TakeDescription(ref entry, code);
            case BackendMessageCode.BindComplete:
                if (entry.ColumnsFrom >= 0) entry.Columns = _entries[entry.ColumnsFrom].Columns;
                return false;
            case BackendMessageCode.DataRow:
                TakeDataRow();
                _firstRowPending = true;
                _phase = Phase.BeforeFirstRow;
                return true;
            case BackendMessageCode.ReadyForQuery:
                // A batch of descriptions only (Prepare), or a simple Query without results.
                _ended = true;
                _phase = Phase.Complete;
                return true;
            default:
                TakeCompletion(code);
                return true;
        }
    }

    private bool TakeDescription(ref BatchEntry entry, byte code)
    {
        if (_simple)
        {
            _simpleColumns = code == BackendMessageCode.NoData ? null : new ResultColumns(connector.Guard(static body => RowDescription.Parse(body)), connector.TypeRegistry);
            return false;
        }
        if (entry.DescribeStatement)
        {
            var rows = code == BackendMessageCode.NoData ? null : connector.Guard(static body => RowDescription.Parse(body));
            var statement = connector.StatementWriter.StatementDescribed(entry.Sql!, entry.ParameterOids!, _serverTypes, rows);
            _serverTypes = [];
            entry.Statement = statement;
            entry.DescribeStatement = false;
            if (!entry.Execute)
            {
                // Described only (Prepare, SchemaOnly): this result is its columns.
                entry.Columns = statement.LastColumns;
                _phase = Phase.Complete;
                return true;
            }
            // Its first run, which counts towards automatic preparation like any other.
            statement.Usages++;
            // Described in the same write as its execution: the rows come as text (their formats had to be chosen before
            // the description was known), read by each type's text decoder into the same .NET values as binary.
            entry.Columns = rows is null ? null : new ResultColumns(rows, connector.TypeRegistry, static _ => false);
            return false;
        }
        try
        {
            entry.Columns = code == BackendMessageCode.NoData ? null : entry.Statement!.ColumnsFor(connector.ReadBuffer.MessageBody, connector.TypeRegistry);
        }
        catch (PgProtocolException)
        {
            connector.Break();
            throw;
        }
        return false;
    }

    /// <summary>CommandComplete, EmptyQueryResponse or PortalSuspended: the current result is over.</summary>
    private void TakeCompletion(byte code)
    {
        _rowStreamed = false;
        if (code == BackendMessageCode.CommandComplete)
        {
            var body = connector.ReadBuffer.MessageBody;
            RowsAffected = connector.Guard(static body => CommandComplete.ParseRowCount(body));
            if (_wantTag) CommandTag = connector.Guard(static body => CommandComplete.ParseTag(body));
            connector.Prepared.NoteCommandTag(body);
            connector.Session.NoteCommandTag(body);
            if (!_simple) _entries[_current].RowsAffected = RowsAffected;
            if (RowsAffected >= 0 && Columns is null)
                TotalRowsAffected = Math.Max(TotalRowsAffected, 0) + RowsAffected;
        }
        _phase = Phase.Complete;
    }

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
        byte code;
        try
        {
            if (!connector.Engine.TryReadBuffered(out code)) code = 0;
        }
        catch (Exception e)
        {
            throw Failed(e);
        }
        if (code != 0)
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
        RowVersion++;
        if (connector.ReadBuffer.MessageIsPartial)
        {
            (_streamedRow ??= new StreamedRow(this, connector)).Start();
            _rowStreamed = true;
            _phase = Phase.OnRow;
            return;
        }
        _rowStreamed = false;
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

    // code: a message already taken from the buffer, or 0 to read the next one.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> ReadRowCoreAsync(byte code, bool async, CancellationToken cancellationToken)
    {
        using var registration = connector.Cancellation.RegisterCancel(cancellationToken);
        cancellationToken = CancellationToken.None;
        try
        {
            if (code == 0)
                code = await connector.Engine.ReadAsync(async, cancellationToken).ConfigureAwait(false);
            if (code == BackendMessageCode.DataRow)
            {
                TakeDataRow();
                return true;
            }
            if (code is BackendMessageCode.CommandComplete or BackendMessageCode.EmptyQueryResponse or BackendMessageCode.PortalSuspended)
                TakeCompletion(code);
            else
                throw connector.Unexpected(code, "DataRow or CommandComplete");
        }
        catch (Exception e)
        {
            throw Failed(e);
        }
        if (IsLastResult) await ReadToEndAsync(async, cancellationToken).ConfigureAwait(false);
        return false;
    }

    /// <summary>After the last result: what is left of the answer, up to the ReadyForQuery (parsed by the engine).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ReadToEndAsync(bool async, CancellationToken cancellationToken)
    {
        try
        {
            while (!_ended)
            {
                byte code = await connector.Engine.ReadAsync(async, cancellationToken).ConfigureAwait(false);
                if (code == BackendMessageCode.ReadyForQuery) _ended = true;
                else if (!_simple) throw connector.Unexpected(code, "ReadyForQuery");
                // A simple Query of several statements (never sent by PgWire itself): their results are dropped.
            }
        }
        catch (Exception e)
        {
            throw Failed(e);
        }
    }

    /// <summary>Moves to the next result of a batch; false when there is none.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> NextResultAsync(bool async, CancellationToken cancellationToken)
    {
        await ConsumeResultAsync(async, cancellationToken).ConfigureAwait(false);
        if (_describedOnly && _current + 1 < _entryCount)
        {
            _current++;
            return true;
        }
        if (_simple || _current + 1 >= _entryCount || _ended) return false;
        _current++;
        using var registration = connector.Cancellation.RegisterCancel(cancellationToken);
        await ReadHeaderAsync(async, CancellationToken.None).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// A failure while reading: the result is over. The server's error has been read up to its ReadyForQuery by the
    /// engine (the connection is in step); anything else broke the connection. Statements this command would have
    /// created under a name whose Parse never ran are forgotten, and a prepared statement's error is explained.
    /// </summary>
    internal Exception Failed(Exception e)
    {
        _rowStreamed = false;
        _phase = Phase.Complete;
        _firstRowPending = false;
        _ended = true;
        if (_simple || _entryCount == 0) return e;
        var prepared = connector.Prepared;
        for (int i = _current; i < _entryCount; i++)
        {
            ref var entry = ref _entries[i];
            if (entry.NewlyPrepared && !entry.ParseCompleted && entry.Statement is { } s) prepared.Unprepare(s, closeOnServer: false);
        }
        // The server runs the statements in order: the one whose answer was being read is the one that failed.
        if (e is PgException pg && _current < _entryCount && _entries[_current] is { Named: true, Statement: { } statement })
            return prepared.HandlePreparedStatementError(statement, pg);
        return e;
    }

    /// <summary>Moves to the first result from the current one on that has columns (a query); false when none has.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> SkipToRowsAsync(bool async, CancellationToken cancellationToken)
    {
        while (Columns is not { Count: > 0 })
            if (!await NextResultAsync(async, cancellationToken).ConfigureAwait(false)) return false;
        return true;
    }

    /// <summary>
    /// ExecuteScalar: the first column of the first row of the first result that has rows (null when none has), every
    /// result read to its end.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<object?> ReadScalarAsync(bool async, CancellationToken cancellationToken)
    {
        object? value = null;
        try
        {
            if (await SkipToRowsAsync(async, cancellationToken).ConfigureAwait(false) &&
                await ReadAsync(async, cancellationToken).ConfigureAwait(false))
                value = GetValue(0);
        }
        finally
        {
            await ConsumeAsync(async, cancellationToken).ConfigureAwait(false);
        }
        return value;
    }

    /// <summary>Reads and drops whatever is left of the current result.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask ConsumeResultAsync(bool async, CancellationToken cancellationToken)
    {
        _firstRowPending = false;
        while (_phase is not (Phase.Complete or Phase.Idle))
            await ReadRowCoreAsync(0, async, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads and drops whatever is left of the command, every result of it, leaving the connection ready.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask ConsumeAsync(bool async, CancellationToken cancellationToken)
    {
        while (await NextResultAsync(async, cancellationToken).ConfigureAwait(false)) { }
    }

    /// <summary>The bytes of column <paramref name="ordinal"/> of the current row; check <see cref="IsNull"/> first.</summary>
    public ReadOnlySpan<byte> GetBytes(int ordinal) =>
        _rowStreamed ? _streamedRow!.Value(ordinal) : connector.ReadBuffer.MessageBody.Slice(_offsets[ordinal], Math.Max(_lengths[ordinal], 0));

    public bool IsNull(int ordinal) => _rowStreamed ? _streamedRow!.Length(ordinal) < 0 : _lengths[ordinal] < 0;

    /// <summary>
    /// The current row's bytes, copied out of the receive buffer, and each column's (offset, length) in them:
    /// what a PgRow keeps so that it decodes values on demand, as the type the caller asks for.
    /// </summary>
    public (byte[] Data, int[] Layout) CopyRow()
    {
        if (_rowStreamed) throw new InvalidOperationException("A row read with CommandBehavior.SequentialAccess cannot be copied whole; read its columns in order.");
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

    public int GetLength(int ordinal) => _rowStreamed ? _streamedRow!.Length(ordinal) : _lengths[ordinal];

    /// <summary>The length in bytes of a column's value as the caller reads it (a hex bytea's decoded length); -1 for NULL.</summary>
    public long ValueLength(int ordinal)
    {
        int raw = GetLength(ordinal);
        return raw >= 2 && Columns!.IsTextBytea(ordinal) ? (raw - 2) / 2 : raw;
    }

    /// <summary>
    /// Column <paramref name="ordinal"/> of the current row as <typeparamref name="T"/>: a direct codec read for the
    /// types the codec produces (no boxing for value types), NULL as null for nullable targets.
    /// </summary>
    public T GetFieldValue<T>(int ordinal)
    {
        var columns = CheckRow(ordinal);
        if (IsNull(ordinal))
        {
            if (default(T) is null && typeof(T) != typeof(DBNull)) return default!;
            if (typeof(T) == typeof(DBNull)) return (T)(object)DBNull.Value;
            throw new InvalidCastException(
                $"Column \"{columns.Names[ordinal]}\" is NULL, which {typeof(T).Name} cannot hold; read it as {typeof(T).Name}? or check IsDBNull first.");
        }
        return ColumnValue.Read<T>(columns.Codecs[ordinal], GetBytes(ordinal), columns.Binary[ordinal], columns.Names[ordinal]);
    }

    /// <summary>Column <paramref name="ordinal"/> as its default .NET type, boxed; DBNull.Value for NULL.</summary>
    public object GetValue(int ordinal)
    {
        var columns = CheckRow(ordinal);
        if (IsNull(ordinal)) return DBNull.Value;
        return ColumnValue.ReadObject(columns.Codecs[ordinal], GetBytes(ordinal), columns.Binary[ordinal], columns.Names[ordinal]);
    }

    private ResultColumns CheckRow(int ordinal)
    {
        if (_phase != Phase.OnRow || Columns is null)
            throw new InvalidOperationException("There is no current row: call Read() first, and only while it returns true.");
        if ((uint)ordinal >= (uint)Columns.Count)
            throw new IndexOutOfRangeException(
                string.Create(CultureInfo.InvariantCulture, $"Column ordinal {ordinal} is out of range: the result has {Columns.Count} column(s)."));
        return Columns;
    }
}
