namespace PgWire.Types;

/// <summary>
/// timestamptz (timestamp with time zone) as DateTime of Kind Utc; also readable as DateTimeOffset (offset 0).
/// The wire value is a UTC instant whatever the session's TimeZone, so nothing here depends on it.
/// Sent from a DateTime of Kind Utc, or from a DateTimeOffset of any offset (its instant, UtcTicks: the offset
/// itself is not stored by PostgreSQL). A DateTime of Kind Local or Unspecified is refused rather than guessed at,
/// as Npgsql does; DateTime.MaxValue and MinValue are the exception, meaning infinity whatever their Kind.
/// </summary>
internal sealed class TimestampTzCodec() : TimestampCodecBase(DateTimeOids.TimestampTz, "timestamp with time zone", withZone: true),
    IPgReader<DateTimeOffset>
{
    DateTimeOffset IPgReader<DateTimeOffset>.Read(ReadOnlySpan<byte> data, bool binary)
    {
        long micros = ReadMicros(data, binary);
        if (micros == long.MaxValue) return DateTimeOffset.MaxValue;
        if (micros == long.MinValue) return DateTimeOffset.MinValue;
        return PgCalendar.TryToDateTime(micros, DateTimeKind.Utc, out var value)
            ? new DateTimeOffset(value.Ticks, TimeSpan.Zero)
            : throw OutOfRange(micros, "DateTimeOffset");
    }

    protected override long ToWire(object value) => value switch
    {
        DateTime d => ToWire(d),
        DateTimeOffset o when o.UtcTicks == DateTime.MaxValue.Ticks => long.MaxValue,
        DateTimeOffset o when o.UtcTicks == DateTime.MinValue.Ticks => long.MinValue,
        DateTimeOffset o => PgCalendar.ToMicros(o.UtcDateTime),
        _ => throw Conversion.CannotWrite(value, DataTypeName),
    };

    protected override long ToWire(DateTime value)
    {
        if (TryInfinity(value, out long wire)) return wire;
        if (value.Kind != DateTimeKind.Utc) throw DateTimeConversion.NotUtc(value);
        return PgCalendar.ToMicros(value);
    }
}
