namespace PgWire.Connection;

/// <summary>
/// A read-only, forward stream over one column of the current row (PgDataReader.GetStream): the buffered row in place,
/// or, for a large value under SequentialAccess, the socket. It fails clearly once the reader has moved on. Its
/// <see cref="ReadColumnAsync"/> also serves GetBytes, which reads a column the same way without a stream.
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
        int n = await ReadColumnAsync(result, ordinal, rowVersion, _position, buffer, async, cancellationToken).ConfigureAwait(false);
        _position += n;
        return n;
    }

    /// <summary>
    /// Copies bytes of column <paramref name="ordinal"/> from byte <paramref name="position"/> on, for the row
    /// <paramref name="version"/> a stream or GetBytes was opened on: from the buffered row, or for a large column of a
    /// streamed row, from the socket (then only forward). 0 at the end of the value.
    /// </summary>
    public static ValueTask<int> ReadColumnAsync(ResultReader result, int ordinal, int version, long position, Memory<byte> destination,
        bool async, CancellationToken cancellationToken)
    {
        var streamed = result.Streamed;
        if (version != result.RowVersion || !result.IsOnRow || (streamed is not null && ordinal < streamed.Column))
            throw new InvalidOperationException("The value was read from a row (or column) the data reader has since moved past.");
        return streamed is not null
            ? streamed.ReadAsync(ordinal, position, destination, async, cancellationToken)
            : new ValueTask<int>(CopyValue(result, ordinal, position, destination.Span));
    }

    /// <summary>Copies column <paramref name="ordinal"/>'s value, read whole, from byte <paramref name="position"/> on.</summary>
    public static int CopyValue(ResultReader result, int ordinal, long position, Span<byte> destination)
    {
        // A first run's bytea is hex text: decoded whole (a buffered value, or one a getter already read whole).
        ReadOnlySpan<byte> value = result.Columns!.IsTextBytea(ordinal) ? result.GetFieldValue<byte[]>(ordinal) : result.GetBytes(ordinal);
        if (position >= value.Length) return 0;
        int n = (int)Math.Min(destination.Length, value.Length - position);
        value.Slice((int)position, n).CopyTo(destination);
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
