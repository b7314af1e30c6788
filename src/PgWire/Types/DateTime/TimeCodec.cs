using System.Buffers.Binary;

namespace PgWire.Types;

/// <summary>
/// time (without time zone) as TimeOnly; also readable as TimeSpan. The wire value is an int64 count of
/// microseconds since midnight, from 00:00:00 to 24:00:00 inclusive (time_recv in src/backend/utils/adt/date.c).
/// 24:00:00 has no TimeOnly and is refused as one; it reads as a TimeSpan of one day.
/// Sent from TimeOnly, or from a TimeSpan between zero and one day; sub-microsecond ticks are dropped.
/// </summary>
internal sealed class TimeCodec() : PgTypeCodec<TimeOnly>(DateTimeOids.Time, "time without time zone"), IPgReader<TimeSpan>, IPgReader<string>
{
    public override TimeOnly Read(ReadOnlySpan<byte> data, bool binary)
    {
        long micros = ReadMicros(data, binary);
        return micros < PgCalendar.MicrosPerDay
            ? new TimeOnly(micros * PgCalendar.TicksPerMicro)
            : throw DateTimeConversion.OutOfRange(DataTypeName, TemporalTextFormatter.Time(micros), "TimeOnly",
                "read it as TimeSpan (GetFieldValue<TimeSpan>).");
    }

    TimeSpan IPgReader<TimeSpan>.Read(ReadOnlySpan<byte> data, bool binary) =>
        new(ReadMicros(data, binary) * PgCalendar.TicksPerMicro);

    string IPgReader<string>.Read(ReadOnlySpan<byte> data, bool binary) =>
        binary ? TemporalTextFormatter.Time(ReadMicros(data, binary)) : System.Text.Encoding.UTF8.GetString(data);

    private long ReadMicros(ReadOnlySpan<byte> data, bool binary)
    {
        long micros;
        if (binary)
        {
            if (data.Length != 8) throw Conversion.BadLength(DataTypeName, data.Length, 8);
            micros = BinaryPrimitives.ReadInt64BigEndian(data);
        }
        else if (!TemporalTextParser.TryParseTime(data, withZone: false, out micros, out _))
        {
            throw Conversion.BadText(DataTypeName, data);
        }
        return micros is >= 0 and <= PgCalendar.MicrosPerDay
            ? micros
            : throw DateTimeConversion.Invalid(DataTypeName, $"{micros} microseconds is not a time of day");
    }

    public override int GetLength(TimeOnly value) => 8;

    public override void Write(TimeOnly value, Span<byte> destination) =>
        BinaryPrimitives.WriteInt64BigEndian(destination, value.Ticks / PgCalendar.TicksPerMicro);

    // Overridden at the object level: a TimeSpan of exactly one day is the valid time 24:00:00, which TimeOnly cannot carry.
    public override int GetLength(object value)
    {
        _ = ToWire(value);
        return 8;
    }

    public override void Write(object value, Span<byte> destination) =>
        BinaryPrimitives.WriteInt64BigEndian(destination, ToWire(value));

    private long ToWire(object value) => value switch
    {
        TimeOnly t => t.Ticks / PgCalendar.TicksPerMicro,
        TimeSpan s when s >= TimeSpan.Zero && s.Ticks / PgCalendar.TicksPerMicro <= PgCalendar.MicrosPerDay => s.Ticks / PgCalendar.TicksPerMicro,
        TimeSpan s => throw DateTimeConversion.ParameterOutOfRange(s, DataTypeName,
            "00:00:00 to 24:00:00; send a longer or negative TimeSpan as interval, PgDbType.Interval"),
        _ => throw Conversion.CannotWrite(value, DataTypeName),
    };
}
