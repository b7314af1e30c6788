using PgWire.Types;

namespace PgWire.Connection;

/// <summary>
/// Encodes rows of COPY FROM STDIN (FORMAT binary) straight into the open CopyData of the write buffer
/// (PostgreSQL documentation, COPY, "Binary Format"): the header, per tuple an Int16 field count, per field an Int32
/// length (-1 for NULL) and the value's binary form, and the trailer. Each value is written by the codec of its column's
/// type when that type is known (so a string reaches a jsonb or uuid column as that type), else by the codec that
/// <see cref="PgDbType"/> names or the value's .NET type picks, exactly as a parameter would be. A value type whose
/// codec is its own type is encoded without being boxed.
/// </summary>
internal sealed class BinaryCopyWriter
{
    /// <summary>The signature "PGCOPY\n\377\r\n\0", the flags (no OIDs) and an empty header extension.</summary>
    private static ReadOnlySpan<byte> Header => [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', 0x0A, 0xFF, 0x0D, 0x0A, 0x00, 0, 0, 0, 0, 0, 0, 0, 0];

    private readonly CopyOperation _copy;
    private readonly PgTypeRegistry _registry;
    private readonly PgTypeCodec?[]? _columnCodecs;
    private int _column = -1;

    public BinaryCopyWriter(CopyOperation copy, PgTypeRegistry registry, uint[]? columnTypes)
    {
        _copy = copy;
        _registry = registry;
        ColumnCount = copy.Response.ColumnCount;
        if (columnTypes is not null && columnTypes.Length == ColumnCount)
        {
            _columnCodecs = new PgTypeCodec?[ColumnCount];
            for (int i = 0; i < ColumnCount; i++)
                _columnCodecs[i] = registry.Find(columnTypes[i]) is { } codec && WritesBinary(codec) ? codec : null;
        }
        copy.OpenCopyData();
        copy.Data.WriteBytes(Header);
    }

    public int ColumnCount { get; }

    /// <summary>Rows started so far.</summary>
    public ulong Rows { get; private set; }

    /// <summary>Binary COPY needs every value in binary; text types' binary form is their text.</summary>
    private static bool WritesBinary(PgTypeCodec codec) => codec.ParameterFormat == 1 || codec is TextCodec;

    /// <summary>The bytes a row start takes (its field count).</summary>
    public const int RowStartLength = 2;

    /// <summary>Checks the row before is whole, then writes the new row's field count.</summary>
    public void StartRow()
    {
        CheckRowWhole();
        _copy.Data.WriteInt16((short)ColumnCount);
        _column = 0;
        Rows++;
    }

    /// <summary>Before the trailer: the last row must be whole.</summary>
    public void CheckRowWhole()
    {
        if (_column != -1 && _column != ColumnCount)
            throw new InvalidOperationException(
                $"Row {Rows} has {_column} value(s), but the COPY has {ColumnCount} column(s): write a value (or WriteNull) for every column.");
    }

    public void WriteTrailer() => _copy.Data.WriteInt16(-1);

    /// <summary>
    /// Resolves the next field's codec and encoded length (-1 for NULL), so the caller can make room before writing;
    /// throws <see cref="PgConversionException"/> for a value the column's type cannot hold.
    /// </summary>
    public int Measure<T>(T value, PgDbType? type, out PgTypeCodec? codec)
    {
        if (_column < 0)
            throw new InvalidOperationException("Call StartRow before writing the values of a row.");
        if (_column >= ColumnCount)
            throw new InvalidOperationException(
                $"Row {Rows} already has its {ColumnCount} value(s): the COPY has {ColumnCount} column(s). Call StartRow for the next row.");
        if (value is null || value is DBNull)
        {
            codec = null;
            return -1;
        }
        try
        {
            codec = Resolve(value, type);
#pragma warning disable CS8714 // T is the codec's own type only when it is not nullable.
            return codec is PgTypeCodec<T> typed ? typed.GetLength(value) : codec.GetLength(value);
#pragma warning restore CS8714
        }
        catch (PgConversionException e)
        {
            throw InField(e);
        }
    }

    /// <summary>Writes the field measured last, <paramref name="length"/> bytes after its length word.</summary>
    public void Write<T>(T value, PgTypeCodec? codec, int length)
    {
        var data = _copy.Data;
        if (length < 0 || codec is null)
        {
            data.WriteInt32(-1);
            _column++;
            return;
        }
        var span = data.GetSpan(4 + length);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(span, length);
        try
        {
#pragma warning disable CS8714
            if (codec is PgTypeCodec<T> typed) typed.Write(value!, span[4..]);
#pragma warning restore CS8714
            else codec.Write(value!, span[4..]);
        }
        catch (PgConversionException e)
        {
            throw InField(e);
        }
        _column++;
    }

    private PgTypeCodec Resolve<T>(T value, PgDbType? type)
    {
        if (type is { } named)
        {
            var codec = _registry.ForDbType(named);
            return WritesBinary(codec) ? codec : throw NoBinaryForm(codec);
        }
        if (_columnCodecs?[_column] is { } column) return column;
        var byValue = (typeof(T) == typeof(object) ? null : _registry.ForClrType(typeof(T))) ?? _registry.ForValue(value!)
            ?? throw new PgConversionException(
                $"A {value!.GetType().FullName} cannot be written to COPY column {_column + 1}: PgWire does not know how to send that type. " +
                "Pass a supported type or name the column's type with a PgDbType.", PgErrorCodes.DatatypeMismatch);
        return WritesBinary(byValue) ? byValue : throw NoBinaryForm(byValue);
    }

    private static PgConversionException NoBinaryForm(PgTypeCodec codec) =>
        new($"PgWire has no binary form for PostgreSQL type {codec.DataTypeName}, which binary COPY needs; use a text COPY (BeginTextImport) for it.",
            PgErrorCodes.FeatureNotSupported);

    private PgConversionException InField(PgConversionException e) =>
        new($"COPY row {Rows}, column {_column + 1}: {e.Message}", e.SqlState, e)
        {
            MessageWithoutValue = e.MessageWithoutValue is null ? null : $"COPY row {Rows}, column {_column + 1}: {e.MessageWithoutValue}",
        };
}
