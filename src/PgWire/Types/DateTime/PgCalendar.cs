namespace PgWire.Types;

/// <summary>
/// The arithmetic behind PostgreSQL's date and time encodings: counts of days and microseconds since
/// 2000-01-01 (POSTGRES_EPOCH_JDATE, src/include/datatype/timestamp.h) and the proleptic Gregorian calendar,
/// which PostgreSQL uses for all dates, including those before 1582 and BC ones.
/// </summary>
internal static class PgCalendar
{
    public const long MicrosPerSecond = 1_000_000;
    public const long MicrosPerMinute = 60 * MicrosPerSecond;
    public const long MicrosPerHour = 60 * MicrosPerMinute;
    public const long MicrosPerDay = 24 * MicrosPerHour;
    public const long TicksPerMicro = 10;

    /// <summary>DateTime ticks at 2000-01-01 00:00, PostgreSQL's epoch.</summary>
    public const long EpochTicks = 630_822_816_000_000_000;

    public const long EpochMicros = EpochTicks / TicksPerMicro;

    /// <summary>DateOnly.DayNumber of 2000-01-01.</summary>
    public const int EpochDayNumber = 730_119;

    /// <summary>The last microsecond .NET can hold (9999-12-31 23:59:59.999999), counted from PostgreSQL's epoch.</summary>
    public const long MaxDateTimeMicros = 3_155_378_975_999_999_999 / TicksPerMicro - EpochMicros;

    /// <summary>0001-01-01 00:00, the first instant .NET can hold, counted from PostgreSQL's epoch.</summary>
    public const long MinDateTimeMicros = -EpochMicros;

    private const long DaysFrom1970To2000 = 10_957;

    /// <summary>
    /// Microseconds since PostgreSQL's epoch for a DateTime's clock reading. Sub-microsecond ticks are dropped:
    /// ticks count up from year 1, so dropping them moves the value back to the start of its microsecond, the same
    /// as cutting the printed fraction after six digits; a value can never spill into the next second or day.
    /// </summary>
    public static long ToMicros(DateTime value) => value.Ticks / TicksPerMicro - EpochMicros;

    /// <summary>A DateTime for microseconds since PostgreSQL's epoch, or false when it lies outside years 1 to 9999.</summary>
    public static bool TryToDateTime(long micros, DateTimeKind kind, out DateTime value)
    {
        if (micros < MinDateTimeMicros || micros > MaxDateTimeMicros)
        {
            value = default;
            return false;
        }
        value = new DateTime((micros + EpochMicros) * TicksPerMicro, kind);
        return true;
    }

    public static long FloorDiv(long a, long b)
    {
        long q = a / b;
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
    }

    /// <summary>
    /// Year, month and day of a day counted from 2000-01-01. The year is astronomical: 0 is 1 BC, -1 is 2 BC.
    /// (The algorithm is Howard Hinnant's civil_from_days, which holds for any count of days.)
    /// </summary>
    public static (long Year, int Month, int Day) ToCivil(long days)
    {
        long z = days + DaysFrom1970To2000 + 719_468;
        long era = FloorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int)(doy - (153 * mp + 2) / 5 + 1);
        int month = (int)(mp < 10 ? mp + 3 : mp - 9);
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day);
    }

    /// <summary>The day counted from 2000-01-01 of an astronomical year, month and day (the inverse of <see cref="ToCivil"/>).</summary>
    public static long FromCivil(long year, int month, int day)
    {
        long y = month <= 2 ? year - 1 : year;
        long era = FloorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097 + doe - 719_468 - DaysFrom1970To2000;
    }

    public static int DaysInMonth(long year, int month) => month switch
    {
        2 => (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28,
        4 or 6 or 9 or 11 => 30,
        _ => 31,
    };
}
