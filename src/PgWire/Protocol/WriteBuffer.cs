using System.Runtime.CompilerServices;
using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace PgWire.Protocol;

/// <summary>
/// Accumulates frontend messages until they are flushed in one write. Every message length goes through
/// <see cref="EndMessage"/>, the single choke point that refuses a message the server could not accept:
/// a length that wraps past 2^31 would let a value's bytes be read as protocol messages
/// (CVE-2024-32655 in Npgsql, CVE-2024-27304 in pgx).
/// </summary>
internal sealed class WriteBuffer : IDisposable
{
    /// <summary>PostgreSQL refuses messages longer than MaxAllocSize (1 GiB - 1), length word included.</summary>
    public const int MaxMessageLength = 0x3FFF_FFFF;

    /// <summary>The size of the buffer unless the connection string's Write Buffer Size says otherwise.</summary>
    public const int DefaultSize = 8192;

    /// <summary>The size the buffer starts with and shrinks back to after a large write.</summary>
    private readonly int _size;
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private byte[] _buffer;
    private int _position;
    private int _messageStart = -1;

    public WriteBuffer(int size = DefaultSize)
    {
        _size = size;
        _buffer = ArrayPool<byte>.Shared.Rent(size);
    }

    /// <summary>The bytes the buffer can hold before it grows.</summary>
    public int Capacity => _buffer.Length;

    /// <summary>Bytes written and not yet flushed.</summary>
    public int Length => _position;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _position);

    /// <summary>Begins a message with a type byte; its length is filled in by <see cref="EndMessage"/>.</summary>
    public void StartMessage(byte code)
    {
        EnsureCapacity(5);
        _buffer[_position++] = code;
        StartUntypedMessage();
    }

    /// <summary>Begins a message without a type byte (StartupMessage, SSLRequest, CancelRequest).</summary>
    public void StartUntypedMessage()
    {
        if (_messageStart >= 0)
            throw new InvalidOperationException("A frontend message is already being written.");
        EnsureCapacity(4);
        _messageStart = _position;
        _position += 4;
    }

    /// <summary>Writes the length of the message begun last; refuses one the server cannot take.</summary>
    public void EndMessage()
    {
        if (_messageStart < 0)
            throw new InvalidOperationException("No frontend message is being written.");
        long length = (long)_position - _messageStart;
        if (length > MaxMessageLength)
            throw MessageTooLong(length);
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_messageStart), (int)length);
        _messageStart = -1;
    }

    /// <summary>
    /// Refuses, before a byte of it is buffered, a message whose body would be <paramref name="bodyLength"/> bytes.
    /// Used by writers that know their size up front (Bind) so that a 2 GiB parameter is never copied.
    /// </summary>
    public static void CheckMessageLength(long bodyLength)
    {
        if (bodyLength + 4 > MaxMessageLength || bodyLength < 0)
            throw MessageTooLong(bodyLength + 4);
    }

    private static PgProtocolException MessageTooLong(long length) =>
        new($"The message would be {length:N0} bytes, but PostgreSQL accepts at most {MaxMessageLength:N0} bytes (1 GiB) " +
            "in one message. Nothing was sent and the connection is still usable. Send large values in parts " +
            "(several rows, COPY, or large objects).");

    /// <summary>Drops everything written since <paramref name="length"/>, so a half-encoded command is never sent.</summary>
    public void Truncate(int length)
    {
        _position = length;
        _messageStart = -1;
    }

    public void Clear() => Truncate(0);

    public void WriteByte(byte value)
    {
        EnsureCapacity(1);
        _buffer[_position++] = value;
    }

    public void WriteInt16(short value)
    {
        EnsureCapacity(2);
        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_position), value);
        _position += 2;
    }

    public void WriteUInt16(ushort value) => WriteInt16((short)value);

    public void WriteInt32(int value)
    {
        EnsureCapacity(4);
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_position), value);
        _position += 4;
    }

    public void WriteUInt32(uint value) => WriteInt32((int)value);

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        EnsureCapacity(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_position));
        _position += bytes.Length;
    }

    /// <summary>A null-terminated UTF-8 string (the protocol's String type); an embedded NUL cannot be represented.</summary>
    public void WriteCString(string value)
    {
        if (value.Contains('\0'))
            throw new ArgumentException("A string sent in a protocol field cannot contain a NUL character (U+0000).", nameof(value));
        int max = Utf8.GetMaxByteCount(value.Length);
        if (max > 4096) max = Utf8.GetByteCount(value);
        EnsureCapacity(max + 1);
        _position += Utf8.GetBytes(value, _buffer.AsSpan(_position));
        _buffer[_position++] = 0;
    }

    public void WriteCString(ReadOnlySpan<byte> utf8)
    {
        EnsureCapacity(utf8.Length + 1);
        utf8.CopyTo(_buffer.AsSpan(_position));
        _position += utf8.Length;
        _buffer[_position++] = 0;
    }

    /// <summary>Overwrites the Int32 written at <paramref name="position"/> (a length known only after what follows it).</summary>
    public void PatchInt32(int position, int value) => BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(position, 4), value);

    /// <summary>Room for at least <paramref name="minimum"/> bytes after what is written, to fill and then <see cref="Advance"/> over.</summary>
    public Memory<byte> GetFreeMemory(int minimum)
    {
        EnsureCapacity(minimum);
        return _buffer.AsMemory(_position);
    }

    public void Advance(int count) => _position += count;

    /// <summary>Reserves <paramref name="length"/> bytes for the caller to fill in place.</summary>
    public Span<byte> GetSpan(int length)
    {
        EnsureCapacity(length);
        var span = _buffer.AsSpan(_position, length);
        _position += length;
        return span;
    }

    public void Flush(Stream stream)
    {
        if (_position == 0) return;
        stream.Write(_buffer, 0, _position);
        stream.Flush();
        _position = 0;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask FlushAsync(Stream stream, CancellationToken cancellationToken)
    {
        if (_position == 0) return;
        await stream.WriteAsync(_buffer.AsMemory(0, _position), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        _position = 0;
    }

    /// <summary>After a large message went out, gives the large array back so an idle connection stays small.</summary>
    public void ShrinkIfLarge()
    {
        if (_position == 0 && _buffer.Length > Math.Max(256 * 1024, _size))
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(_size);
        }
    }

    private void EnsureCapacity(int count)
    {
        if (_buffer.Length - _position >= count) return;
        Grow(count);
    }

    private void Grow(int count)
    {
        long needed = (long)_position + count;
        if (needed > Array.MaxLength)
            throw MessageTooLong(needed);
        long size = Math.Max((long)_buffer.Length * 2, needed);
        if (size > Array.MaxLength) size = Array.MaxLength;
        var bigger = ArrayPool<byte>.Shared.Rent((int)size);
        _buffer.AsSpan(0, _position).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, Array.Empty<byte>());
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
        _position = 0;
    }
}
