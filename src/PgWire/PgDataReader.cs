using System.Runtime.CompilerServices;
using System.Collections;
using System.Data;
using System.Data.Common;
using PgWire.Connection;

namespace PgWire;

/// <summary>
/// Streams the rows of a command from the socket, one at a time: the result is never buffered whole, and reading
/// int and bool columns allocates nothing per row. Dispose it before running the next command on the connection.
/// </summary>
public sealed partial class PgDataReader : DbDataReader
{
    private readonly PgConnection _connection;
    private readonly CommandBehavior _behavior;
    private ResultReader? _result;
    private bool _hasRows;
    private readonly PgBatch? _batch;

    internal PgDataReader(PgConnection connection, ResultReader result, CommandBehavior behavior, PgBatch? batch = null)
    {
        _connection = connection;
        _result = result;
        _behavior = behavior;
        _batch = batch;
        _hasRows = !result.IsComplete;
        ResultColumns = result.Columns;
    }

    private ResultColumns? ResultColumns { get; set; }

    private ResultReader Result => _result ?? throw new InvalidOperationException("The data reader is closed.");

    private ResultColumns Columns => ResultColumns ?? throw new InvalidOperationException("The command returned no columns.");

    public override int Depth => 0;

    public override int FieldCount => ResultColumns?.Count ?? 0;

    public override bool HasRows => _hasRows;

    public override bool IsClosed => _result is null;

    /// <summary>
    /// Rows inserted, updated or deleted by the statements without result columns read so far (of a batch or a command
    /// of several statements: their sum); -1 for queries and until known.
    /// </summary>
    public override int RecordsAffected
    {
        get
        {
            long rows = _result is { } r ? r.TotalRowsAffected : _closedRowsAffected;
            return rows >= 0 ? (int)Math.Min(rows, int.MaxValue) : -1;
        }
    }

    private long _closedRowsAffected = -1;

    public override object this[int ordinal] => GetValue(ordinal);

    public override object this[string name] => GetValue(GetOrdinal(name));

    public override bool Read() => Result.ReadAsync(async: false, CancellationToken.None).GetAwaiter().GetResult();

    public override Task<bool> ReadAsync(CancellationToken cancellationToken)
    {
        var task = Result.ReadAsync(async: true, cancellationToken);
        return task.IsCompletedSuccessfully ? (task.Result ? TrueTask : FalseTask) : task.AsTask();
    }

    private static readonly Task<bool> TrueTask = Task.FromResult(true);
    private static readonly Task<bool> FalseTask = Task.FromResult(false);

    /// <summary>
    /// Moves to the result of the next statement (of a batch, or of a command text of several statements); false when
    /// there is none. The rest of the current result is read and dropped.
    /// </summary>
    public override bool NextResult() => NextResultCoreAsync(async: false, CancellationToken.None).GetAwaiter().GetResult();

    public override Task<bool> NextResultAsync(CancellationToken cancellationToken) =>
        NextResultCoreAsync(async: true, cancellationToken).AsTask();

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> NextResultCoreAsync(bool async, CancellationToken cancellationToken)
    {
        var result = Result;
        try
        {
            if (!await result.NextResultAsync(async, cancellationToken).ConfigureAwait(false)) return false;
        }
        finally
        {
            _batch?.TakeRowsAffected(result);
        }
        ResultColumns = result.Columns;
        _hasRows = !result.IsComplete;
        return true;
    }

    public override T GetFieldValue<T>(int ordinal)
    {
        if (typeof(T) == typeof(Stream)) return (T)(object)GetStream(ordinal);
        if (typeof(T) == typeof(TextReader)) return (T)(object)GetTextReader(ordinal);
        return Result.GetFieldValue<T>(ordinal);
    }

    public override object GetValue(int ordinal) => Result.GetValue(ordinal);

    public override int GetValues(object[] values)
    {
        int count = Math.Min(values.Length, FieldCount);
        for (int i = 0; i < count; i++) values[i] = GetValue(i);
        return count;
    }

    public override bool IsDBNull(int ordinal)
    {
        if (!Result.IsOnRow) throw new InvalidOperationException("There is no current row: call Read() first.");
        if ((uint)ordinal >= (uint)FieldCount) throw new IndexOutOfRangeException($"Column ordinal {ordinal} is out of range.");
        return Result.IsNull(ordinal);
    }

    public override bool GetBoolean(int ordinal) => GetFieldValue<bool>(ordinal);
    public override byte GetByte(int ordinal) => GetFieldValue<byte>(ordinal);
    public override char GetChar(int ordinal) => GetFieldValue<char>(ordinal);
    public override short GetInt16(int ordinal) => GetFieldValue<short>(ordinal);
    public override int GetInt32(int ordinal) => GetFieldValue<int>(ordinal);
    public override long GetInt64(int ordinal) => GetFieldValue<long>(ordinal);
    public override float GetFloat(int ordinal) => GetFieldValue<float>(ordinal);
    public override double GetDouble(int ordinal) => GetFieldValue<double>(ordinal);
    public override decimal GetDecimal(int ordinal) => GetFieldValue<decimal>(ordinal);
    public override string GetString(int ordinal) => GetFieldValue<string>(ordinal);
    public override DateTime GetDateTime(int ordinal) => GetFieldValue<DateTime>(ordinal);
    public override Guid GetGuid(int ordinal) => GetFieldValue<Guid>(ordinal);

    public override string GetName(int ordinal) => Columns.Names[ordinal];

    public override int GetOrdinal(string name)
    {
        int i = Columns.IndexOf(name);
        return i >= 0 ? i : throw new IndexOutOfRangeException(
            $"The result has no column named \"{name}\"; its columns are: {string.Join(", ", Columns.Names)}.");
    }

    /// <summary>The PostgreSQL type name (integer, text, numeric, ...).</summary>
    public override string GetDataTypeName(int ordinal) => Columns.Codecs[ordinal].DataTypeName;

    public override Type GetFieldType(int ordinal) => Columns.Codecs[ordinal].DefaultType;

    /// <summary>The PostgreSQL type OID of a column.</summary>
    public uint GetDataTypeOid(int ordinal) => Columns.Fields[ordinal].TypeOid;

    public override IEnumerator GetEnumerator() => new DbEnumerator(this, closeReader: false);

    public override void Close() => CloseCoreAsync(async: false).GetAwaiter().GetResult();

    public override Task CloseAsync() => CloseCoreAsync(async: true).AsTask();

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask CloseCoreAsync(bool async)
    {
        var result = _result;
        if (result is null) return;
        _result = null;
        if (_connection.OpenReader == this) _connection.OpenReader = null;
        try
        {
            if (!result.Connector.IsBroken)
                await result.ConsumeAsync(async, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _closedRowsAffected = result.TotalRowsAffected;
            _batch?.TakeRowsAffected(result);
            if ((_behavior & CommandBehavior.CloseConnection) != 0)
            {
                if (async) await _connection.CloseAsync().ConfigureAwait(false);
                else _connection.Close();
            }
        }
    }

    /// <summary>
    /// Closing the connection with this reader open: its unread rows must be consumed (or the connection dropped) before
    /// another user gets the connection. The statement's own failure is not the closer's, and is not thrown.
    /// </summary>
    internal async ValueTask AbandonAsync(bool async)
    {
        try
        {
            if (async) await CloseAsync().ConfigureAwait(false);
            else Close();
        }
        catch (Exception e) when (e is PgException or OperationCanceledException)
        {
            // The statement failed (or was cancelled) while its rest was drained; the connection is clean or broken either way.
        }
    }

    /// <summary>
    /// Reads what is left and closes. Throws only the server's error for a statement whose result was not read (a
    /// failed statement is never silently lost); a network or protocol failure has closed the connection and is not
    /// thrown again here.
    /// </summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            try
            {
                Close();
            }
            catch (Exception e) when (IsConnectionFailure(e))
            {
            }
        }
        base.Dispose(disposing);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public override async ValueTask DisposeAsync()
    {
        try
        {
            await CloseCoreAsync(async: true).ConfigureAwait(false);
        }
        catch (Exception e) when (IsConnectionFailure(e))
        {
        }
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// The failure broke the connection (it is closed and will not be reused), or the caller cancelled the command while
    /// its rest was drained: nothing the caller can act on at dispose.
    /// </summary>
    private bool IsConnectionFailure(Exception e) =>
        e is OperationCanceledException ||
        e is PgException && (_connection.State != ConnectionState.Open || e is not PgServerException || IsConnectorBroken());

    private bool IsConnectorBroken()
    {
        try
        {
            return _connection.Connector.IsBroken;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }
}
