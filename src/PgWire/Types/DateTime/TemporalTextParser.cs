namespace PgWire.Types;

/// <summary>
/// Parses the server's text output of the date and time types (DateStyle ISO, which PgWire sets at startup;
/// IntervalStyle postgres or iso_8601) into the values the binary format carries, so the text fallback and the
/// binary path share one conversion to .NET. Every entry point returns false for text it does not recognise.
/// </summary>
internal ref struct TemporalTextParser
{
    private readonly ReadOnlySpan<byte> _text;
    private int _pos;

    private TemporalTextParser(ReadOnlySpan<byte> text)
    {
        _text = text;
        _pos = 0;
    }

    /// <summary><c>2024-02-29</c>, <c>4714-11-24 BC</c>, <c>infinity</c>: days since 2000-01-01, int.MaxValue/MinValue for ±infinity.</summary>
    public static bool TryParseDate(ReadOnlySpan<byte> text, out int days)
    {
        days = 0;
        if (text.SequenceEqual("infinity"u8)) { days = int.MaxValue; return true; }
        if (text.SequenceEqual("-infinity"u8)) { days = int.MinValue; return true; }
        var p = new TemporalTextParser(text);
        if (!p.TryDate(out long year, out int month, out int day)) return false;
        // The day is checked once the era is known: 29 February exists in 1 BC (a leap year), not in AD 1.
        p.SkipEra(ref year);
        if (!p.AtEnd || day > PgCalendar.DaysInMonth(year, month)) return false;
        long result = PgCalendar.FromCivil(year, month, day);
        if (result is <= int.MinValue or >= int.MaxValue) return false;
        days = (int)result;
        return true;
    }

    /// <summary>
    /// <c>2024-03-10 01:30:00.5</c> (timestamp) or <c>2024-03-10 01:30:00.5-05</c> (timestamptz, with
    /// <paramref name="withZone"/>): microseconds since 2000-01-01 (UTC for timestamptz), long.MaxValue/MinValue for ±infinity.
    /// </summary>
    public static bool TryParseTimestamp(ReadOnlySpan<byte> text, bool withZone, out long micros)
    {
        micros = 0;
        if (text.SequenceEqual("infinity"u8)) { micros = long.MaxValue; return true; }
        if (text.SequenceEqual("-infinity"u8)) { micros = long.MinValue; return true; }
        var p = new TemporalTextParser(text);
        if (!p.TryDate(out long year, out int month, out int day) || !p.TryChar((byte)' ')) return false;
        if (!p.TryTime(out long time) || time >= PgCalendar.MicrosPerDay) return false;
        int zoneEast = 0;
        if (withZone && !p.TryZone(out zoneEast)) return false;
        p.SkipEra(ref year);
        if (!p.AtEnd || day > PgCalendar.DaysInMonth(year, month)) return false;
        try
        {
            // The text shows the local clock; the zone says how far east of UTC it runs.
            micros = checked(PgCalendar.FromCivil(year, month, day) * PgCalendar.MicrosPerDay + time
                             - zoneEast * PgCalendar.MicrosPerSecond);
        }
        catch (OverflowException)
        {
            return false;
        }
        return micros is not (long.MaxValue or long.MinValue);
    }

    /// <summary><c>13:45:00.25</c> or, with <paramref name="withZone"/>, <c>13:45:00.25+05:30</c>; the zone comes back in seconds west, as on the wire.</summary>
    public static bool TryParseTime(ReadOnlySpan<byte> text, bool withZone, out long micros, out int zoneSecondsWest)
    {
        zoneSecondsWest = 0;
        var p = new TemporalTextParser(text);
        if (!p.TryTime(out micros)) return false;
        if (withZone)
        {
            if (!p.TryZone(out int east)) return false;
            zoneSecondsWest = -east;
        }
        return p.AtEnd;
    }

    /// <summary>An interval as IntervalStyle postgres (the default) or iso_8601 prints it.</summary>
    public static bool TryParseInterval(ReadOnlySpan<byte> text, out PgInterval value)
    {
        value = default;
        var p = new TemporalTextParser(text);
        try
        {
            return text.Length > 0 && text[0] == (byte)'P' ? p.TryIsoInterval(out value) : p.TryPostgresInterval(out value);
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    private readonly bool AtEnd => _pos == _text.Length;

    private readonly byte Peek => _pos < _text.Length ? _text[_pos] : (byte)0;

    private bool TryChar(byte c)
    {
        if (Peek != c) return false;
        _pos++;
        return true;
    }

    /// <summary>Between <paramref name="min"/> and <paramref name="max"/> decimal digits.</summary>
    private bool TryDigits(int min, int max, out long value)
    {
        value = 0;
        int start = _pos;
        while (_pos < _text.Length && _pos - start < max && (uint)(_text[_pos] - '0') <= 9)
            value = checked(value * 10 + (_text[_pos++] - '0'));
        return _pos - start >= min;
    }

    private bool TryDigits(int count, out int value)
    {
        bool ok = TryDigits(count, count, out long v);
        value = (int)v;
        return ok;
    }

    /// <summary>Year (four digits or more), month, day; the year as printed, before any BC.</summary>
    private bool TryDate(out long year, out int month, out int day)
    {
        month = day = 0;
        return TryDigits(4, 9, out year) && year >= 1 && TryChar((byte)'-') && TryDigits(2, out month) &&
               TryChar((byte)'-') && TryDigits(2, out day) && month is >= 1 and <= 12 && day >= 1;
    }

    /// <summary>An optional " BC", turning the printed year into an astronomical one (1 BC is year 0).</summary>
    private void SkipEra(ref long year)
    {
        if (!_text[_pos..].SequenceEqual(" BC"u8)) return;
        _pos += 3;
        year = 1 - year;
    }

    /// <summary>HH:MM:SS with an optional fraction of up to six digits; 24:00:00 is a valid time of day.</summary>
    private bool TryTime(out long micros)
    {
        micros = 0;
        if (!TryDigits(2, out int hours) || !TryChar((byte)':') || !TryDigits(2, out int minutes) ||
            !TryChar((byte)':') || !TryDigits(2, out int seconds) || !TryFraction(out long fraction))
            return false;
        if (hours > 24 || minutes > 59 || seconds > 59) return false;
        micros = hours * PgCalendar.MicrosPerHour + minutes * PgCalendar.MicrosPerMinute +
                 seconds * PgCalendar.MicrosPerSecond + fraction;
        return micros <= PgCalendar.MicrosPerDay;
    }

    /// <summary>An optional ".f" to ".ffffff", as microseconds.</summary>
    private bool TryFraction(out long micros)
    {
        micros = 0;
        if (!TryChar((byte)'.')) return true;
        int start = _pos;
        if (!TryDigits(1, 6, out micros)) return false;
        for (int digits = _pos - start; digits < 6; digits++) micros *= 10;
        return true;
    }

    /// <summary>+HH, +HH:MM or +HH:MM:SS, as seconds east of UTC.</summary>
    private bool TryZone(out int secondsEast)
    {
        secondsEast = 0;
        int sign = Peek switch { (byte)'+' => 1, (byte)'-' => -1, _ => 0 };
        if (sign == 0) return false;
        _pos++;
        if (!TryDigits(2, out int hours)) return false;
        int minutes = 0, seconds = 0;
        if (TryChar((byte)':'))
        {
            if (!TryDigits(2, out minutes)) return false;
            if (TryChar((byte)':') && !TryDigits(2, out seconds)) return false;
        }
        if (minutes > 59 || seconds > 59) return false;
        secondsEast = sign * (hours * 3600 + minutes * 60 + seconds);
        return true;
    }

    /// <summary><c>-1 years -2 mons +3 days -04:05:06.5</c>; every part optional, <c>00:00:00</c> for zero.</summary>
    private bool TryPostgresInterval(out PgInterval value)
    {
        value = default;
        long months = 0, days = 0, micros = 0;
        bool any = false, sawTime = false;
        while (!AtEnd)
        {
            if (any && !TryChar((byte)' ')) return false;
            any = true;
            bool negative = TryChar((byte)'-');
            if (!negative) TryChar((byte)'+');
            if (!TryDigits(1, 19, out long number)) return false;
            if (Peek == (byte)':')
            {
                // The time part comes last and carries one sign for all of its fields.
                if (sawTime) return false;
                sawTime = true;
                _pos++;
                if (!TryDigits(2, out int minutes) || !TryChar((byte)':') || !TryDigits(2, out int seconds) ||
                    !TryFraction(out long fraction) || minutes > 59 || seconds > 59)
                    return false;
                // In Int128, since the most negative interval's magnitude is one more than long can hold.
                Int128 time = (Int128)number * PgCalendar.MicrosPerHour + minutes * PgCalendar.MicrosPerMinute +
                              seconds * PgCalendar.MicrosPerSecond + fraction;
                micros = checked((long)(negative ? -time : time));
                continue;
            }
            if (sawTime || !TryChar((byte)' ')) return false;
            if (negative) number = -number;
            var unit = _text[_pos..];
            int end = unit.IndexOf((byte)' ');
            if (end >= 0) unit = unit[..end];
            _pos += unit.Length;
            if (unit.SequenceEqual("year"u8) || unit.SequenceEqual("years"u8)) months = checked(months + number * 12);
            else if (unit.SequenceEqual("mon"u8) || unit.SequenceEqual("mons"u8)) months = checked(months + number);
            else if (unit.SequenceEqual("day"u8) || unit.SequenceEqual("days"u8)) days = checked(days + number);
            else return false;
        }
        if (!any) return false;
        value = new PgInterval(checked((int)months), checked((int)days), micros);
        return true;
    }

    /// <summary><c>P1Y2M-3DT-4H-5M-6.5S</c>: each field carries its own sign; only seconds have a fraction.</summary>
    private bool TryIsoInterval(out PgInterval value)
    {
        value = default;
        if (!TryChar((byte)'P')) return false;
        long months = 0, days = 0, micros = 0;
        bool inTime = false, any = false;
        while (!AtEnd)
        {
            if (!inTime && TryChar((byte)'T'))
            {
                inTime = true;
                continue;
            }
            bool negative = TryChar((byte)'-');
            if (!TryDigits(1, 19, out long number) || !TryFraction(out long fraction)) return false;
            if (negative)
            {
                number = -number;
                fraction = -fraction;
            }
            byte unit = Peek;
            _pos++;
            if (fraction != 0 && !(inTime && unit == (byte)'S')) return false;
            switch (inTime, unit)
            {
                case (false, (byte)'Y'): months = checked(months + number * 12); break;
                case (false, (byte)'M'): months = checked(months + number); break;
                case (false, (byte)'D'): days = checked(days + number); break;
                case (true, (byte)'H'): micros = checked(micros + number * PgCalendar.MicrosPerHour); break;
                case (true, (byte)'M'): micros = checked(micros + number * PgCalendar.MicrosPerMinute); break;
                case (true, (byte)'S'): micros = checked(micros + number * PgCalendar.MicrosPerSecond + fraction); break;
                default: return false;
            }
            any = true;
        }
        if (!any) return false;
        value = new PgInterval(checked((int)months), checked((int)days), micros);
        return true;
    }
}
