using System.Globalization;

// The folder is DateTime/, but a namespace named DateTime would hide System.DateTime.
namespace PgWire.Tests.Types.Temporal;

/// <summary>
/// The text PostgreSQL prints for a .NET value (DateStyle ISO), computed with .NET's own formatting so that it is
/// independent of PgWire's formatter. Sub-microsecond ticks are cut, as PgWire documents for parameters.
/// </summary>
internal static class ExpectedText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The clock reading of a DateTime as a timestamp prints: <c>2024-02-29 13:45:00.123456</c>.</summary>
    public static string Timestamp(DateTime value)
    {
        if (value == DateTime.MaxValue) return "infinity";
        if (value == DateTime.MinValue) return "-infinity";
        var cut = new DateTime(value.Ticks - value.Ticks % 10);
        return cut.ToString("yyyy-MM-dd HH:mm:ss", Invariant) + Fraction(cut.TimeOfDay);
    }

    /// <summary>A UTC instant as timestamptz prints it in a session with TimeZone UTC.</summary>
    public static string TimestampTz(DateTime utc) =>
        utc == DateTime.MaxValue || utc == DateTime.MinValue ? Timestamp(utc) : Timestamp(utc) + "+00";

    public static string Date(DateOnly value) =>
        value == DateOnly.MaxValue ? "infinity" : value == DateOnly.MinValue ? "-infinity" : value.ToString("yyyy-MM-dd", Invariant);

    /// <summary>A time of day, <c>TimeSpan.FromDays(1)</c> being <c>24:00:00</c>.</summary>
    public static string Time(TimeSpan value)
    {
        var cut = new TimeSpan(value.Ticks - value.Ticks % 10);
        return string.Create(Invariant, $"{(int)cut.TotalHours:00}:{cut.Minutes:00}:{cut.Seconds:00}") + Fraction(cut);
    }

    /// <summary>The offset as PostgreSQL prints it: <c>+05:30</c>, <c>-08</c>, <c>+00</c>.</summary>
    public static string TimeTz(DateTimeOffset value)
    {
        var offset = value.Offset.Duration();
        string sign = value.Offset < TimeSpan.Zero ? "-" : "+";
        string zone = sign + offset.Hours.ToString("00", Invariant) + (offset.Minutes != 0 ? ":" + offset.Minutes.ToString("00", Invariant) : "");
        return Time(value.TimeOfDay) + zone;
    }

    /// <summary>
    /// An interval as IntervalStyle iso_8601 prints it: years and months split from the months, hours, minutes and
    /// seconds from the microseconds, each with its own sign; <c>PT0S</c> for zero.
    /// </summary>
    public static string IntervalIso8601(int months, int days, long micros)
    {
        long totalSeconds = Math.DivRem(micros, 1_000_000, out long fraction);
        long hours = Math.DivRem(totalSeconds, 3600, out long rest);
        long minutes = Math.DivRem(rest, 60, out long seconds);
        var parts = new List<string>();
        if (months / 12 != 0) parts.Add($"{months / 12}Y");
        if (months % 12 != 0) parts.Add($"{months % 12}M");
        if (days != 0) parts.Add($"{days}D");
        var time = new List<string>();
        if (hours != 0) time.Add($"{hours}H");
        if (minutes != 0) time.Add($"{minutes}M");
        if (seconds != 0 || fraction != 0)
        {
            string sign = seconds < 0 || fraction < 0 ? "-" : "";
            string frac = fraction == 0 ? "" : "." + Math.Abs(fraction).ToString("000000", Invariant).TrimEnd('0');
            time.Add($"{sign}{Math.Abs(seconds)}{frac}S");
        }
        if (parts.Count == 0 && time.Count == 0) return "PT0S";
        return "P" + string.Concat(parts) + (time.Count > 0 ? "T" + string.Concat(time) : "");
    }

    private static string Fraction(TimeSpan cut)
    {
        long micros = cut.Ticks % TimeSpan.TicksPerSecond / 10;
        return micros == 0 ? "" : "." + micros.ToString("000000", Invariant).TrimEnd('0');
    }
}
