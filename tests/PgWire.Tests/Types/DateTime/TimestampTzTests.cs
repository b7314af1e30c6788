using System.Globalization;
using CsCheck;
using PgWire.Tests.Infrastructure;
using PgWire.Types;

namespace PgWire.Tests.Types.Temporal;

/// <summary>
/// timestamptz as a UTC instant: DateTime of Kind Utc (or DateTimeOffset) both ways, whatever the session's
/// TimeZone; a DateTime that is not UTC is refused rather than guessed at.
/// </summary>
[Collection("Database")]
public sealed class TimestampTzTests(DatabaseFixture db) : IAsyncLifetime
{
    private PgConnection _conn = null!;

    public async Task InitializeAsync()
    {
        _conn = await db.OpenAsync();
        await _conn.ExecuteAsync("SET TimeZone = 'UTC'");
    }

    public async Task DisposeAsync() => await _conn.DisposeAsync();

    private static readonly Gen<DateTime> AnyUtcDateTime = Gen.Frequency(
        (50, Gen.Long[0, DateTime.MaxValue.Ticks].Select(ticks => new DateTime(ticks, DateTimeKind.Utc))),
        (1, Gen.OneOf(Gen.Const(DateTime.MinValue), Gen.Const(DateTime.MaxValue))));

    /// <summary>Offsets in whole minutes up to ±14:00, on instants that keep both the clock and UTC within .NET's range.</summary>
    private static readonly Gen<DateTimeOffset> AnyDateTimeOffset =
        Gen.Long[TimeSpan.TicksPerDay, DateTime.MaxValue.Ticks - TimeSpan.TicksPerDay].Select(Gen.Int[-14 * 60, 14 * 60],
            (ticks, minutes) => new DateTimeOffset(ticks, TimeSpan.FromMinutes(minutes)));

    [Fact]
    public async Task Any_Utc_DateTime_is_the_instant_the_server_prints_and_reads_back_to_the_microsecond()
    {
        await AnyUtcDateTime.SampleAsync(async value =>
        {
            var (text, back) = await TextAndValueAsync<DateTime>("SELECT $1::timestamptz::text, $1::timestamptz", value);

            Assert.Equal(ExpectedText.TimestampTz(value), text);
            var expected = value == DateTime.MaxValue || value == DateTime.MinValue
                ? value : new DateTime(value.Ticks - value.Ticks % 10, DateTimeKind.Utc);
            Assert.Equal(expected, back);
            Assert.Equal(DateTimeKind.Utc, back.Kind);
        }, iter: 500, threads: 1, print: v => v.ToString("o", CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Any_DateTimeOffset_is_sent_as_its_UTC_instant()
    {
        await AnyDateTimeOffset.SampleAsync(async value =>
        {
            var (text, back) = await TextAndValueAsync<DateTimeOffset>("SELECT $1::text, $1", value);

            Assert.Equal(ExpectedText.TimestampTz(value.UtcDateTime), text);
            Assert.Equal(TimeSpan.Zero, back.Offset);
            Assert.Equal(value.UtcTicks - value.UtcTicks % 10, back.UtcTicks);
        }, iter: 500, threads: 1, print: v => v.ToString("o", CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Timestamptzs_the_server_generates_read_in_binary_as_the_server_prints_them_in_UTC()
    {
        await _conn.ExecuteAsync("SELECT setseed(-0.5)");
        var rows = await _conn.ReadPairsAsync("""
            SELECT v, v::text FROM (
              SELECT CASE WHEN i % 2 = 0
                THEN timestamptz '0001-01-01 00:00+00' + random() * (timestamptz '9999-12-31 23:59:59.999999+00' - timestamptz '0001-01-01 00:00+00')
                ELSE timestamptz '4713-01-01 00:00+00 BC' + floor(random() * 109203000) * interval '1 day' + random() * interval '1 day'
              END AS v FROM generate_series(1, 500) i) s
            """, r => (Text: r.GetFieldValue<string>(0), Value: TemporalQueries.Try(() => r.GetFieldValue<DateTime>(0)), Offset: TemporalQueries.Try(() => r.GetFieldValue<DateTimeOffset>(0))));

        Assert.Equal(500, rows.Count);
        Assert.Contains(rows, r => r.Value.Value.Error is null);
        foreach (var ((text, (value, error), (offset, offsetError)), serverText) in rows)
        {
            Assert.Equal(serverText, text);
            if (TimestampTests.IsInDotNetRange(serverText))
            {
                Assert.Null(error);
                var parsed = DateTime.ParseExact(serverText, "yyyy-MM-dd HH:mm:ss.FFFFFFzz", CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
                Assert.Equal(parsed, value);
                Assert.Equal(DateTimeKind.Utc, value!.Value.Kind);
                Assert.Equal(new DateTimeOffset(parsed), offset);
                Assert.Equal(value, TemporalQueries.ReadText<DateTime>(DateTimeOids.TimestampTz, serverText));
            }
            else
            {
                Assert.Contains(serverText, Assert.IsType<PgConversionException>(error).Message);
                Assert.IsType<PgConversionException>(offsetError);
            }
        }
    }

    [Fact]
    public async Task The_text_fallback_reads_instants_printed_in_another_zone_as_the_same_UTC_instants()
    {
        await _conn.ExecuteAsync("SET TimeZone = 'Asia/Kolkata'");
        await _conn.ExecuteAsync("SELECT setseed(0.125)");
        var rows = await _conn.ReadPairsAsync("""
            SELECT v, v::text FROM (
              SELECT timestamptz '1800-01-01 00:00+00' + random() * interval '400 years' AS v FROM generate_series(1, 500)) s
            """, r => r.GetFieldValue<DateTime>(0));

        // Before 1942 the zone has historical offsets in seconds (+05:53:28), which the text shows and the parser must take.
        Assert.Contains(rows, r => r.ServerText.Count(c => c == ':') == 4);
        foreach (var (value, serverText) in rows)
            Assert.Equal(value, TemporalQueries.ReadText<DateTime>(DateTimeOids.TimestampTz, serverText));
    }

    [Theory]
    [InlineData("4713-01-01 00:00:00+00 BC")]
    [InlineData("294276-12-31 23:59:59.999999+00")]
    public async Task A_timestamptz_beyond_DateTime_is_refused_naming_column_and_type_and_reads_as_its_text(string text)
    {
        var e = await Assert.ThrowsAsync<PgConversionException>(() => _conn.ReadOneAsync<DateTime>($"SELECT '{text}'::timestamptz AS at"));

        Assert.Contains("\"at\"", e.Message);
        Assert.Contains("timestamp with time zone", e.Message);
        Assert.Equal(PgErrorCodes.DatetimeFieldOverflow, e.SqlState);
        await Assert.ThrowsAsync<PgConversionException>(() => _conn.ReadOneAsync<DateTimeOffset>($"SELECT '{text}'::timestamptz"));
        Assert.Equal(text, await _conn.ReadOneAsync<string>($"SELECT '{text}'::timestamptz"));
        Assert.Equal(5, await _conn.QueryScalarAsync<int>("SELECT 5"));
    }

    [Theory]
    [InlineData("infinity")]
    [InlineData("-infinity")]
    public async Task Infinity_reads_as_MaxValue_and_minus_infinity_as_MinValue_of_DateTime_and_DateTimeOffset(string text)
    {
        bool positive = text == "infinity";

        var value = await _conn.ReadOneAsync<DateTime>($"SELECT '{text}'::timestamptz");
        Assert.Equal(positive ? DateTime.MaxValue : DateTime.MinValue, value);
        Assert.Equal(DateTimeKind.Utc, value.Kind);
        Assert.Equal(positive ? DateTimeOffset.MaxValue : DateTimeOffset.MinValue, await _conn.ReadOneAsync<DateTimeOffset>($"SELECT '{text}'::timestamptz"));
    }

    [Fact]
    public async Task MaxValue_and_MinValue_of_DateTime_of_any_Kind_and_of_DateTimeOffset_are_sent_as_infinity()
    {
        var tz = PgDbType.TimestampTz;
        Assert.Equal("infinity", await _conn.QueryScalarAsync<string>("SELECT $1::text", new PgParameter(DateTime.MaxValue, tz)));
        Assert.Equal("-infinity", await _conn.QueryScalarAsync<string>("SELECT $1::text", new PgParameter(DateTime.MinValue, tz)));
        Assert.Equal("infinity", await _conn.QueryScalarAsync<string>("SELECT $1::text", new PgParameter(DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc), tz)));
        Assert.Equal("infinity", await _conn.QueryScalarAsync<string>("SELECT $1::text", DateTimeOffset.MaxValue));
        Assert.Equal("-infinity", await _conn.QueryScalarAsync<string>("SELECT $1::text", DateTimeOffset.MinValue));
    }

    [Fact]
    public async Task A_session_in_New_York_reads_and_writes_the_same_UTC_instants_across_the_spring_DST_change()
    {
        await _conn.ExecuteAsync("SET TimeZone = 'America/New_York'");
        var beforeChange = new DateTime(2024, 3, 10, 6, 30, 0, DateTimeKind.Utc);
        var afterChange = new DateTime(2024, 3, 10, 7, 30, 0, DateTimeKind.Utc);

        // Writing: one hour apart in UTC, 01:30 EST and 03:30 EDT on the local clock.
        Assert.Equal("2024-03-10 01:30:00-05", await _conn.QueryScalarAsync<string>("SELECT $1::text", beforeChange));
        Assert.Equal("2024-03-10 03:30:00-04", await _conn.QueryScalarAsync<string>("SELECT $1::text", afterChange));
        // Reading: local times the server interprets in the session's zone come back as the UTC instants.
        Assert.Equal(beforeChange, await _conn.ReadOneAsync<DateTime>("SELECT '2024-03-10 01:30'::timestamptz"));
        Assert.Equal(afterChange, await _conn.ReadOneAsync<DateTime>("SELECT '2024-03-10 03:30'::timestamptz"));
        Assert.Equal(TimeSpan.FromHours(1), await _conn.QueryScalarAsync<TimeSpan>("SELECT $2::timestamptz - $1::timestamptz", beforeChange, afterChange));
        Assert.Equal(DateTimeKind.Utc, (await _conn.ReadOneAsync<DateTime>("SELECT '2024-03-10 03:30'::timestamptz")).Kind);
        // Round trip, and the same instant as a DateTimeOffset with its own offset.
        Assert.Equal(afterChange, await _conn.ReadOneAsync<DateTime>("SELECT $1", afterChange));
        Assert.Equal(afterChange, await _conn.ReadOneAsync<DateTime>("SELECT $1", new DateTimeOffset(2024, 3, 10, 3, 30, 0, TimeSpan.FromHours(-4))));
    }

    [Fact]
    public async Task A_session_in_New_York_reads_the_same_UTC_instants_across_the_autumn_DST_change()
    {
        await _conn.ExecuteAsync("SET TimeZone = 'America/New_York'");

        // 01:30 happens twice on 3 November 2024; the offset in the text says which.
        Assert.Equal(new DateTime(2024, 11, 3, 5, 30, 0, DateTimeKind.Utc), await _conn.ReadOneAsync<DateTime>("SELECT '2024-11-03 01:30-04'::timestamptz"));
        Assert.Equal(new DateTime(2024, 11, 3, 6, 30, 0, DateTimeKind.Utc), await _conn.ReadOneAsync<DateTime>("SELECT '2024-11-03 01:30-05'::timestamptz"));
        Assert.Equal("2024-11-03 01:30:00-05", await _conn.QueryScalarAsync<string>("SELECT $1::text", new DateTime(2024, 11, 3, 6, 30, 0, DateTimeKind.Utc)));
    }

    [Fact]
    public async Task A_Utc_DateTime_is_inferred_as_timestamptz()
    {
        var utc = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        Assert.Equal("timestamp with time zone", await _conn.QueryScalarAsync<string>("SELECT pg_typeof($1)::text", utc));
        Assert.Equal("timestamp with time zone", await _conn.QueryScalarAsync<string>("SELECT pg_typeof($1)::text", DateTimeOffset.UtcNow));
    }

    [Theory]
    [InlineData(DateTimeKind.Local)]
    [InlineData(DateTimeKind.Unspecified)]
    public async Task A_DateTime_that_is_not_Utc_is_refused_as_timestamptz_with_how_to_fix_it(DateTimeKind kind)
    {
        var value = new DateTime(2024, 1, 1, 12, 0, 0, kind);

        var e = await Assert.ThrowsAsync<PgConversionException>(async () =>
            await _conn.QueryScalarAsync<string>("SELECT $1::text", new PgParameter(value, PgDbType.TimestampTz)));

        Assert.Contains($"Kind {kind}", e.Message);
        Assert.Contains("ToUniversalTime()", e.Message);
        Assert.Contains("PgDbType.Timestamp", e.Message);
        Assert.Contains("$1", e.Message);
        Assert.Equal(PgErrorCodes.InvalidParameterValue, e.SqlState);
        Assert.Equal(1, await _conn.QueryScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public async Task A_Local_DateTime_converted_with_ToUniversalTime_is_the_same_instant()
    {
        var local = new DateTime(2024, 7, 1, 12, 0, 0, DateTimeKind.Local);

        Assert.Equal(local.ToUniversalTime(), await _conn.ReadOneAsync<DateTime>("SELECT $1::timestamptz", local.ToUniversalTime()));
    }

    [Fact]
    public async Task A_timestamptz_column_reports_DateTime_and_its_PostgreSQL_name()
    {
        await using var cmd = new PgCommand("SELECT '2024-01-02 03:04:05+02'::timestamptz", _conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());

        Assert.Equal(typeof(DateTime), reader.GetFieldType(0));
        Assert.Equal("timestamp with time zone", reader.GetDataTypeName(0));
        Assert.Equal(new DateTime(2024, 1, 2, 1, 4, 5, DateTimeKind.Utc), reader.GetValue(0));
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 1, 4, 5, TimeSpan.Zero), reader.GetFieldValue<DateTimeOffset>(0));
    }

    private async Task<(string Text, T Value)> TextAndValueAsync<T>(string sql, object value)
    {
        await using var cmd = new PgCommand(sql, _conn);
        cmd.Parameters.Add(new PgParameter(value));
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetString(0), reader.GetFieldValue<T>(1));
    }

}
