using System.Runtime.CompilerServices;
using PgWire.Connection;

namespace PgWire;

/// <summary>
/// Writes the rows of a binary <c>COPY ... FROM STDIN</c> (from <see cref="PgConnection.BeginBinaryImport"/>): for each
/// row <see cref="StartRow"/>, then one <see cref="Write{T}(T)"/> or <see cref="WriteNull"/> per column; then
/// <see cref="Complete"/>, which commits the rows and returns their count. Disposing it without Complete aborts the COPY
/// (CopyFail): nothing of it is stored, and the connection stays usable. Values are encoded straight into the
/// connection's write buffer, sent whenever it fills, so memory stays bounded whatever the row count.
/// </summary>
public sealed class PgBinaryImporter : IDisposable, IAsyncDisposable, ICopyHandle
{
    private enum State { Open, Completed, Failed, Disposed }

    private readonly PgConnection _connection;
    private readonly CopyOperation _copy;
    private readonly BinaryCopyWriter _writer;
    private State _state;

    internal PgBinaryImporter(PgConnection connection, CopyOperation copy, BinaryCopyWriter writer)
    {
        _connection = connection;
        _copy = copy;
        _writer = writer;
    }

    /// <summary>The number of columns each row has.</summary>
    public int NumColumns => _writer.ColumnCount;

    /// <summary>
    /// How long each wait on the server may take from now on (Npgsql's Timeout): the connection's Command Timeout until
    /// set; TimeSpan.Zero or Timeout.InfiniteTimeSpan for no limit. Counted in whole seconds, a part of a second as one.
    /// </summary>
    public TimeSpan Timeout
    {
        get => _copy.Timeout;
        set => _copy.Timeout = value;
    }

    /// <summary>Starts a new row; the row before must have a value for every column.</summary>
    public void StartRow() => Wait(StartRowCoreAsync(async: false, CancellationToken.None));

    /// <inheritdoc cref="StartRow"/>
    public Task StartRowAsync(CancellationToken cancellationToken = default) => AsTask(StartRowCoreAsync(async: true, cancellationToken));

    /// <summary>
    /// Writes the row's next value, as the type of its column (or, when the column's type is unknown, as the type the
    /// value's .NET type maps to, as a parameter would be). Null or DBNull writes NULL.
    /// </summary>
    public void Write<T>(T value) => Wait(WriteCoreAsync(value, null, async: false, CancellationToken.None));

    /// <summary>Writes the row's next value as the PostgreSQL type <paramref name="type"/> names.</summary>
    public void Write<T>(T value, PgDbType type) => Wait(WriteCoreAsync(value, type, async: false, CancellationToken.None));

    /// <inheritdoc cref="Write{T}(T)"/>
    public Task WriteAsync<T>(T value, CancellationToken cancellationToken = default) =>
        AsTask(WriteCoreAsync(value, null, async: true, cancellationToken));

    /// <inheritdoc cref="Write{T}(T, PgDbType)"/>
    public Task WriteAsync<T>(T value, PgDbType type, CancellationToken cancellationToken = default) =>
        AsTask(WriteCoreAsync(value, type, async: true, cancellationToken));

    /// <summary>Writes NULL as the row's next value.</summary>
    public void WriteNull() => Write<object?>(null);

    /// <inheritdoc cref="WriteNull"/>
    public Task WriteNullAsync(CancellationToken cancellationToken = default) => WriteAsync<object?>(null, cancellationToken);

    /// <summary>Starts a row and writes <paramref name="values"/> as its values (null or DBNull for NULL).</summary>
    public void WriteRow(params object?[] values) => Wait(WriteRowCoreAsync(values, async: false, CancellationToken.None));

    /// <inheritdoc cref="WriteRow"/>
    public Task WriteRowAsync(CancellationToken cancellationToken = default, params object?[] values) =>
        AsTask(WriteRowCoreAsync(values, async: true, cancellationToken));

    /// <summary>Ends the data and commits it: returns the rows copied. A row the server refuses rolls every row back and throws.</summary>
    public ulong Complete() => CompleteCoreAsync(async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="Complete"/>
    public ValueTask<ulong> CompleteAsync(CancellationToken cancellationToken = default) => CompleteCoreAsync(async: true, cancellationToken);

    /// <summary>Same as <see cref="Dispose"/>: without <see cref="Complete"/>, aborts the COPY.</summary>
    public void Close() => Dispose();

    /// <summary>
    /// <see cref="Close"/>, asynchronously. A token already cancelled leaves the COPY as it was (OperationCanceledException);
    /// once started, ending the COPY is bounded by its <see cref="Timeout"/>, not by the token (Npgsql's signature).
    /// </summary>
    public ValueTask CloseAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return DisposeAsync();
    }

    private ValueTask StartRowCoreAsync(bool async, CancellationToken cancellationToken)
    {
        CheckOpen();
        if (cancellationToken.IsCancellationRequested) return CancelledAsync(async, cancellationToken);
        if (_copy.NeedsFlush(BinaryCopyWriter.RowStartLength)) return SendThenStartRowAsync(async, cancellationToken);
        _writer.StartRow();
        return default;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendThenStartRowAsync(bool async, CancellationToken cancellationToken)
    {
        await SendAsync(async, cancellationToken).ConfigureAwait(false);
        _writer.StartRow();
    }

    private ValueTask WriteCoreAsync<T>(T value, PgDbType? type, bool async, CancellationToken cancellationToken)
    {
        CheckOpen();
        if (cancellationToken.IsCancellationRequested) return CancelledAsync(async, cancellationToken);
        int length = _writer.Measure(value, type, out var codec);
        if (_copy.NeedsFlush(4 + Math.Max(length, 0))) return SendThenWriteAsync(value, codec, length, async, cancellationToken);
        _writer.Write(value, codec, length);
        return default;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendThenWriteAsync<T>(T value, Types.PgTypeCodec? codec, int length, bool async, CancellationToken cancellationToken)
    {
        await SendAsync(async, cancellationToken).ConfigureAwait(false);
        _writer.Write(value, codec, length);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WriteRowCoreAsync(object?[] values, bool async, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(values);
        await StartRowCoreAsync(async, cancellationToken).ConfigureAwait(false);
        foreach (var value in values)
            await WriteCoreAsync(value, null, async, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends the full buffer; a failure (the connection, a cancel) ends the COPY.</summary>
    private async ValueTask SendAsync(bool async, CancellationToken cancellationToken)
    {
        try
        {
            await _copy.SendAsync(async, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            _state = State.Failed;
            throw;
        }
    }

    /// <summary>The caller's token was cancelled: the COPY is aborted (CopyFail), and the caller gets OperationCanceledException.</summary>
    private async ValueTask CancelledAsync(bool async, CancellationToken cancellationToken)
    {
        _state = State.Failed;
        var aborted = await _copy.FailAsync("the COPY was cancelled", async).ConfigureAwait(false);
        throw aborted as OperationCanceledException ?? new OperationCanceledException(
            "The COPY was cancelled through its CancellationToken; nothing of it was committed" +
            (_copy.Active || _connection.ConnectorIfOpen is { IsBroken: true } ? "." : " and the connection is still usable."),
            aborted, cancellationToken);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ulong> CompleteCoreAsync(bool async, CancellationToken cancellationToken)
    {
        CheckOpen();
        if (cancellationToken.IsCancellationRequested)
        {
            await CancelledAsync(async, cancellationToken).ConfigureAwait(false);
        }
        _writer.CheckRowWhole();
        if (_copy.NeedsFlush(2)) await SendAsync(async, cancellationToken).ConfigureAwait(false);
        _writer.WriteTrailer();
        try
        {
            ulong rows = await _copy.CompleteAsync(async, cancellationToken).ConfigureAwait(false);
            _state = State.Completed;
            return rows;
        }
        catch (Exception)
        {
            _state = State.Failed;
            throw;
        }
        finally
        {
            Release();
        }
    }

    private void CheckOpen()
    {
        switch (_state)
        {
            case State.Open:
                return;
            case State.Completed:
                throw new InvalidOperationException("The COPY is complete: the importer writes no more rows.");
            case State.Failed:
                throw new InvalidOperationException("The COPY failed or was cancelled (see the exception it threw): the importer writes no more rows.");
            default:
                throw new ObjectDisposedException(nameof(PgBinaryImporter));
        }
    }

    /// <summary>This importer's COPY is the connection's running one.</summary>
    private bool Owns => ReferenceEquals(_connection.OpenCopy, this) && _copy.Active;

    private void Release()
    {
        if (ReferenceEquals(_connection.OpenCopy, this)) _connection.OpenCopy = null;
    }

    ValueTask ICopyHandle.AbandonAsync(bool async) => DisposeCoreAsync(async);

    /// <summary>Without <see cref="Complete"/>: aborts the COPY (CopyFail), so none of its rows is stored.</summary>
    public void Dispose() => DisposeCoreAsync(async: false).GetAwaiter().GetResult();

    /// <inheritdoc cref="Dispose"/>
    public ValueTask DisposeAsync() => DisposeCoreAsync(async: true);

    private async ValueTask DisposeCoreAsync(bool async)
    {
        if (_state == State.Disposed) return;
        var state = _state;
        _state = State.Disposed;
        if (state != State.Completed && Owns)
            await _copy.FailAsync("the importer was disposed without Complete", async).ConfigureAwait(false);
        Release();
    }

    private static void Wait(ValueTask task)
    {
        if (task.IsCompletedSuccessfully) task.GetAwaiter().GetResult();
        else task.AsTask().GetAwaiter().GetResult();
    }

    private static Task AsTask(ValueTask task)
    {
        if (!task.IsCompletedSuccessfully) return task.AsTask();
        task.GetAwaiter().GetResult();
        return Task.CompletedTask;
    }
}
