using System.Text;
using CsCheck;
using PgWire.Types;

namespace PgWire.Tests.Types.Temporal;

/// <summary>
/// The text fallback of the date and time codecs (results in text format, DateStyle ISO) and the text PgWire prints
/// for binary values, without a server: known texts, texts the server never sends, and format-then-parse round trips.
/// </summary>
public sealed class TemporalTextTests
{
    [Theory]
    [InlineData("2024-02-29 12:34:56.789123", 2024, 2, 29, 12, 34, 56, 7_891_230)]
    [InlineData("0001-01-01 00:00:00", 1, 1, 1, 0, 0, 0, 0)]
    [InlineData("9999-12-31 23:59:59.999999", 9999, 12, 31, 23, 59, 59, 9_999_990)]
    [InlineData("2000-01-01 00:00:00.5", 2000, 1, 1, 0, 0, 0, 5_000_000)]
    public void A_timestamp_text_reads_as_the_same_DateTime(string text, int y, int mo, int d, int h, int mi, int s, int ticks)
    {
        var value = TemporalQueries.ReadText<DateTime>(DateTimeOids.Timestamp, text);

        Assert.Equal(new DateTime(y, mo, d, h, mi, s).AddTicks(ticks), value);
        Assert.Equal(DateTimeKind.Unspecified, value.Kind);
    }

    [Theory]
    [InlineData("2024-03-10 01:30:00-05", "2024-03-10T06:30:00")]
    [InlineData("2024-03-10 03:30:00-04", "2024-03-10T07:30:00")]
    [InlineData("2024-01-01 05:30:00+05:30", "2024-01-01T00:00:00")]
    [InlineData("1900-01-01 00:00:00+05:53:28", "1899-12-31T18:06:32")]
    [InlineData("0001-01-01 00:00:00-01", "0001-01-01T01:00:00")]
    [InlineData("2000-01-01 00:00:00.000001+00", "2000-01-01T00:00:00.0000010")]
    public void A_timestamptz_text_in_any_zone_reads_as_its_UTC_instant(string text, string utc)
    {
        var value = TemporalQueries.ReadText<DateTime>(DateTimeOids.TimestampTz, text);

        Assert.Equal(DateTime.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), value);
        Assert.Equal(DateTimeKind.Utc, value.Kind);
    }

    [Theory]
    [InlineData(DateTimeOids.Timestamp, "0001-12-31 23:59:59 BC")]
    [InlineData(DateTimeOids.Timestamp, "10000-01-01 00:00:00")]
    [InlineData(DateTimeOids.TimestampTz, "0001-01-01 00:00:00+01")]
    [InlineData(DateTimeOids.TimestampTz, "4713-01-01 00:00:00+00 BC")]
    public void A_timestamp_text_beyond_DateTime_is_refused_as_out_of_range(uint oid, string text)
    {
        var e = Assert.Throws<PgConversionException>(() => TemporalQueries.ReadText<DateTime>(oid, text));

        Assert.Equal(PgErrorCodes.DatetimeFieldOverflow, e.SqlState);
    }

    [Theory]
    [InlineData("infinity")]
    [InlineData("-infinity")]
    public void Infinity_texts_read_as_MaxValue_and_MinValue(string text)
    {
        var expected = text == "infinity" ? DateTime.MaxValue : DateTime.MinValue;

        Assert.Equal(expected, TemporalQueries.ReadText<DateTime>(DateTimeOids.Timestamp, text));
        Assert.Equal(expected, TemporalQueries.ReadText<DateTime>(DateTimeOids.TimestampTz, text));
        Assert.Equal(text == "infinity" ? DateOnly.MaxValue : DateOnly.MinValue, TemporalQueries.ReadText<DateOnly>(DateTimeOids.Date, text));
    }

    [Theory]
    [InlineData(DateTimeOids.Timestamp, "2023-02-29 00:00:00")]
    [InlineData(DateTimeOids.Timestamp, "2024-04-31 00:00:00")]
    [InlineData(DateTimeOids.Timestamp, "2024-13-01 00:00:00")]
    [InlineData(DateTimeOids.Timestamp, "2024-01-01 24:00:00")]
    [InlineData(DateTimeOids.Timestamp, "2024-01-01 12:60:00")]
    [InlineData(DateTimeOids.Timestamp, "2024-01-01 12:00:00.1234567")]
    [InlineData(DateTimeOids.Timestamp, "2024-01-01T12:00:00")]
    [InlineData(DateTimeOids.Timestamp, "01/02/2024 12:00:00")]
    [InlineData(DateTimeOids.Timestamp, "2024-01-01 12:00:00+00")]
    [InlineData(DateTimeOids.Timestamp, "0001-02-29 00:00:00")]
    [InlineData(DateTimeOids.TimestampTz, "2024-01-01 12:00:00")]
    [InlineData(DateTimeOids.TimestampTz, "2024-01-01 12:00:00 UTC")]
    [InlineData(DateTimeOids.Timestamp, "")]
    [InlineData(DateTimeOids.Timestamp, "Infinity")]
    public void A_timestamp_text_the_server_never_prints_is_a_protocol_error(uint oid, string text)
    {
        Assert.Throws<PgProtocolException>(() => TemporalQueries.ReadText<DateTime>(oid, text));
    }

    [Theory]
    [InlineData("2024-02-29", 2024, 2, 29)]
    [InlineData("0001-01-01", 1, 1, 1)]
    [InlineData("9999-12-31", 9999, 12, 31)]
    public void A_date_text_reads_as_DateOnly_and_DateTime(string text, int y, int m, int d)
    {
        Assert.Equal(new DateOnly(y, m, d), TemporalQueries.ReadText<DateOnly>(DateTimeOids.Date, text));
        Assert.Equal(new DateTime(y, m, d), TemporalQueries.ReadText<DateTime>(DateTimeOids.Date, text));
    }

    [Fact]
    public void The_29th_of_February_of_1_BC_exists_and_that_of_AD_1_does_not()
    {
        // 1 BC is the astronomical year 0, divisible by 400.
        Assert.Equal("0001-02-29 BC", TemporalQueries.ReadText<string>(DateTimeOids.Date, "0001-02-29 BC"));
        Assert.Throws<PgConversionException>(() => TemporalQueries.ReadText<DateOnly>(DateTimeOids.Date, "0001-02-29 BC"));
        Assert.Throws<PgProtocolException>(() => TemporalQueries.ReadText<DateOnly>(DateTimeOids.Date, "0001-02-29"));
    }

    [Theory]
    [InlineData("13:45:00.25", 13, 45, 0, 250)]
    [InlineData("00:00:00", 0, 0, 0, 0)]
    [InlineData("23:59:59.999", 23, 59, 59, 999)]
    public void A_time_text_reads_as_TimeOnly(string text, int h, int m, int s, int ms) =>
        Assert.Equal(new TimeOnly(h, m, s, ms), TemporalQueries.ReadText<TimeOnly>(DateTimeOids.Time, text));

    [Fact]
    public void The_time_text_24_00_00_reads_as_a_TimeSpan_of_one_day_and_is_refused_as_TimeOnly()
    {
        Assert.Equal(TimeSpan.FromDays(1), TemporalQueries.ReadText<TimeSpan>(DateTimeOids.Time, "24:00:00"));
        Assert.Throws<PgConversionException>(() => TemporalQueries.ReadText<TimeOnly>(DateTimeOids.Time, "24:00:00"));
        Assert.Throws<PgProtocolException>(() => TemporalQueries.ReadText<TimeSpan>(DateTimeOids.Time, "24:00:00.000001"));
    }

    [Theory]
    [InlineData("12:00:00+05:30", 330)]
    [InlineData("12:00:00-08", -480)]
    [InlineData("12:00:00+00", 0)]
    public void A_timetz_text_reads_with_its_offset(string text, int offsetMinutes)
    {
        var value = TemporalQueries.ReadText<DateTimeOffset>(DateTimeOids.TimeTz, text);

        Assert.Equal(new DateTimeOffset(new DateTime(1, 1, 2, 12, 0, 0), TimeSpan.FromMinutes(offsetMinutes)), value);
    }

    [Theory]
    [InlineData("00:00:00", 0, 0, 0L)]
    [InlineData("1 day", 0, 1, 0L)]
    [InlineData("1 year 2 mons 3 days 04:05:06.5", 14, 3, 14_706_500_000L)]
    [InlineData("-1 years -2 mons +3 days -04:05:06.5", -14, 3, -14_706_500_000L)]
    [InlineData("-1 days +01:00:00", 0, -1, 3_600_000_000L)]
    [InlineData("2562047788:00:54.775807", 0, 0, long.MaxValue)]
    [InlineData("-2562047788:00:54.775808", 0, 0, long.MinValue)]
    [InlineData("-178956970 years -8 mons -2147483648 days", int.MinValue, int.MinValue, 0L)]
    [InlineData("PT0S", 0, 0, 0L)]
    [InlineData("P1Y2M3DT4H5M6.5S", 14, 3, 14_706_500_000L)]
    [InlineData("P-1Y-2M3DT-4H-5M-6.5S", -14, 3, -14_706_500_000L)]
    [InlineData("PT-0.000001S", 0, 0, -1L)]
    public void An_interval_text_in_postgres_or_iso_8601_style_reads_as_the_same_PgInterval(string text, int months, int days, long micros) =>
        Assert.Equal(new PgInterval(months, days, micros), TemporalQueries.ReadText<PgInterval>(DateTimeOids.Interval, text));

    [Theory]
    [InlineData("")]
    [InlineData("@ 1 day")]
    [InlineData("1 day ago")]
    [InlineData("1 fortnight")]
    [InlineData("1-2")]
    [InlineData("2147483648 days")]
    [InlineData("01:00:00 1 day")]
    [InlineData("P")]
    [InlineData("P1.5D")]
    public void An_interval_text_PgWire_does_not_recognise_is_a_protocol_error(string text) =>
        Assert.Throws<PgProtocolException>(() => TemporalQueries.ReadText<PgInterval>(DateTimeOids.Interval, text));

    [Fact]
    public void The_text_fallback_reads_as_string_unchanged()
    {
        Assert.Equal("2024-01-01 00:00:00-05", TemporalQueries.ReadText<string>(DateTimeOids.TimestampTz, "2024-01-01 00:00:00-05"));
        Assert.Equal("1 mon", TemporalQueries.ReadText<string>(DateTimeOids.Interval, "1 mon"));
    }

    [Fact]
    public void Any_timestamp_PostgreSQL_holds_prints_and_parses_back_to_the_same_microsecond()
    {
        // MIN_TIMESTAMP (4714-11-24 BC) to END_TIMESTAMP (294277-01-01), src/include/datatype/timestamp.h.
        Gen.Long[-211_813_488_000_000_000, 9_223_371_331_200_000_000 - 1].Sample(micros =>
        {
            var wire = Wire(micros);
            Assert.Equal(micros, ParseTimestamp(TemporalQueries.FormatBinary(DateTimeOids.Timestamp, wire), withZone: false));
            Assert.Equal(micros, ParseTimestamp(TemporalQueries.FormatBinary(DateTimeOids.TimestampTz, wire), withZone: true));
        }, iter: 5000);
    }

    [Fact]
    public void Any_date_PostgreSQL_holds_prints_and_parses_back_to_the_same_day()
    {
        Gen.Int[-2_451_545, 2_145_031_948].Sample(days =>
        {
            string text = TemporalQueries.FormatBinary(DateTimeOids.Date, Wire(days));
            Assert.True(TemporalTextParser.TryParseDate(Encoding.UTF8.GetBytes(text), out int back), text);
            Assert.Equal(days, back);
        }, iter: 5000);
    }

    [Fact]
    public void Any_interval_prints_and_parses_back_to_the_same_fields_in_both_styles()
    {
        Gen.Select(Gen.Int, Gen.Int, Gen.Long, (m, d, us) => new PgInterval(m, d, us)).Sample(value =>
        {
            Assert.Equal(value, TemporalQueries.ReadText<PgInterval>(DateTimeOids.Interval, value.ToString()));
            string postgres = TemporalQueries.FormatBinary(DateTimeOids.Interval, Wire(value));
            Assert.Equal(value, TemporalQueries.ReadText<PgInterval>(DateTimeOids.Interval, postgres));
        }, iter: 5000);
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(1580, 1605)]
    [InlineData(1896, 1905)]
    [InlineData(1996, 2005)]
    [InlineData(9995, 9999)]
    public void The_calendar_agrees_with_DateOnly_on_every_day_of_the_years(int firstYear, int lastYear) =>
        CheckCalendar(new DateOnly(firstYear, 1, 1).DayNumber, new DateOnly(lastYear, 12, 31).DayNumber, step: 1);

    [Fact]
    public void The_calendar_agrees_with_DateOnly_on_every_13th_day_from_year_1_to_9999() =>
        CheckCalendar(0, DateOnly.MaxValue.DayNumber, step: 13);

    private static void CheckCalendar(int firstDayNumber, int lastDayNumber, int step)
    {
        for (int dayNumber = firstDayNumber; dayNumber <= lastDayNumber; dayNumber += step)
        {
            var date = DateOnly.FromDayNumber(dayNumber);
            long days = dayNumber - 730_119;
            // Assert only on a mismatch: hundreds of thousands of Assert.Equal calls would take seconds.
            if (PgCalendar.ToCivil(days) != (date.Year, date.Month, date.Day) || PgCalendar.FromCivil(date.Year, date.Month, date.Day) != days)
                Assert.Fail($"{date:o} is day {days} from 2000-01-01, but the calendar says {PgCalendar.ToCivil(days)} and {PgCalendar.FromCivil(date.Year, date.Month, date.Day)}.");
        }
    }

    [Fact]
    public void A_binary_value_of_the_wrong_length_is_a_protocol_error()
    {
        var codec = (IPgReader<DateTime>)PgTypeRegistry.Default.Find(DateTimeOids.Timestamp)!;

        Assert.Throws<PgProtocolException>(() => codec.Read(new byte[4], binary: true));
    }

    private static long ParseTimestamp(string text, bool withZone)
    {
        Assert.True(TemporalTextParser.TryParseTimestamp(Encoding.UTF8.GetBytes(text), withZone, out long micros), text);
        return micros;
    }

    private static byte[] Wire(long value)
    {
        var bytes = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] Wire(int value)
    {
        var bytes = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] Wire(PgInterval value)
    {
        var bytes = new byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(bytes, value.Microseconds);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), value.Days);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), value.Months);
        return bytes;
    }
}
