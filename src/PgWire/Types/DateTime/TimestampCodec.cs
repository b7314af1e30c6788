namespace PgWire.Types;

/// <summary>
/// timestamp (without time zone) as DateTime of Kind Unspecified: a clock reading, not an instant.
/// Any DateTime can be sent, whatever its Kind; its clock reading is written as it is, never shifted to or from UTC
/// (a Kind Utc DateTime goes to timestamptz unless PgDbType.Timestamp names this type).
/// </summary>
internal sealed class TimestampCodec() : TimestampCodecBase(DateTimeOids.Timestamp, "timestamp without time zone", withZone: false)
{
    protected override long ToWire(object value) => value switch
    {
        DateTime d => ToWire(d),
        DateTimeOffset => throw new PgConversionException(
            "A DateTimeOffset cannot be sent as timestamp without time zone, which has no offset to keep: send it as " +
            "timestamp with time zone (PgDbType.TimestampTz, the default for DateTimeOffset), or pass its DateTime " +
            "(the clock reading) or UtcDateTime explicitly.", PgErrorCodes.DatatypeMismatch),
        _ => throw Conversion.CannotWrite(value, DataTypeName),
    };

    protected override long ToWire(DateTime value) =>
        TryInfinity(value, out long wire) ? wire : PgCalendar.ToMicros(value);
}
