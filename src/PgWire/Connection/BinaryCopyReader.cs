using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using PgWire.Types;

namespace PgWire.Connection;

/// <summary>
/// Decodes the rows of COPY TO STDOUT (FORMAT binary) from the server's CopyData messages, in place (PostgreSQL
/// documentation, COPY, "Binary Format"). The server sends each row in one CopyData (the header rides with the first),
/// so a row's values are read without I/O; every length is checked against its message's end. Values go through the
/// codec of the column's type when it is known, else the one <see cref="PgDbType"/> names or the .NET type asked for.
/// </summary>
internal sealed class BinaryCopyReader
{
    private static ReadOnlySpan<byte> Signature => [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', 0x0A, 0xFF, 0x0D, 0x0A, 0x00];

    private readonly CopyOperation _copy;
    private readonly PgTypeRegistry _registry;
    private readonly PgTypeCodec?[]? _columnCodecs;
    private int _offset;
    private int _length;
    private bool _headerRead;
    private bool _ended;
    private int _column = -1;
    private int _fieldCount;
    /// <summary>The CopyData values are read from: its bytes are _bytes[_base .. _base + _length] (the read buffer's own array).</summary>
    private byte[] _bytes = [];
    private int _base;

    /// <summary>The current CopyData's body; built from the array rather than a ReadOnlyMemory, whose Span is dearer per value.</summary>
    private ReadOnlySpan<byte> Body => new(_bytes, _base, _length);

    /// <summary>"1", "2", ...: how errors name the columns (COPY data carries no names).</summary>
    private readonly string[] _columnNames;

    public BinaryCopyReader(CopyOperation copy, PgTypeRegistry registry, uint[]? columnTypes)
    {
        _copy = copy;
        _registry = registry;
        ColumnCount = copy.Response.ColumnCount;
        _columnNames = new string[ColumnCount];
        for (int i = 0; i < ColumnCount; i++) _columnNames[i] = (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (columnTypes is not null && columnTypes.Length == ColumnCount)
        {
            _columnCodecs = new PgTypeCodec?[ColumnCount];
            for (int i = 0; i < ColumnCount; i++) _columnCodecs[i] = registry.Find(columnTypes[i]);
        }
    }

    public int ColumnCount { get; }

    /// <summary>The column codecs when the columns' types are known (for reading values as their default .NET types).</summary>
    public bool KnowsColumnTypes => _columnCodecs is not null;

    /// <summary>The data has ended (the trailer, or the COPY's end, was read).</summary>
    public bool Ended => _ended;

    /// <summary>The column of the value read next; -1 outside a row.</summary>
    public int Column => _column;

    /// <summary>Moves to the next row: its column count, or -1 after the last row (the COPY is then over).</summary>
    public ValueTask<int> StartRowAsync(bool async, CancellationToken cancellationToken)
    {
        if (_ended) return new ValueTask<int>(-1);
        SkipRestOfRow();
        if (_offset >= _length && _headerRead)
        {
            // The common case: the next row's CopyData is already buffered, taken without an async state machine.
            var next = _copy.ReadCopyDataAsync(async, cancellationToken);
            if (!next.IsCompletedSuccessfully) return StartRowAfterReadAsync(next, async, cancellationToken);
            if (!next.Result) return new ValueTask<int>(EndOfData());
            TakeMessage();
        }
        if (_offset < _length && _headerRead)
        {
            int count = TakeRowStart();
            if (count >= 0) return new ValueTask<int>(count);
            return EndAsync(async, cancellationToken);
        }
        return StartRowSlowAsync(async, cancellationToken);
    }

    /// <summary>The CopyData just read becomes the one values are read from (valid until the next read).</summary>
    private void TakeMessage()
    {
        var segment = _copy.MessageSegment;
        _bytes = segment.Array!;
        _base = segment.Offset;
        _length = segment.Count;
        _offset = 0;
    }

    private int EndOfData()
    {
        _ended = true;
        _column = -1;
        return -1;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> StartRowAfterReadAsync(ValueTask<bool> read, bool async, CancellationToken cancellationToken)
    {
        if (!await read.ConfigureAwait(false)) return EndOfData();
        TakeMessage();
        return await StartRowSlowAsync(async, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>After the trailer: reads the COPY's end (CopyDone, CommandComplete, ReadyForQuery).</summary>
    private async ValueTask<int> EndAsync(bool async, CancellationToken cancellationToken)
    {
        await _copy.ReadToEndAsync(async, cancellationToken).ConfigureAwait(false);
        return -1;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> StartRowSlowAsync(bool async, CancellationToken cancellationToken)
    {
        while (_offset >= _length)
        {
            // False: the COPY ended without a trailer (a server that sent no rows in a format it still calls binary).
            if (!await _copy.ReadCopyDataAsync(async, cancellationToken).ConfigureAwait(false)) return EndOfData();
            TakeMessage();
            if (!_headerRead && _length > 0) ReadHeader();
        }
        int count = TakeRowStart();
        if (count < 0) await _copy.ReadToEndAsync(async, cancellationToken).ConfigureAwait(false);
        return count;
    }

    private void ReadHeader()
    {
        var body = Body;
        if (body.Length < Signature.Length + 8 || !body[..Signature.Length].SequenceEqual(Signature))
            throw _copy.Violation("a binary COPY header that is not PGCOPY's signature");
        int extension = BinaryPrimitives.ReadInt32BigEndian(body[(Signature.Length + 4)..]);
        if (extension < 0 || extension > body.Length - Signature.Length - 8)
            throw _copy.Violation($"a header extension of {extension} bytes that runs past its message");
        _offset = Signature.Length + 8 + extension;
        _headerRead = true;
    }

    private int TakeRowStart()
    {
        var body = Body;
        if (_length - _offset < 2) throw _copy.Violation("a row's field count cut off at the end of its message");
        short count = BinaryPrimitives.ReadInt16BigEndian(body[_offset..]);
        _offset += 2;
        if (count == -1)
        {
            _ended = true;
            _column = -1;
            return -1;
        }
        if (count < 0) throw _copy.Violation($"a negative field count ({count})");
        if (count != ColumnCount) throw _copy.Violation($"a row of {count} field(s) in a COPY of {ColumnCount} column(s)");
        _fieldCount = count;
        _column = 0;
        return count;
    }

    /// <summary>Skips what is left of the current row (a caller that moves on without reading every value).</summary>
    public void SkipRestOfRow()
    {
        while (_column >= 0 && _column < _fieldCount) Skip();
    }

    /// <summary>Whether the next value is NULL, without consuming it.</summary>
    public bool IsNull
    {
        get
        {
            CheckField();
            return FieldLength(out _) < 0;
        }
    }

    public void Skip()
    {
        CheckField();
        int length = FieldLength(out int start);
        _offset = start + Math.Max(length, 0);
        _column++;
    }

    /// <summary>The next value as <typeparamref name="T"/>; NULL is null for a type that holds it.</summary>
    public T Read<T>(PgDbType? type)
    {
        int column = _column;
        if ((uint)column >= (uint)_fieldCount) CheckField();
        int length = FieldLength(out int start);
        if (length < 0)
        {
            _offset = start;
            _column++;
            if (default(T) is null && typeof(T) != typeof(DBNull)) return default!;
            if (typeof(T) == typeof(DBNull)) return (T)(object)DBNull.Value;
            throw new InvalidCastException(
                $"COPY column {column + 1} is NULL, which {TypeNames.Of(typeof(T))} cannot hold; read it as {TypeNames.Of(typeof(T))}? or check IsNull first.");
        }
        var codec = type is null && _columnCodecs is { } codecs && codecs[column] is { } known ? known : CodecFor<T>(type, column);
        var data = new ReadOnlySpan<byte>(_bytes, _base + start, length);
        // Consumed before decoding: a value that does not convert leaves the reader on the next one.
        _offset = start + length;
        _column++;
        return ColumnValue.Read<T>(codec, data, binary: true, _columnNames[column]);
    }

    /// <summary>The next value as its column type's default .NET type (DBNull.Value for NULL), or as its bytes when the type is unknown.</summary>
    public object ReadObject()
    {
        CheckField();
        if (_columnCodecs?[_column] is null)
        {
            int length = FieldLength(out int start);
            _offset = start + Math.Max(length, 0);
            _column++;
            return length < 0 ? DBNull.Value : Body.Slice(start, length).ToArray();
        }
        return Read<object?>(null) ?? DBNull.Value;
    }

    private PgTypeCodec CodecFor<T>(PgDbType? type, int column)
    {
        if (type is { } named) return _registry.ForDbType(named);
        if (_columnCodecs?[column] is { } known) return known;
        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return (target == typeof(object) ? null : _registry.ForClrType(target))
            ?? throw new InvalidOperationException(
                $"The type of COPY column {column + 1} is not known and {TypeNames.Of(typeof(T))} does not name one: " +
                "read it with Read<T>(PgDbType) naming the column's type.");
    }

    private void CheckField()
    {
        if (_column < 0)
            throw new InvalidOperationException(_ended ? "The COPY has no more rows." : "Call StartRow before reading the values of a row.");
        if (_column >= _fieldCount)
            throw new InvalidOperationException($"The row's {_fieldCount} value(s) have all been read: call StartRow for the next row.");
    }

    /// <summary>The next field's length (-1 for NULL) and where its bytes start, checked against the message's end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int FieldLength(out int start)
    {
        if (_length - _offset < 4) throw _copy.Violation("a field length cut off at the end of its message");
        int length = BinaryPrimitives.ReadInt32BigEndian(new ReadOnlySpan<byte>(_bytes, _base + _offset, 4));
        start = _offset + 4;
        if (length < -1 || length > _length - start)
            throw _copy.Violation($"a field of {length} byte(s) where its message has {_length - start} left");
        return length;
    }
}
