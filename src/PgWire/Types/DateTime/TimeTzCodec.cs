using System.Buffers.Binary;

namespace PgWire.Types;

/// <summary>
/// timetz (time with time zone) as DateTimeOffset. The wire value is an int64 count of microseconds since midnight
/// and an int32 zone in seconds WEST of UTC, the opposite sign of ISO 8601's offset (timetz_recv in
/// src/backend/utils/adt/date.c): +05:30 travels as -19800.
/// </summary>
/// <remarks>
/// A timetz has no date, a DateTimeOffset must have one: reads give 0001-01-02, the first day on which every offset
/// .NET allows (±14:00) still leaves the UTC instant inside DateTimeOffset's range (Npgsql picks the same day).
/// Sending uses the DateTimeOffset's clock time of day and its offset; its date is ignored.
/// PostgreSQL allows offsets to ±15:59:59 with seconds and the time 24:00:00; DateTimeOffset holds whole minutes
/// to ±14:00 and no 24:00, so such values are refused as DateTimeOffset and read as String instead.
/// </remarks>
internal sealed class TimeTzCodec() : PgTypeCodec<DateTimeOffset>(DateTimeOids.TimeTz, "time with time zone"), IPgReader<string>
{
    private static readonly long DateTicks = new DateTime(1, 1, 2).Ticks;
    private const int MaxDotNetOffsetSeconds = 14 * 3600;

    // TZDISP_LIMIT in src/include/utils/datetime.h: the server keeps zones strictly within 16 hours.
    private const int ZoneLimitSeconds = 16 * 3600;

    public override DateTimeOffset Read(ReadOnlySpan<byte> data, bool binary)
    {
        var (micros, zone) = ReadValue(data, binary);
        if (micros == PgCalendar.MicrosPerDay || zone % 60 != 0 || Math.Abs(zone) > MaxDotNetOffsetSeconds)
        {
            throw DateTimeConversion.OutOfRange(DataTypeName, TemporalTextFormatter.Time(micros, zone), "DateTimeOffset",
                "DateTimeOffset has no time 24:00:00 and holds offsets in whole minutes up to ±14:00; " +
                "read it as String (GetFieldValue<string>).");
        }
        return new DateTimeOffset(DateTicks + micros * PgCalendar.TicksPerMicro, TimeSpan.FromSeconds(-zone));
    }

    string IPgReader<string>.Read(ReadOnlySpan<byte> data, bool binary)
    {
        if (!binary) return System.Text.Encoding.UTF8.GetString(data);
        var (micros, zone) = ReadValue(data, binary);
        return TemporalTextFormatter.Time(micros, zone);
    }

    private (long Micros, int ZoneSecondsWest) ReadValue(ReadOnlySpan<byte> data, bool binary)
    {
        long micros;
        int zone;
        if (binary)
        {
            if (data.Length != 12) throw Conversion.BadLength(DataTypeName, data.Length, 12);
            micros = BinaryPrimitives.ReadInt64BigEndian(data);
            zone = BinaryPrimitives.ReadInt32BigEndian(data[8..]);
        }
        else if (!TemporalTextParser.TryParseTime(data, withZone: true, out micros, out zone))
        {
            throw Conversion.BadText(DataTypeName, data);
        }
        if (micros is < 0 or > PgCalendar.MicrosPerDay)
            throw DateTimeConversion.Invalid(DataTypeName, $"{micros} microseconds is not a time of day");
        if (zone is <= -ZoneLimitSeconds or >= ZoneLimitSeconds)
            throw DateTimeConversion.Invalid(DataTypeName, $"a zone {zone} seconds west of UTC is beyond ±16 hours");
        return (micros, zone);
    }

    public override int GetLength(DateTimeOffset value) => 12;

    public override void Write(DateTimeOffset value, Span<byte> destination)
    {
        BinaryPrimitives.WriteInt64BigEndian(destination, value.TimeOfDay.Ticks / PgCalendar.TicksPerMicro);
        BinaryPrimitives.WriteInt32BigEndian(destination[8..], -(int)(value.Offset.Ticks / TimeSpan.TicksPerSecond));
    }
}
