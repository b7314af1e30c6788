namespace PgWire.Types;

/// <summary>
/// Prints date and time values exactly as the server's output functions do with DateStyle ISO and IntervalStyle
/// postgres (EncodeDateOnly, EncodeDateTime, EncodeTimeOnly, EncodeInterval in src/backend/utils/adt/datetime.c),
/// so a value .NET cannot hold (4713 BC, 294276 AD, 24:00:00) still reads as the text the server would print.
/// </summary>
internal static class TemporalTextFormatter
{
    // The longest output, an interval of extreme fields, is about 70 characters.
    private const int BufferSize = 128;

    public static string Date(int days)
    {
        if (days == int.MaxValue) return "infinity";
        if (days == int.MinValue) return "-infinity";
        Span<char> buffer = stackalloc char[BufferSize];
        int pos = 0;
        var (year, month, day) = PgCalendar.ToCivil(days);
        AppendDate(buffer, ref pos, year, month, day);
        if (year <= 0) Append(buffer, ref pos, " BC");
        return new string(buffer[..pos]);
    }

    /// <summary>A timestamp; with <paramref name="zoneSecondsWest"/> given, a timestamptz shown in that zone.</summary>
    public static string Timestamp(long micros, int? zoneSecondsWest = null)
    {
        if (micros == long.MaxValue) return "infinity";
        if (micros == long.MinValue) return "-infinity";
        Span<char> buffer = stackalloc char[BufferSize];
        int pos = 0;
        long days = PgCalendar.FloorDiv(micros, PgCalendar.MicrosPerDay);
        var (year, month, day) = PgCalendar.ToCivil(days);
        AppendDate(buffer, ref pos, year, month, day);
        buffer[pos++] = ' ';
        AppendTime(buffer, ref pos, micros - days * PgCalendar.MicrosPerDay);
        if (zoneSecondsWest is { } zone) AppendZone(buffer, ref pos, zone);
        if (year <= 0) Append(buffer, ref pos, " BC");
        return new string(buffer[..pos]);
    }

    public static string Time(long micros, int? zoneSecondsWest = null)
    {
        Span<char> buffer = stackalloc char[BufferSize];
        int pos = 0;
        AppendTime(buffer, ref pos, micros);
        if (zoneSecondsWest is { } zone) AppendZone(buffer, ref pos, zone);
        return new string(buffer[..pos]);
    }

    /// <summary>IntervalStyle postgres, the server's default: <c>1 year 2 mons -3 days +04:05:06.5</c>.</summary>
    public static string Interval(PgInterval value)
    {
        Span<char> buffer = stackalloc char[BufferSize];
        int pos = 0;
        var (years, months, days, hours, minutes, seconds, fraction) = Split(value);
        bool isZero = true, isBefore = false;
        AppendPostgresPart(buffer, ref pos, years, "year", ref isZero, ref isBefore);
        AppendPostgresPart(buffer, ref pos, months, "mon", ref isZero, ref isBefore);
        AppendPostgresPart(buffer, ref pos, days, "day", ref isZero, ref isBefore);
        if (isZero || hours != 0 || minutes != 0 || seconds != 0 || fraction != 0)
        {
            bool minus = hours < 0 || minutes < 0 || seconds < 0 || fraction < 0;
            if (!isZero) buffer[pos++] = ' ';
            if (minus) buffer[pos++] = '-';
            else if (isBefore) buffer[pos++] = '+';
            AppendDigits(buffer, ref pos, Math.Abs(hours), 2);
            buffer[pos++] = ':';
            AppendDigits(buffer, ref pos, Math.Abs(minutes), 2);
            buffer[pos++] = ':';
            AppendDigits(buffer, ref pos, Math.Abs(seconds), 2);
            AppendFraction(buffer, ref pos, Math.Abs(fraction));
        }
        return new string(buffer[..pos]);
    }

    /// <summary>IntervalStyle iso_8601: <c>P1Y2M-3DT4H5M6.5S</c>; <c>PT0S</c> for zero.</summary>
    public static string IntervalIso8601(PgInterval value)
    {
        var (years, months, days, hours, minutes, seconds, fraction) = Split(value);
        if (years == 0 && months == 0 && days == 0 && hours == 0 && minutes == 0 && seconds == 0 && fraction == 0)
            return "PT0S";
        Span<char> buffer = stackalloc char[BufferSize];
        int pos = 0;
        buffer[pos++] = 'P';
        AppendIsoPart(buffer, ref pos, years, 'Y');
        AppendIsoPart(buffer, ref pos, months, 'M');
        AppendIsoPart(buffer, ref pos, days, 'D');
        if (hours != 0 || minutes != 0 || seconds != 0 || fraction != 0) buffer[pos++] = 'T';
        AppendIsoPart(buffer, ref pos, hours, 'H');
        AppendIsoPart(buffer, ref pos, minutes, 'M');
        if (seconds != 0 || fraction != 0)
        {
            if (seconds < 0 || fraction < 0) buffer[pos++] = '-';
            AppendDigits(buffer, ref pos, Math.Abs(seconds), 1);
            AppendFraction(buffer, ref pos, Math.Abs(fraction));
            buffer[pos++] = 'S';
        }
        return new string(buffer[..pos]);
    }

    /// <summary>
    /// The fields the server prints, each truncated toward zero so it carries the sign of its part (interval2itm).
    /// None can be long.MinValue (they come from int fields or from divisions), so Math.Abs is safe on all of them.
    /// </summary>
    private static (long Years, long Months, long Days, long Hours, long Minutes, long Seconds, long Fraction) Split(PgInterval value)
    {
        long time = value.Microseconds;
        long hours = time / PgCalendar.MicrosPerHour;
        time -= hours * PgCalendar.MicrosPerHour;
        long minutes = time / PgCalendar.MicrosPerMinute;
        time -= minutes * PgCalendar.MicrosPerMinute;
        long seconds = time / PgCalendar.MicrosPerSecond;
        time -= seconds * PgCalendar.MicrosPerSecond;
        return (value.Months / 12, value.Months % 12, value.Days, hours, minutes, seconds, time);
    }

    private static void AppendPostgresPart(Span<char> buffer, ref int pos, long value, string unit, ref bool isZero, ref bool isBefore)
    {
        if (value == 0) return;
        if (!isZero) buffer[pos++] = ' ';
        // After a negative field the server marks the next positive one with '+' (AddPostgresIntPart).
        if (isBefore && value > 0) buffer[pos++] = '+';
        if (value < 0) buffer[pos++] = '-';
        AppendDigits(buffer, ref pos, Math.Abs(value), 1);
        buffer[pos++] = ' ';
        Append(buffer, ref pos, unit);
        if (value != 1) buffer[pos++] = 's';
        isBefore = value < 0;
        isZero = false;
    }

    private static void AppendIsoPart(Span<char> buffer, ref int pos, long value, char unit)
    {
        if (value == 0) return;
        if (value < 0) buffer[pos++] = '-';
        AppendDigits(buffer, ref pos, Math.Abs(value), 1);
        buffer[pos++] = unit;
    }

    /// <summary>Year-month-day with the year's absolute value in at least four digits ("BC" is the caller's).</summary>
    private static void AppendDate(Span<char> buffer, ref int pos, long year, int month, int day)
    {
        AppendDigits(buffer, ref pos, (ulong)(year > 0 ? year : 1 - year), 4);
        buffer[pos++] = '-';
        AppendDigits(buffer, ref pos, (ulong)month, 2);
        buffer[pos++] = '-';
        AppendDigits(buffer, ref pos, (ulong)day, 2);
    }

    private static void AppendTime(Span<char> buffer, ref int pos, long micros)
    {
        long hours = micros / PgCalendar.MicrosPerHour;
        micros -= hours * PgCalendar.MicrosPerHour;
        long minutes = micros / PgCalendar.MicrosPerMinute;
        micros -= minutes * PgCalendar.MicrosPerMinute;
        long seconds = micros / PgCalendar.MicrosPerSecond;
        AppendDigits(buffer, ref pos, (ulong)hours, 2);
        buffer[pos++] = ':';
        AppendDigits(buffer, ref pos, (ulong)minutes, 2);
        buffer[pos++] = ':';
        AppendDigits(buffer, ref pos, (ulong)seconds, 2);
        AppendFraction(buffer, ref pos, micros - seconds * PgCalendar.MicrosPerSecond);
    }

    /// <summary>+HH, +HH:MM or +HH:MM:SS east of UTC (EncodeTimezone); the wire counts seconds west.</summary>
    private static void AppendZone(Span<char> buffer, ref int pos, int secondsWest)
    {
        int total = Math.Abs(secondsWest);
        int hours = total / 3600, minutes = total / 60 % 60, seconds = total % 60;
        buffer[pos++] = secondsWest <= 0 ? '+' : '-';
        AppendDigits(buffer, ref pos, (ulong)hours, 2);
        if (minutes != 0 || seconds != 0)
        {
            buffer[pos++] = ':';
            AppendDigits(buffer, ref pos, (ulong)minutes, 2);
        }
        if (seconds != 0)
        {
            buffer[pos++] = ':';
            AppendDigits(buffer, ref pos, (ulong)seconds, 2);
        }
    }

    /// <summary>".ffffff" without trailing zeros, nothing for zero (AppendSeconds).</summary>
    private static void AppendFraction(Span<char> buffer, ref int pos, long micros)
    {
        if (micros == 0) return;
        buffer[pos++] = '.';
        int digits = 6;
        while (micros % 10 == 0)
        {
            micros /= 10;
            digits--;
        }
        AppendDigits(buffer, ref pos, (ulong)micros, digits);
    }

    private static void AppendDigits(Span<char> buffer, ref int pos, long value, int minDigits) =>
        AppendDigits(buffer, ref pos, (ulong)value, minDigits);

    private static void AppendDigits(Span<char> buffer, ref int pos, ulong value, int minDigits)
    {
        int count = 1;
        for (ulong v = value; v >= 10; v /= 10) count++;
        count = Math.Max(count, minDigits);
        for (int i = pos + count - 1; i >= pos; i--)
        {
            buffer[i] = (char)('0' + (int)(value % 10));
            value /= 10;
        }
        pos += count;
    }

    private static void Append(Span<char> buffer, ref int pos, string text)
    {
        text.CopyTo(buffer[pos..]);
        pos += text.Length;
    }
}
