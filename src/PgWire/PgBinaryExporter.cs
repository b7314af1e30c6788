using PgWire.Connection;

namespace PgWire;

/// <summary>
/// Reads the rows of a binary <c>COPY ... TO STDOUT</c> (from <see cref="PgConnection.BeginBinaryExport"/>):
/// <see cref="StartRow"/> moves to the next row (its column count, -1 after the last), then one
/// <see cref="Read{T}()"/> or <see cref="Skip"/> per column. Values are decoded in place from the server's CopyData.
/// Disposing it before the last row stops the COPY on the server (a CancelRequest) and leaves the connection usable.
/// </summary>
public sealed class PgBinaryExporter : IDisposable, IAsyncDisposable, ICopyHandle
{
    private readonly PgConnection _connection;
    private readonly CopyOperation _copy;
    private readonly BinaryCopyReader _reader;
    private bool _disposed;

    internal PgBinaryExporter(PgConnection connection, CopyOperation copy, BinaryCopyReader reader)
    {
        _connection = connection;
        _copy = copy;
        _reader = reader;
    }

    /// <summary>The number of columns of each row.</summary>
    public int NumColumns => _reader.ColumnCount;

    /// <summary>
    /// How long each wait on the server may take from now on (Npgsql's Timeout): the connection's Command Timeout until
    /// set; TimeSpan.Zero or Timeout.InfiniteTimeSpan for no limit. Counted in whole seconds, a part of a second as one.
    /// </summary>
    public TimeSpan Timeout
    {
        get => _copy.Timeout;
        set => _copy.Timeout = value;
    }

    /// <summary>Moves to the next row: returns its column count, or -1 after the last row (the COPY is then over).</summary>
    public int StartRow()
    {
        var task = StartRowCoreAsync(async: false, CancellationToken.None);
        return task.IsCompletedSuccessfully ? task.Result : task.AsTask().GetAwaiter().GetResult();
    }

    /// <inheritdoc cref="StartRow"/>
    public ValueTask<int> StartRowAsync(CancellationToken cancellationToken = default) => StartRowCoreAsync(async: true, cancellationToken);

    private ValueTask<int> StartRowCoreAsync(bool async, CancellationToken cancellationToken)
    {
        CheckNotDisposed();
        var task = _reader.StartRowAsync(async, cancellationToken);
        if (task.IsCompletedSuccessfully)
        {
            // Read once: a ValueTask over a pooled source may not be consumed twice.
            int count = task.Result;
            if (count < 0) Release();
            return new ValueTask<int>(count);
        }
        return AwaitStartRowAsync(task);
    }

    private async ValueTask<int> AwaitStartRowAsync(ValueTask<int> task)
    {
        try
        {
            int count = await task.ConfigureAwait(false);
            if (count < 0) Release();
            return count;
        }
        catch (Exception) when (!_copy.Active)
        {
            Release();
            throw;
        }
    }

    /// <summary>
    /// The row's next value as <typeparamref name="T"/>, decoded by its column's type (or, when that is unknown, by the
    /// type <typeparamref name="T"/> maps to). NULL reads as null for a type that can hold it.
    /// </summary>
    public T Read<T>()
    {
        CheckNotDisposed();
        return _reader.Read<T>(null);
    }

    /// <summary>The row's next value, decoded as the PostgreSQL type <paramref name="type"/> names.</summary>
    public T Read<T>(PgDbType type)
    {
        CheckNotDisposed();
        return _reader.Read<T>(type);
    }

    /// <inheritdoc cref="Read{T}()"/>
    /// <remarks>A row is whole in memory once <see cref="StartRowAsync"/> returned, so this completes at once.</remarks>
    public ValueTask<T> ReadAsync<T>(CancellationToken cancellationToken = default) => new(Read<T>());

    /// <inheritdoc cref="Read{T}(PgDbType)"/>
    public ValueTask<T> ReadAsync<T>(PgDbType type, CancellationToken cancellationToken = default) => new(Read<T>(type));

    /// <summary>The row's next value as its column type's default .NET type; DBNull.Value for NULL.</summary>
    internal object ReadObject()
    {
        CheckNotDisposed();
        return _reader.ReadObject();
    }

    /// <summary>Whether the row's next value is NULL (without moving past it).</summary>
    public bool IsNull
    {
        get
        {
            CheckNotDisposed();
            return _reader.IsNull;
        }
    }

    /// <summary>Moves past the row's next value without decoding it.</summary>
    public void Skip()
    {
        CheckNotDisposed();
        _reader.Skip();
    }

    /// <inheritdoc cref="Skip"/>
    public Task SkipAsync(CancellationToken cancellationToken = default)
    {
        Skip();
        return Task.CompletedTask;
    }

    /// <summary>Stops the COPY before its end (the rest of its data is dropped); the connection stays usable.</summary>
    public void Cancel() => CancelCoreAsync(async: false).GetAwaiter().GetResult();

    /// <inheritdoc cref="Cancel"/>
    public Task CancelAsync() => CancelCoreAsync(async: true).AsTask();

    private async ValueTask CancelCoreAsync(bool async)
    {
        try
        {
            if (Owns) await _copy.CancelExportAsync(async).ConfigureAwait(false);
        }
        finally
        {
            Release();
        }
    }

    /// <summary>Same as <see cref="Dispose"/>.</summary>
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

    ValueTask ICopyHandle.AbandonAsync(bool async) => DisposeCoreAsync(async);

    /// <summary>Ends the export: before its last row, stops the COPY on the server; the connection stays usable.</summary>
    public void Dispose() => DisposeCoreAsync(async: false).GetAwaiter().GetResult();

    /// <inheritdoc cref="Dispose"/>
    public ValueTask DisposeAsync() => DisposeCoreAsync(async: true);

    private async ValueTask DisposeCoreAsync(bool async)
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            await CancelCoreAsync(async).ConfigureAwait(false);
        }
        catch (Exception e) when (e is PgException or OperationCanceledException)
        {
            // Disposing does not throw for a COPY that failed meanwhile: the connection is usable or marked broken.
        }
    }

    /// <summary>This exporter's COPY is the connection's running one.</summary>
    private bool Owns => ReferenceEquals(_connection.OpenCopy, this) && _copy.Active;

    private void CheckNotDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private void Release()
    {
        if (ReferenceEquals(_connection.OpenCopy, this)) _connection.OpenCopy = null;
    }
}
