using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using PgWire.Protocol;

namespace PgWire.Connection;

/// <summary>
/// Rows larger than the receive buffer under CommandBehavior.SequentialAccess: the engine hands the DataRow over once its
/// header has arrived, and its columns are read from the socket in order as the caller asks for them. A column that
/// fits the buffer's configured size is buffered whole when asked for; a larger one is streamed (GetStream, GetBytes,
/// GetChars, GetTextReader) or, for a typed getter, read whole into one array of its size. Memory stays bounded by the
/// buffer, not the row. Made by the <see cref="ResultReader"/> for its first such row and kept for the next; it is the
/// reader's current row only while <see cref="ResultReader.Streamed"/> returns it.
/// </summary>
internal sealed class StreamedRow(ResultReader reader, PgConnector connector)
{
    /// <summary>-2: the row's column count is not read yet; -1: no column reached; else the column whose length was read last.</summary>
    private int _column;

    /// <summary>The length of <see cref="_column"/> (-1 for NULL).</summary>
    private int _length;

    /// <summary>Bytes of <see cref="_column"/> taken from the socket by a stream, GetBytes or GetChars.</summary>
    private int _consumed;

    /// <summary>The bytes of <see cref="_column"/> are whole in the receive buffer at its read position.</summary>
    private bool _buffered;

    /// <summary><see cref="_column"/>, larger than the buffer, read whole for a typed getter.</summary>
    private byte[]? _largeValue;

    /// <summary>The column whose length was read last (-1 or -2 before the first); columns before it are gone.</summary>
    public int Column => _column;

    /// <summary>A new row starts: nothing of it is read yet past its header.</summary>
    public void Start()
    {
        _column = -2;
        _length = 0;
        _consumed = 0;
        _buffered = false;
        _largeValue = null;
    }

    /// <summary>The length of column <paramref name="ordinal"/> (-1 for NULL), read from the socket if need be.</summary>
    public int Length(int ordinal)
    {
        SeekAsync(ordinal, async: false, CancellationToken.None).GetAwaiter().GetResult();
        return _length;
    }

    /// <summary>The bytes of column <paramref name="ordinal"/>, read whole (see <see cref="LoadAsync"/>).</summary>
    public ReadOnlySpan<byte> Value(int ordinal)
    {
        LoadAsync(ordinal, async: false, CancellationToken.None).GetAwaiter().GetResult();
        if (_length <= 0) return default;
        return _largeValue ?? connector.ReadBuffer.PartialSpan(_length);
    }

    /// <summary>Whether column <paramref name="ordinal"/> is read from the socket as it is consumed: it is larger than the buffer.</summary>
    public bool IsStreamedFromSocket(int ordinal) => Length(ordinal) > connector.ReadBuffer.ConfiguredSize;

    /// <summary>
    /// Makes column <paramref name="ordinal"/> readable whole: buffered when it fits the buffer, else read into an array
    /// of its size. Async callers (GetFieldValueAsync) come here first, so the getter that follows does no I/O.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask LoadAsync(int ordinal, bool async, CancellationToken cancellationToken)
    {
        await SeekAsync(ordinal, async, cancellationToken).ConfigureAwait(false);
        if (_length <= 0 || _buffered || _largeValue is not null) return;
        if (_consumed > 0)
            throw new InvalidOperationException(
                $"Column {ordinal} of this row was already read in part (GetStream, GetBytes or GetChars); with CommandBehavior.SequentialAccess " +
                "a column is read once, from the start to the end.");
        var buffer = connector.ReadBuffer;
        using var registration = connector.Cancellation.RegisterCancel(cancellationToken);
        try
        {
            if (_length <= buffer.ConfiguredSize)
            {
                await buffer.EnsurePartialAsync(_length, async, CancellationToken.None).ConfigureAwait(false);
                _buffered = true;
                return;
            }
            var value = new byte[_length];
            int filled = 0;
            while (filled < value.Length)
                filled += await buffer.ReadPartialAsync(value.AsMemory(filled), async, CancellationToken.None).ConfigureAwait(false);
            _consumed = value.Length;
            _largeValue = value;
        }
        catch (Exception e) when (IsReadFailure(e))
        {
            throw reader.Failed(connector.ReadFailed(e));
        }
    }

    /// <summary>Moves to column <paramref name="ordinal"/> and reads its length; columns only go forward.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask SeekAsync(int ordinal, bool async, CancellationToken cancellationToken)
    {
        if (ordinal == _column) return;
        if (ordinal < _column)
            throw new InvalidOperationException(
                $"With CommandBehavior.SequentialAccess the columns of a row are read in order: column {ordinal} comes before column " +
                $"{_column}, which was read already.");
        var buffer = connector.ReadBuffer;
        using var registration = connector.Cancellation.RegisterCancel(cancellationToken);
        try
        {
            if (_column == -2)
            {
                await buffer.EnsurePartialAsync(2, async, CancellationToken.None).ConfigureAwait(false);
                int count = BinaryPrimitives.ReadUInt16BigEndian(buffer.PartialSpan(2));
                buffer.ConsumePartial(2);
                var columns = reader.Columns!;
                if (count != columns.Count) throw Malformed($"{count} column(s) where the description has {columns.Count}");
                _column = -1;
            }
            else if (_column >= 0 && _largeValue is null && _length > _consumed)
            {
                await buffer.SkipPartialAsync(_length - _consumed, async, CancellationToken.None).ConfigureAwait(false);
            }
            while (_column < ordinal)
            {
                await buffer.EnsurePartialAsync(4, async, CancellationToken.None).ConfigureAwait(false);
                int length = BinaryPrimitives.ReadInt32BigEndian(buffer.PartialSpan(4));
                buffer.ConsumePartial(4);
                if (length < -1 || length > buffer.PartialRemaining)
                    throw Malformed($"a column of length {length} where {buffer.PartialRemaining} byte(s) are left");
                _column++;
                _length = length;
                _consumed = 0;
                _buffered = false;
                _largeValue = null;
                if (_column < ordinal && length > 0)
                {
                    await buffer.SkipPartialAsync(length, async, CancellationToken.None).ConfigureAwait(false);
                    _consumed = length;
                }
            }
        }
        catch (Exception e) when (IsReadFailure(e))
        {
            throw reader.Failed(connector.ReadFailed(e));
        }
    }

    /// <summary>
    /// Copies bytes of column <paramref name="ordinal"/> from byte <paramref name="position"/> on (for
    /// <see cref="ColumnStream.ReadColumnAsync"/>, which has checked the row): a column that fits the buffer, or one a
    /// getter already read whole, from there; a large one from the socket, forward only. 0 at the end of the value.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> ReadAsync(int ordinal, long position, Memory<byte> destination, bool async, CancellationToken cancellationToken)
    {
        await SeekAsync(ordinal, async, cancellationToken).ConfigureAwait(false);
        if (_length <= connector.ReadBuffer.ConfiguredSize) await LoadAsync(ordinal, async, cancellationToken).ConfigureAwait(false);
        bool hex = reader.Columns!.IsTextBytea(ordinal);
        if (_buffered || _largeValue is not null || _length <= 0) return ColumnStream.CopyValue(reader, ordinal, position, destination.Span);
        var buffer = connector.ReadBuffer;
        using var registration = connector.Cancellation.RegisterCancel(cancellationToken);
        try
        {
            if (hex)
            {
                // bytea as hex text ("\x" and two digits a byte): decoded as it arrives, a buffer at a time.
                if (_consumed == 0)
                {
                    await buffer.EnsurePartialAsync(2, async, CancellationToken.None).ConfigureAwait(false);
                    if (buffer.PartialSpan(2) is not [(byte)'\\', (byte)'x'])
                        throw new PgConversionException($"Column \"{reader.Columns!.Names[ordinal]}\" holds bytea text that does not start with \\x.");
                    buffer.ConsumePartial(2);
                    _consumed = 2;
                }
                CheckForward(2 + 2 * position, ordinal);
                int pairs = (int)Math.Min(Math.Min(destination.Length, (_length - _consumed) / 2), buffer.ConfiguredSize / 2);
                if (pairs == 0) return 0;
                await buffer.EnsurePartialAsync(2 * pairs, async, CancellationToken.None).ConfigureAwait(false);
                if (!DecodeHex(buffer.PartialSpan(2 * pairs), destination.Span))
                    throw new PgConversionException($"Column \"{reader.Columns!.Names[ordinal]}\" holds bytea text that is not hex.");
                buffer.ConsumePartial(2 * pairs);
                _consumed += 2 * pairs;
                return pairs;
            }
            CheckForward(position, ordinal);
            int want = (int)Math.Min(destination.Length, _length - _consumed);
            if (want == 0) return 0;
            int read = await buffer.ReadPartialAsync(destination[..want], async, CancellationToken.None).ConfigureAwait(false);
            _consumed += read;
            return read;
        }
        catch (Exception e) when (IsReadFailure(e))
        {
            throw reader.Failed(connector.ReadFailed(e));
        }
    }

    private void CheckForward(long rawPosition, int ordinal)
    {
        if (rawPosition != _consumed)
            throw new InvalidOperationException(
                $"With CommandBehavior.SequentialAccess column {ordinal} is read forward only: it continues where the last read ended, not at another offset.");
    }

    private static bool DecodeHex(ReadOnlySpan<byte> hex, Span<byte> destination)
    {
        for (int i = 0; i < hex.Length / 2; i++)
        {
            int high = HexDigit(hex[2 * i]), low = HexDigit(hex[2 * i + 1]);
            if ((high | low) < 0) return false;
            destination[i] = (byte)(high << 4 | low);
        }
        return true;
    }

    private static int HexDigit(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };

    private static bool IsReadFailure(Exception e) =>
        e is PgException or OperationCanceledException or ObjectDisposedException or IOException;

    private static PgProtocolException Malformed(string what) =>
        new($"The server sent a malformed 'D' message: {what}. The connection was closed.");
}
