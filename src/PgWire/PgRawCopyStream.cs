using System.Runtime.CompilerServices;
using PgWire.Connection;

namespace PgWire;

/// <summary>
/// The data of a COPY as a stream (from <see cref="PgConnection.BeginRawBinaryCopy"/>, and under the text reader and
/// writer): writable for <c>COPY ... FROM STDIN</c>, where disposing it completes the COPY (and throws when the server
/// refused the data), readable for <c>COPY ... TO STDOUT</c>. <see cref="Cancel"/> aborts an import (nothing is
/// committed) or stops an export; the connection stays usable either way.
/// </summary>
public sealed class PgRawCopyStream : Stream, ICopyHandle
{
    private readonly PgConnection _connection;
    private readonly CopyOperation _copy;
    private readonly bool _import;
    private bool _finished;
    private bool _disposed;
    private int _offset;
    private int _available;

    internal PgRawCopyStream(PgConnection connection, CopyOperation copy)
    {
        _connection = connection;
        _copy = copy;
        _import = copy.IsImport;
        IsBinary = copy.Response.Binary;
        if (_import) copy.OpenCopyData();
        connection.OpenCopy = this;
    }

    /// <summary>True for COPY's binary format, false for text or CSV.</summary>
    public bool IsBinary { get; }

    /// <summary>The COPY ended (completed, cancelled, failed, or its data read to the end).</summary>
    internal bool Finished => _finished;

    public override bool CanRead => !_import && !_disposed;

    public override bool CanWrite => _import && !_disposed;

    public override bool CanSeek => false;

    /// <summary>Each wait on the server is bounded: Command Timeout until <see cref="ReadTimeout"/> or <see cref="WriteTimeout"/> is set.</summary>
    public override bool CanTimeout => true;

    /// <summary>
    /// Milliseconds each wait on the server may take from now on, <see cref="System.Threading.Timeout.Infinite"/> (or 0)
    /// for no limit; counted in whole seconds, a part of a second as one. Reading and writing share the one bound.
    /// </summary>
    public override int ReadTimeout
    {
        get => _copy.TimeoutSeconds == 0 ? System.Threading.Timeout.Infinite : _copy.TimeoutSeconds * 1000;
        set => _copy.Timeout = value == System.Threading.Timeout.Infinite ? System.Threading.Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(value);
    }

    /// <inheritdoc cref="ReadTimeout"/>
    public override int WriteTimeout
    {
        get => ReadTimeout;
        set => ReadTimeout = value;
    }

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    // ---- import ----

    public override void Write(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        Write(buffer.AsSpan(offset, count));
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        CheckWritable();
        var data = _copy.Data;
        while (!buffer.IsEmpty)
        {
            int room = data.Capacity - data.Length;
            if (room < 64)
            {
                Send(_copy.SendAsync(async: false, CancellationToken.None));
                room = data.Capacity - data.Length;
            }
            int n = Math.Min(room, buffer.Length);
            data.WriteBytes(buffer[..n]);
            buffer = buffer[n..];
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        CheckWritable();
        var data = _copy.Data;
        while (!buffer.IsEmpty)
        {
            int room = data.Capacity - data.Length;
            if (room < 64)
            {
                await SendAsync(cancellationToken).ConfigureAwait(false);
                room = data.Capacity - data.Length;
            }
            int n = Math.Min(room, buffer.Length);
            data.WriteBytes(buffer.Span[..n]);
            buffer = buffer[n..];
        }
    }

    /// <summary>Sends what is buffered.</summary>
    public override void Flush()
    {
        if (_import && !_finished && !_disposed && _copy.Data.Length > 5) Send(_copy.SendAsync(async: false, CancellationToken.None));
    }

    public override Task FlushAsync(CancellationToken cancellationToken) =>
        _import && !_finished && !_disposed && _copy.Data.Length > 5 ? SendAsync(cancellationToken).AsTask() : Task.CompletedTask;

    private async ValueTask SendAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _copy.SendAsync(async: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            _finished = true;
            throw;
        }
    }

    private void Send(ValueTask task)
    {
        try
        {
            if (!task.IsCompletedSuccessfully) task.AsTask().GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            _finished = true;
            throw;
        }
    }

    private void CheckWritable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_import) throw new NotSupportedException("This COPY is TO STDOUT: its stream is read, not written.");
        if (_finished) throw new InvalidOperationException("The COPY is over (cancelled or failed): its stream takes no more data.");
    }

    // ---- export ----

    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    public override int Read(Span<byte> buffer)
    {
        CheckReadable();
        if (buffer.IsEmpty) return 0;
        if (_available == 0)
        {
            var more = _copy.ReadCopyDataAsync(async: false, CancellationToken.None);
            if (!(more.IsCompletedSuccessfully ? more.Result : more.AsTask().GetAwaiter().GetResult())) return End();
            _offset = 0;
            _available = _copy.MessageBody.Length;
        }
        return Take(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        CheckReadable();
        if (buffer.IsEmpty) return 0;
        while (_available == 0)
        {
            if (!await _copy.ReadCopyDataAsync(async: true, cancellationToken).ConfigureAwait(false)) return End();
            _offset = 0;
            _available = _copy.MessageBody.Length;
        }
        return Take(buffer.Span);
    }

    private int Take(Span<byte> buffer)
    {
        int n = Math.Min(buffer.Length, _available);
        _copy.MessageBody.Slice(_offset, n).CopyTo(buffer);
        _offset += n;
        _available -= n;
        return n;
    }

    private int End()
    {
        _finished = true;
        Release();
        return 0;
    }

    private void CheckReadable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_import) throw new NotSupportedException("This COPY is FROM STDIN: its stream is written, not read.");
        if (_finished && _available == 0) throw new InvalidOperationException("The COPY is over: its stream has no more data.");
    }

    // ---- ending ----

    /// <summary>Aborts an import (CopyFail: nothing is committed) or stops an export; the connection stays usable.</summary>
    public void Cancel() => CancelCoreAsync(async: false).GetAwaiter().GetResult();

    /// <inheritdoc cref="Cancel"/>
    public Task CancelAsync() => CancelCoreAsync(async: true).AsTask();

    private async ValueTask CancelCoreAsync(bool async)
    {
        if (_finished) return;
        _finished = true;
        try
        {
            if (!Owns) return;
            if (_import) await _copy.FailAsync("the COPY was cancelled", async).ConfigureAwait(false);
            else await _copy.CancelExportAsync(async).ConfigureAwait(false);
        }
        finally
        {
            Release();
        }
    }

    /// <summary>Completes an import (CopyDone): returns once the server has committed the data, and throws when it refused it.</summary>
    private async ValueTask FinishAsync(bool async)
    {
        if (_finished) return;
        if (!_import)
        {
            await CancelCoreAsync(async).ConfigureAwait(false);
            return;
        }
        _finished = true;
        try
        {
            if (Owns) await _copy.CompleteAsync(async, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            Release();
        }
    }

    ValueTask ICopyHandle.AbandonAsync(bool async) => CancelCoreAsync(async);

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            try
            {
                FinishAsync(async: false).GetAwaiter().GetResult();
            }
            finally
            {
                _disposed = true;
            }
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            try
            {
                await FinishAsync(async: true).ConfigureAwait(false);
            }
            finally
            {
                _disposed = true;
            }
        }
        GC.SuppressFinalize(this);
    }

    private bool Owns => ReferenceEquals(_connection.OpenCopy, this) && _copy.Active;

    private void Release()
    {
        if (ReferenceEquals(_connection.OpenCopy, this)) _connection.OpenCopy = null;
    }
}
