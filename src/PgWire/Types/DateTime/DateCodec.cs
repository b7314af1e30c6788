using System.Buffers.Binary;

namespace PgWire.Types;

/// <summary>
/// date as DateOnly; also readable as DateTime (Kind Unspecified, midnight). The wire value is an int32 count of
/// days since 2000-01-01 (date_recv in src/backend/utils/adt/date.c), int32 max and min for infinity and -infinity,
/// which map to DateOnly.MaxValue/MinValue and DateTime.MaxValue/MinValue in both directions.
/// A DateTime sent as date loses its time of day, as the server's own timestamp-to-date cast does.
/// </summary>
internal sealed class DateCodec() : PgTypeCodec<DateOnly>(DateTimeOids.Date, "date"), IPgReader<DateTime>, IPgReader<string>
{
    private const int NoEnd = int.MaxValue;
    private const int NoBegin = int.MinValue;
    private const int MinDays = -PgCalendar.EpochDayNumber;
    private static readonly int MaxDays = DateOnly.MaxValue.DayNumber - PgCalendar.EpochDayNumber;

    public override DateOnly Read(ReadOnlySpan<byte> data, bool binary)
    {
        int days = ReadDays(data, binary);
        return days switch
        {
            NoEnd => DateOnly.MaxValue,
            NoBegin => DateOnly.MinValue,
            _ when days >= MinDays && days <= MaxDays => DateOnly.FromDayNumber(days + PgCalendar.EpochDayNumber),
            _ => throw OutOfRange(days, "DateOnly"),
        };
    }

    DateTime IPgReader<DateTime>.Read(ReadOnlySpan<byte> data, bool binary)
    {
        int days = ReadDays(data, binary);
        return days switch
        {
            NoEnd => DateTime.MaxValue,
            NoBegin => DateTime.MinValue,
            _ when days >= MinDays && days <= MaxDays => DateOnly.FromDayNumber(days + PgCalendar.EpochDayNumber).ToDateTime(TimeOnly.MinValue),
            _ => throw OutOfRange(days, "DateTime"),
        };
    }

    string IPgReader<string>.Read(ReadOnlySpan<byte> data, bool binary) =>
        binary ? TemporalTextFormatter.Date(ReadDays(data, binary)) : System.Text.Encoding.UTF8.GetString(data);

    private int ReadDays(ReadOnlySpan<byte> data, bool binary)
    {
        if (!binary)
            return TemporalTextParser.TryParseDate(data, out int parsed) ? parsed : throw Conversion.BadText(DataTypeName, data);
        if (data.Length != 4) throw Conversion.BadLength(DataTypeName, data.Length, 4);
        return BinaryPrimitives.ReadInt32BigEndian(data);
    }

    private PgConversionException OutOfRange(int days, string target) =>
        DateTimeConversion.OutOfRange(DataTypeName, TemporalTextFormatter.Date(days), target, "read it as String (GetFieldValue<string>).");

    public override int GetLength(DateOnly value) => 4;

    public override void Write(DateOnly value, Span<byte> destination) =>
        BinaryPrimitives.WriteInt32BigEndian(destination, ToWire(value));

    // Overridden at the object level so that a DateTime goes straight to days: only DateTime.MaxValue/MinValue
    // are infinity, not every DateTime on 9999-12-31 or 0001-01-01, as a detour through DateOnly would make them.
    public override int GetLength(object value)
    {
        _ = ToWire(value);
        return 4;
    }

    public override void Write(object value, Span<byte> destination) =>
        BinaryPrimitives.WriteInt32BigEndian(destination, ToWire(value));

    private int ToWire(object value) => value switch
    {
        DateOnly d => ToWire(d),
        DateTime d when d == DateTime.MaxValue => NoEnd,
        DateTime d when d == DateTime.MinValue => NoBegin,
        DateTime d => DateOnly.FromDateTime(d).DayNumber - PgCalendar.EpochDayNumber,
        _ => throw Conversion.CannotWrite(value, DataTypeName),
    };

    private static int ToWire(DateOnly value) =>
        value == DateOnly.MaxValue ? NoEnd : value == DateOnly.MinValue ? NoBegin : value.DayNumber - PgCalendar.EpochDayNumber;
}
