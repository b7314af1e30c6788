using System.Runtime.CompilerServices;
using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;

namespace PgWire.Protocol;

/// <summary>
/// Reads backend messages from the transport into one buffer, as many bytes as the socket has per read.
/// A message already buffered is returned without I/O (a completed ValueTask), and its body stays valid
/// until the next message is read. Lengths are checked before anything trusts them.
/// </summary>
internal sealed class ReadBuffer : IDisposable
{
    /// <summary>The server cannot build a message larger than MaxAllocSize (1 GiB - 1).</summary>
    public const int MaxMessageLength = 0x3FFF_FFFF;

    /// <summary>The size of the buffer unless the connection string's Read Buffer Size says otherwise.</summary>
    public const int DefaultSize = 8192;

    /// <summary>The size the buffer starts with and shrinks back to after a large message.</summary>
    private readonly int _size;

    private byte[] _buffer;
    private int _readPosition;
    private int _filled;

    public ReadBuffer(Stream stream, int size = DefaultSize)
    {
        Stream = stream;
        _size = size;
        _buffer = ArrayPool<byte>.Shared.Rent(size);
    }

    /// <summary>The bytes the buffer can hold now: one socket read fills at most this much.</summary>
    public int Capacity => _buffer.Length;

    public Stream Stream { get; set; }

    /// <summary>The type byte of the message read last.</summary>
    public byte MessageCode { get; private set; }

    private int _messageStart;
    private int _messageLength;

    /// <summary>The body of the message read last (without type byte and length).</summary>
    public ReadOnlySpan<byte> MessageBody => _buffer.AsSpan(_messageStart, _messageLength);

    /// <summary><see cref="MessageBody"/> as a segment of the buffer's array, for a reader that indexes the array itself.</summary>
    public ArraySegment<byte> MessageSegment => new(_buffer, _messageStart, _messageLength);

    public int MessageLength => _messageLength;

    /// <summary>Bytes received and not yet consumed as messages.</summary>
    public int BufferedBytes => _filled - _readPosition;

    /// <summary>Reads the next whole message into the buffer.</summary>
    public ValueTask ReadMessageAsync(bool async, CancellationToken cancellationToken) =>
        TryReadBufferedMessage() ? default : ReadFromSocketAsync(rawByte: false, async, cancellationToken);

    /// <summary>
    /// Takes the next message when it is already whole in the buffer, without I/O and without an async state
    /// machine: the path of nearly every row of a result.
    /// </summary>
    public bool TryReadBufferedMessage()
    {
        if (_partialRemaining > 0 && !SkipBufferedPartial()) return false;
        int available = _filled - _readPosition;
        if (available < 5) return false;
        int length = BinaryPrimitives.ReadInt32BigEndian(_buffer.AsSpan(_readPosition + 1));
        if (length < 4 || length - 4 > available - 5) return false;
        MessageCode = _buffer[_readPosition];
        MessageIsPartial = false;
        _messageStart = _readPosition + 5;
        _messageLength = length - 4;
        _readPosition += 1 + length;
        return true;
    }

    /// <summary>
    /// Receives, synchronously, up to <paramref name="count"/> bytes that the socket already holds, so the read does not
    /// wait (on a plain socket; over TLS the bytes are records, and the read waits for the rest of the one begun, under
    /// the socket's receive timeout).
    /// </summary>
    public void ReceiveAvailable(int count)
    {
        MakeRoomFor(_filled - _readPosition + 1);
        int read;
        try
        {
            read = Stream.Read(_buffer, _filled, Math.Min(count, _buffer.Length - _filled));
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            throw ReadFailed(e);
        }
        if (read == 0) throw ServerClosed();
        _filled += read;
    }

    /// <summary>Reads a single byte outside message framing (the answer to SSLRequest).</summary>
    public async ValueTask<byte> ReadRawByteAsync(bool async, CancellationToken cancellationToken)
    {
        await ReadFromSocketAsync(rawByte: true, async, cancellationToken).ConfigureAwait(false);
        return _buffer[_readPosition++];
    }

    /// <summary>
    /// Reads from the socket until the next message is whole in the buffer (or, for <paramref name="rawByte"/>, until
    /// one byte is). The one place that reads the socket; a wait for the server suspends this method only.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ReadFromSocketAsync(bool rawByte, bool async, CancellationToken cancellationToken)
    {
        while (true)
        {
            int needed;
            if (_partialRemaining > 0 && !rawByte && !SkipBufferedPartial())
            {
                // The rest of a streamed row nobody read: received and dropped a buffer at a time.
                needed = 1;
            }
            else if (rawByte)
            {
                if (_filled > _readPosition) return;
                needed = 1;
            }
            else if (_filled - _readPosition >= 5)
            {
                int length = BinaryPrimitives.ReadInt32BigEndian(_buffer.AsSpan(_readPosition + 1));
                if (length < 4 || length > MaxMessageLength)
                    throw new PgProtocolException(
                        $"The server sent a message of type '{(char)_buffer[_readPosition]}' with an impossible length ({length}); " +
                        "the connection was closed because nothing that follows can be trusted.");
                if (TryReadBufferedMessage()) return;
                if (StreamLargeRows && _buffer[_readPosition] == (byte)'D' && 1 + length > _size)
                {
                    // Larger than the buffer, for a reader that takes its columns in order: handed over now, its body
                    // read from the socket as the reader consumes it (ReadPartialAsync...), never buffered whole.
                    MessageCode = _buffer[_readPosition];
                    MessageIsPartial = true;
                    _readPosition += 5;
                    _messageStart = _readPosition;
                    _messageLength = 0;
                    _partialRemaining = length - 4;
                    return;
                }
                needed = 1 + length;
            }
            else needed = 5;
            MakeRoomFor(needed);
            // The socket read of ReceiveAsync written out here: this is every message's path, and an awaited helper
            // would add a state machine to it.
            int read;
            try
            {
                read = async
                    ? await Stream.ReadAsync(_buffer.AsMemory(_filled), cancellationToken).ConfigureAwait(false)
                    : Stream.Read(_buffer, _filled, _buffer.Length - _filled);
            }
            catch (Exception e) when (e is IOException or SocketException)
            {
                throw ReadFailed(e);
            }
            if (read == 0) throw ServerClosed();
            _filled += read;
        }
    }

    /// <summary>One read from the socket into <paramref name="destination"/>: at least one byte, or an exception.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReadSocketAsync(Memory<byte> destination, bool async, CancellationToken cancellationToken)
    {
        int read;
        try
        {
            read = async
                ? await Stream.ReadAsync(destination, cancellationToken).ConfigureAwait(false)
                : Stream.Read(destination.Span);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            throw ReadFailed(e);
        }
        if (read == 0) throw ServerClosed();
        return read;
    }

    /// <summary>
    /// A DataRow larger than the buffer is handed over before it is whole (<see cref="MessageIsPartial"/>): for
    /// CommandBehavior.SequentialAccess, whose reader takes the columns in order and streams the large ones.
    /// </summary>
    public bool StreamLargeRows { get; set; }

    /// <summary>The message read last is a streamed DataRow: its body is read with the Partial methods, not <see cref="MessageBody"/>.</summary>
    public bool MessageIsPartial { get; private set; }

    private int _partialRemaining;

    /// <summary>Bytes of the streamed message not yet consumed.</summary>
    public int PartialRemaining => _partialRemaining;

    /// <summary>The size the buffer is configured with: values up to this are buffered whole even in a streamed row.</summary>
    public int ConfiguredSize => _size;

    /// <summary>Drops what is buffered of the rest of a streamed message; true when none of it is left.</summary>
    private bool SkipBufferedPartial()
    {
        int take = Math.Min(_partialRemaining, _filled - _readPosition);
        _readPosition += take;
        _partialRemaining -= take;
        return _partialRemaining == 0;
    }

    /// <summary>Makes the next <paramref name="count"/> bytes of the streamed message whole in the buffer (see <see cref="PartialSpan"/>).</summary>
    public ValueTask EnsurePartialAsync(int count, bool async, CancellationToken cancellationToken)
    {
        if (count > _partialRemaining)
            throw new PgProtocolException(
                $"The server sent a malformed 'D' message: a field that runs past the end of the message ({count} byte(s) needed, {_partialRemaining} left). The connection was closed.");
        return _filled - _readPosition >= count ? default : FillPartialAsync(count, async, cancellationToken);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask FillPartialAsync(int count, bool async, CancellationToken cancellationToken)
    {
        while (_filled - _readPosition < count)
            await ReceiveAsync(count, async, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One socket read into the buffer, after room is made for the rest of <paramref name="count"/> bytes from the read position.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ReceiveAsync(int count, bool async, CancellationToken cancellationToken)
    {
        MakeRoomFor(count);
        _filled += await ReadSocketAsync(_buffer.AsMemory(_filled), async, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The next <paramref name="count"/> bytes of the streamed message, made whole by <see cref="EnsurePartialAsync"/>; not consumed.</summary>
    public ReadOnlySpan<byte> PartialSpan(int count) => _buffer.AsSpan(_readPosition, count);

    public void ConsumePartial(int count)
    {
        _readPosition += count;
        _partialRemaining -= count;
    }

    /// <summary>
    /// Copies up to <paramref name="destination"/>'s length of the streamed message into it (at least one byte when any
    /// is left): first what is buffered, then straight from the socket when the destination is larger than the buffer.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> ReadPartialAsync(Memory<byte> destination, bool async, CancellationToken cancellationToken)
    {
        int want = Math.Min(destination.Length, _partialRemaining);
        if (want == 0) return 0;
        int buffered = _filled - _readPosition;
        if (buffered == 0)
        {
            if (want >= _buffer.Length)
            {
                int direct = await ReadSocketAsync(destination[..want], async, cancellationToken).ConfigureAwait(false);
                _partialRemaining -= direct;
                return direct;
            }
            await ReceiveAsync(1, async, cancellationToken).ConfigureAwait(false);
            buffered = _filled - _readPosition;
        }
        int n = Math.Min(want, buffered);
        _buffer.AsSpan(_readPosition, n).CopyTo(destination.Span);
        ConsumePartial(n);
        return n;
    }

    /// <summary>Drops the next <paramref name="count"/> bytes of the streamed message.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask SkipPartialAsync(int count, bool async, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            int buffered = _filled - _readPosition;
            if (buffered == 0)
            {
                await ReceiveAsync(1, async, cancellationToken).ConfigureAwait(false);
                continue;
            }
            int n = Math.Min(count, buffered);
            ConsumePartial(n);
            count -= n;
        }
    }

    /// <summary>
    /// Prepares the buffer to receive the rest of <paramref name="count"/> bytes counted from the read position:
    /// unread bytes move to the front when the rest would not fit (or nothing is unread), and a message larger than
    /// the buffer grows it as its bytes arrive, never ahead of them, so a header that merely claims 1 GiB cannot make
    /// the client reserve 1 GiB.
    /// </summary>
    private void MakeRoomFor(int count)
    {
        if (_readPosition > 0 && (_readPosition + count > _buffer.Length || _readPosition == _filled))
        {
            if (_readPosition == _filled && _buffer.Length > Math.Max(256 * 1024, _size))
            {
                // The big message is consumed: give the large array back.
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = ArrayPool<byte>.Shared.Rent(_size);
            }
            else
            {
                _buffer.AsSpan(_readPosition, _filled - _readPosition).CopyTo(_buffer);
            }
            _filled -= _readPosition;
            _readPosition = 0;
        }
        if (_filled == _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(count, _buffer.Length + 1), (long)_buffer.Length * 2));
            _buffer.AsSpan(0, _filled).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
    }

    private static PgConnectionException ReadFailed(Exception e) =>
        new($"Reading from the server failed: {(e.InnerException as SocketException)?.Message ?? e.Message}. The connection was closed.", e);

    private static PgConnectionException ServerClosed() =>
        new("The server closed the connection unexpectedly (the server process may have been terminated by an " +
            "administrator, crashed, or restarted).");

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, Array.Empty<byte>());
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
        _filled = _readPosition = 0;
    }
}
