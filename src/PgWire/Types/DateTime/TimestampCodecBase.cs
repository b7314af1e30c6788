using System.Buffers.Binary;

namespace PgWire.Types;

/// <summary>
/// What timestamp and timestamptz share: the wire value is an int64 count of microseconds since 2000-01-01 00:00
/// (timestamp_recv in src/backend/utils/adt/timestamp.c), with int64 max and min for infinity and -infinity; for
/// timestamptz the count is of a UTC instant. Infinity maps to DateTime.MaxValue and -infinity to DateTime.MinValue
/// (of the column's Kind when read; of any Kind when sent).
/// </summary>
internal abstract class TimestampCodecBase : PgTypeCodec<DateTime>, IPgReader<string>
{
    private readonly bool _withZone;
    private readonly DateTimeKind _kind;

    protected TimestampCodecBase(uint oid, string dataTypeName, bool withZone)
        : base(oid, dataTypeName)
    {
        _withZone = withZone;
        _kind = withZone ? DateTimeKind.Utc : DateTimeKind.Unspecified;
    }

    public override DateTime Read(ReadOnlySpan<byte> data, bool binary)
    {
        long micros = ReadMicros(data, binary);
        // Infinity keeps the column's Kind too, so a timestamptz read and sent back is inferred as timestamptz again.
        if (micros == long.MaxValue) return DateTime.SpecifyKind(DateTime.MaxValue, _kind);
        if (micros == long.MinValue) return DateTime.SpecifyKind(DateTime.MinValue, _kind);
        return PgCalendar.TryToDateTime(micros, _kind, out var value) ? value : throw OutOfRange(micros, "DateTime");
    }

    /// <summary>
    /// The server's text for the value. From binary it is printed as the server prints it with DateStyle ISO;
    /// a timestamptz then shows its UTC instant (<c>+00</c>), whatever the session's TimeZone.
    /// </summary>
    string IPgReader<string>.Read(ReadOnlySpan<byte> data, bool binary) =>
        binary ? TemporalTextFormatter.Timestamp(ReadMicros(data, binary), _withZone ? 0 : null) : System.Text.Encoding.UTF8.GetString(data);

    protected long ReadMicros(ReadOnlySpan<byte> data, bool binary)
    {
        if (!binary)
            return TemporalTextParser.TryParseTimestamp(data, _withZone, out long parsed) ? parsed : throw Conversion.BadText(DataTypeName, data);
        if (data.Length != 8) throw Conversion.BadLength(DataTypeName, data.Length, 8);
        return BinaryPrimitives.ReadInt64BigEndian(data);
    }

    protected PgConversionException OutOfRange(long micros, string target) =>
        DateTimeConversion.OutOfRange(DataTypeName, TemporalTextFormatter.Timestamp(micros, _withZone ? 0 : null), target,
            "read it as String (GetFieldValue<string>).");

    public override int GetLength(DateTime value)
    {
        _ = ToWire(value);
        return 8;
    }

    public override void Write(DateTime value, Span<byte> destination) =>
        BinaryPrimitives.WriteInt64BigEndian(destination, ToWire(value));

    // Overridden at the object level so that a parameter value is converted once to the wire count, not to DateTime
    // first: a DateTimeOffset, for one, carries its instant in UtcTicks.
    public override int GetLength(object value)
    {
        _ = ToWire(value);
        return 8;
    }

    public override void Write(object value, Span<byte> destination) =>
        BinaryPrimitives.WriteInt64BigEndian(destination, ToWire(value));

    protected abstract long ToWire(object value);

    protected abstract long ToWire(DateTime value);

    /// <summary>DateTime.MaxValue and MinValue are infinity and -infinity, whatever their Kind.</summary>
    protected static bool TryInfinity(DateTime value, out long wire)
    {
        wire = value == DateTime.MaxValue ? long.MaxValue : value == DateTime.MinValue ? long.MinValue : 0;
        return wire != 0;
    }
}
