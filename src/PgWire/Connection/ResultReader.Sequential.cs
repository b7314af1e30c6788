using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using PgWire.Protocol;

namespace PgWire.Connection;

/// <summary>
/// Rows larger than the receive buffer under CommandBehavior.SequentialAccess: the engine hands the DataRow over once its
/// header has arrived, and its columns are read from the socket in order as the caller asks for them. A column that
/// fits the buffer's configured size is buffered whole when asked for; a larger one is streamed (GetStream, GetBytes,
/// GetChars, GetTextReader) or, for a typed getter, read whole into one array of its size. Memory stays bounded by the
/// buffer, not the row.
/// </summary>
internal sealed partial class ResultReader
{
    /// <summary>The current row is read from the socket column by column.</summary>
    private bool _rowStreamed;

    /// <summary>Counts the rows read, so a stream opened on one row knows when the reader has moved on.</summary>
    private int _rowVersion;

    /// <summary>-2: the row's column count is not read yet; -1: no column reached; else the column whose length was read last.</summary>
    private int _streamColumn;

    /// <summary>The length of <see cref="_streamColumn"/> (-1 for NULL).</summary>
    private int _streamLength;

    /// <summary>Bytes of <see cref="_streamColumn"/> taken from the socket by a stream, GetBytes or GetChars.</summary>
    private int _streamConsumed;

    /// <summary>The bytes of <see cref="_streamColumn"/> are whole in the receive buffer at its read position.</summary>
    private bool _streamBuffered;

    /// <summary><see cref="_streamColumn"/>, larger than the buffer, read whole for a typed getter.</summary>
    private byte[]? _largeValue;

    public bool RowStreamed => _rowStreamed;

    public int RowVersion => _rowVersion;

    private void StartStreamedRow()
    {
        _rowStreamed = true;
        _streamColumn = -2;
        _streamLength = 0;
        _streamConsumed = 0;
        _streamBuffered = false;
        _largeValue = null;
    }

    private int StreamedLength(int ordinal)
    {
        SeekAsync(ordinal, async: false, CancellationToken.None).GetAwaiter().GetResult();
        return _streamLength;
    }

    private ReadOnlySpan<byte> StreamedValue(int ordinal)
    {
        LoadAsync(ordinal, async: false, CancellationToken.None).GetAwaiter().GetResult();
        if (_streamLength <= 0) return default;
        return _largeValue ?? connector.ReadBuffer.PartialSpan(_streamLength);
    }

    /// <summary>Whether column <paramref name="ordinal"/> of the current row is read from the socket as it is consumed.</summary>
    public bool IsStreamedFromSocket(int ordinal) => _rowStreamed && StreamedLength(ordinal) > connector.ReadBuffer.ConfiguredSize;

    /// <summary>
    /// Makes column <paramref name="ordinal"/> of a streamed row readable whole: buffered when it fits the buffer, else
    /// read into an array of its size. Async callers (GetFieldValueAsync) come here first, so the getter that follows
    /// does no I/O.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask LoadAsync(int ordinal, bool async, CancellationToken cancellationToken)
    {
        await SeekAsync(ordinal, async, cancellationToken).ConfigureAwait(false);
        if (_streamLength <= 0 || _streamBuffered || _largeValue is not null) return;
        if (_streamConsumed > 0)
            throw new InvalidOperationException(
                $"Column {ordinal} of this row was already read in part (GetStream, GetBytes or GetChars); with CommandBehavior.SequentialAccess " +
                "a column is read once, from the start to the end.");
        var buffer = connector.ReadBuffer;
        using var registration = connector.Cancellation.RegisterCancel(cancellationToken);
        try
        {
            if (_streamLength <= buffer.ConfiguredSize)
            {
                await buffer.EnsurePartialAsync(_streamLength, async, CancellationToken.None).ConfigureAwait(false);
                _streamBuffered = true;
                return;
            }
            var value = new byte[_streamLength];
            int filled = 0;
            while (filled < value.Length)
                filled += await buffer.ReadPartialAsync(value.AsMemory(filled), async, CancellationToken.None).ConfigureAwait(false);
            _streamConsumed = value.Length;
            _largeValue = value;
        }
        catch (Exception e) when (IsReadFailure(e))
        {
            throw Failed(connector.ReadFailed(e));
        }
    }

    /// <summary>Moves a streamed row to column <paramref name="ordinal"/> and reads its length; columns only go forward.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask SeekAsync(int ordinal, bool async, CancellationToken cancellationToken)
    {
        if (!_rowStreamed || ordinal == _streamColumn) return;
        if (ordinal < _streamColumn)
            throw new InvalidOperationException(
                $"With CommandBehavior.SequentialAccess the columns of a row are read in order: column {ordinal} comes before column " +
                $"{_streamColumn}, which was read already.");
        var buffer = connector.ReadBuffer;
        using var registration = connector.Cancellation.RegisterCancel(cancellationToken);
        try
        {
            if (_streamColumn == -2)
            {
                await buffer.EnsurePartialAsync(2, async, CancellationToken.None).ConfigureAwait(false);
                int count = BinaryPrimitives.ReadUInt16BigEndian(buffer.PartialSpan(2));
                buffer.ConsumePartial(2);
                if (count != Columns!.Count) throw Malformed($"{count} column(s) where the description has {Columns.Count}");
                _streamColumn = -1;
            }
            else if (_streamColumn >= 0 && _largeValue is null && _streamLength > _streamConsumed)
            {
                await buffer.SkipPartialAsync(_streamLength - _streamConsumed, async, CancellationToken.None).ConfigureAwait(false);
            }
            while (_streamColumn < ordinal)
            {
                await buffer.EnsurePartialAsync(4, async, CancellationToken.None).ConfigureAwait(false);
                int length = BinaryPrimitives.ReadInt32BigEndian(buffer.PartialSpan(4));
                buffer.ConsumePartial(4);
                if (length < -1 || length > buffer.PartialRemaining)
                    throw Malformed($"a column of length {length} where {buffer.PartialRemaining} byte(s) are left");
                _streamColumn++;
                _streamLength = length;
                _streamConsumed = 0;
                _streamBuffered = false;
                _largeValue = null;
                if (_streamColumn < ordinal && length > 0)
                {
                    await buffer.SkipPartialAsync(length, async, CancellationToken.None).ConfigureAwait(false);
                    _streamConsumed = length;
                }
            }
        }
        catch (Exception e) when (IsReadFailure(e))
        {
            throw Failed(connector.ReadFailed(e));
        }
    }

    /// <summary>
    /// Copies bytes of column <paramref name="ordinal"/> from byte <paramref name="position"/> on, for the row
    /// <paramref name="version"/> a stream or GetBytes was opened on: from the buffered row, or for a large column of a
    /// streamed row, from the socket (then only forward). 0 at the end of the value.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> ReadColumnAsync(int ordinal, int version, long position, Memory<byte> destination, bool async,
        CancellationToken cancellationToken)
    {
        if (version != _rowVersion || _phase != Phase.OnRow || (_rowStreamed && ordinal < _streamColumn))
            throw new InvalidOperationException("The value was read from a row (or column) the data reader has since moved past.");
        if (_rowStreamed)
        {
            await SeekAsync(ordinal, async, cancellationToken).ConfigureAwait(false);
            if (_streamLength <= connector.ReadBuffer.ConfiguredSize) await LoadAsync(ordinal, async, cancellationToken).ConfigureAwait(false);
        }
        bool hex = IsTextBytea(ordinal);
        if (!_rowStreamed || _streamBuffered || _largeValue is not null || _streamLength <= 0)
        {
            // A first run's bytea is hex text: decoded whole (a buffered value, or one a getter already read whole).
            ReadOnlySpan<byte> value = hex ? GetFieldValue<byte[]>(ordinal) : GetBytes(ordinal);
            if (position >= value.Length) return 0;
            int n = (int)Math.Min(destination.Length, value.Length - position);
            value.Slice((int)position, n).CopyTo(destination.Span);
            return n;
        }
        var buffer = connector.ReadBuffer;
        using var registration = connector.Cancellation.RegisterCancel(cancellationToken);
        try
        {
            if (hex)
            {
                // bytea as hex text ("\x" and two digits a byte): decoded as it arrives, a buffer at a time.
                if (_streamConsumed == 0)
                {
                    await buffer.EnsurePartialAsync(2, async, CancellationToken.None).ConfigureAwait(false);
                    if (buffer.PartialSpan(2) is not [(byte)'\\', (byte)'x'])
                        throw new PgConversionException($"Column \"{Columns!.Names[ordinal]}\" holds bytea text that does not start with \\x.");
                    buffer.ConsumePartial(2);
                    _streamConsumed = 2;
                }
                CheckForward(2 + 2 * position, ordinal);
                int pairs = (int)Math.Min(Math.Min(destination.Length, (_streamLength - _streamConsumed) / 2), buffer.ConfiguredSize / 2);
                if (pairs == 0) return 0;
                await buffer.EnsurePartialAsync(2 * pairs, async, CancellationToken.None).ConfigureAwait(false);
                if (!DecodeHex(buffer.PartialSpan(2 * pairs), destination.Span))
                    throw new PgConversionException($"Column \"{Columns!.Names[ordinal]}\" holds bytea text that is not hex.");
                buffer.ConsumePartial(2 * pairs);
                _streamConsumed += 2 * pairs;
                return pairs;
            }
            CheckForward(position, ordinal);
            int want = (int)Math.Min(destination.Length, _streamLength - _streamConsumed);
            if (want == 0) return 0;
            int read = await buffer.ReadPartialAsync(destination[..want], async, CancellationToken.None).ConfigureAwait(false);
            _streamConsumed += read;
            return read;
        }
        catch (Exception e) when (IsReadFailure(e))
        {
            throw Failed(connector.ReadFailed(e));
        }
    }

    private void CheckForward(long rawPosition, int ordinal)
    {
        if (rawPosition != _streamConsumed)
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

    /// <summary>A first run's bytea column: hex text rather than the bytes.</summary>
    public bool IsTextBytea(int ordinal) => Columns!.Codecs[ordinal] is Types.ByteaCodec && !Columns.Binary[ordinal];

    /// <summary>The length in bytes of a column's value as the caller reads it (a hex bytea's decoded length); -1 for NULL.</summary>
    public long ValueLength(int ordinal)
    {
        int raw = GetLength(ordinal);
        return raw >= 2 && IsTextBytea(ordinal) ? (raw - 2) / 2 : raw;
    }

    private static bool IsReadFailure(Exception e) =>
        e is PgException or OperationCanceledException or ObjectDisposedException or IOException;

    private PgProtocolException Malformed(string what) =>
        new($"The server sent a malformed 'D' message: {what}. The connection was closed.");
}
