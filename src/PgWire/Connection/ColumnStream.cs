namespace PgWire.Connection;

/// <summary>
/// A read-only, forward stream over one column of the current row (PgDataReader.GetStream): the buffered row in place,
/// or, for a large value under SequentialAccess, the socket. It fails clearly once the reader has moved on.
/// </summary>
internal sealed class ColumnStream(ResultReader result, int ordinal, int rowVersion, long length) : Stream
{
    private long _position;
    private bool _disposed;

    public override bool CanRead => !_disposed;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException("A column stream reads forward only.");
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return count == 0 ? 0 : ReadCore(buffer.AsMemory(offset, count), async: false, CancellationToken.None).GetAwaiter().GetResult();
    }

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty) return 0;
        // A span cannot reach the socket read, which takes memory: read through a pooled array.
        var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length, 81920));
        try
        {
            int n = ReadCore(chunk.AsMemory(0, Math.Min(buffer.Length, chunk.Length)), async: false, CancellationToken.None).GetAwaiter().GetResult();
            chunk.AsSpan(0, n).CopyTo(buffer);
            return n;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        buffer.IsEmpty ? new ValueTask<int>(0) : ReadCore(buffer, async: true, cancellationToken);

    private async ValueTask<int> ReadCore(Memory<byte> buffer, bool async, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int n = await result.ReadColumnAsync(ordinal, rowVersion, _position, buffer, async, cancellationToken).ConfigureAwait(false);
        _position += n;
        return n;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("A column stream reads forward only.");
    public override void SetLength(long value) => throw new NotSupportedException("A column stream is read-only.");
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("A column stream is read-only.");

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        base.Dispose(disposing);
    }
}
