using System.Buffers.Binary;

namespace PgWire.Types;

/// <summary>
/// interval as TimeSpan; also readable as <see cref="PgInterval"/>, which loses nothing. The wire value is an int64 of
/// microseconds, an int32 of days and an int32 of months (interval_recv in src/backend/utils/adt/timestamp.c).
/// A TimeSpan is days * 24 h + microseconds; an interval with months has no TimeSpan (a month has no fixed length)
/// and is refused rather than guessed at.
/// A TimeSpan is sent as whole days plus the rest, as Npgsql does (36 h is "1 day 12:00:00"); sub-microsecond
/// ticks are dropped (toward zero, so the printed value loses its 7th fractional digit).
/// </summary>
internal sealed class IntervalCodec() : PgTypeCodec<TimeSpan>(DateTimeOids.Interval, "interval"), IPgReader<PgInterval>, IPgReader<string>
{
    public override TimeSpan Read(ReadOnlySpan<byte> data, bool binary)
    {
        var value = ReadValue(data, binary);
        if (value.Months != 0)
        {
            throw new PgConversionException(
                $"The interval value {TemporalTextFormatter.Interval(value)} has months, which TimeSpan cannot hold " +
                "without assuming a month's length; read it as PgInterval (GetFieldValue<PgInterval>).",
                PgErrorCodes.IntervalFieldOverflow);
        }
        try
        {
            return new TimeSpan(checked(value.Days * TimeSpan.TicksPerDay + value.Microseconds * PgCalendar.TicksPerMicro));
        }
        catch (OverflowException)
        {
            throw new PgConversionException(
                $"The interval value {TemporalTextFormatter.Interval(value)} is outside the range of .NET TimeSpan; " +
                "read it as PgInterval (GetFieldValue<PgInterval>).", PgErrorCodes.IntervalFieldOverflow);
        }
    }

    PgInterval IPgReader<PgInterval>.Read(ReadOnlySpan<byte> data, bool binary) => ReadValue(data, binary);

    /// <summary>The server's text; from binary, printed as IntervalStyle postgres (the server's default) prints it.</summary>
    string IPgReader<string>.Read(ReadOnlySpan<byte> data, bool binary) =>
        binary ? TemporalTextFormatter.Interval(ReadValue(data, binary)) : System.Text.Encoding.UTF8.GetString(data);

    private PgInterval ReadValue(ReadOnlySpan<byte> data, bool binary)
    {
        if (!binary)
            return TemporalTextParser.TryParseInterval(data, out var parsed) ? parsed : throw Conversion.BadText(DataTypeName, data);
        if (data.Length != 16) throw Conversion.BadLength(DataTypeName, data.Length, 16);
        return new PgInterval(
            Months: BinaryPrimitives.ReadInt32BigEndian(data[12..]),
            Days: BinaryPrimitives.ReadInt32BigEndian(data[8..]),
            Microseconds: BinaryPrimitives.ReadInt64BigEndian(data));
    }

    public override int GetLength(TimeSpan value) => 16;

    public override void Write(TimeSpan value, Span<byte> destination) => Write(FromTimeSpan(value), destination);

    // Overridden at the object level so that a PgInterval is written as it is, months included.
    public override int GetLength(object value)
    {
        _ = ToWire(value);
        return 16;
    }

    public override void Write(object value, Span<byte> destination) => Write(ToWire(value), destination);

    private PgInterval ToWire(object value) => value switch
    {
        TimeSpan s => FromTimeSpan(s),
        PgInterval i => i,
        _ => throw Conversion.CannotWrite(value, DataTypeName),
    };

    private static PgInterval FromTimeSpan(TimeSpan value)
    {
        long micros = value.Ticks / PgCalendar.TicksPerMicro;
        // TimeSpan's range is about 10.7 million days, well within int32.
        int days = (int)(micros / PgCalendar.MicrosPerDay);
        return new PgInterval(0, days, micros - days * PgCalendar.MicrosPerDay);
    }

    private static void Write(PgInterval value, Span<byte> destination)
    {
        BinaryPrimitives.WriteInt64BigEndian(destination, value.Microseconds);
        BinaryPrimitives.WriteInt32BigEndian(destination[8..], value.Days);
        BinaryPrimitives.WriteInt32BigEndian(destination[12..], value.Months);
    }
}
