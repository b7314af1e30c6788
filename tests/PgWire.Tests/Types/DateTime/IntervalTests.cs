using System.Globalization;
using CsCheck;
using PgWire.Tests.Infrastructure;
using PgWire.Types;

namespace PgWire.Tests.Types.Temporal;

/// <summary>
/// interval as TimeSpan when it has no months, and as PgInterval (months, days, microseconds) always, losslessly;
/// an interval with months read as TimeSpan is refused, not guessed at.
/// </summary>
[Collection("Database")]
public sealed class IntervalTests(DatabaseFixture db) : IAsyncLifetime
{
    private PgConnection _conn = null!;

    public async Task InitializeAsync() => _conn = await db.OpenAsync();

    public async Task DisposeAsync() => await _conn.DisposeAsync();

    private static readonly Gen<PgInterval> AnyPgInterval = Gen.Select(Gen.Int, Gen.Int, Gen.Long,
        (months, days, micros) => new PgInterval(months, days, micros));

    [Fact]
    public async Task Any_PgInterval_is_the_interval_the_server_prints_and_reads_back_exactly()
    {
        await _conn.ExecuteAsync("SET IntervalStyle = 'iso_8601'");
        await AnyPgInterval.SampleAsync(async value =>
        {
            var (text, back) = await TextAndValueAsync<PgInterval>("SELECT $1::text, $1", value);

            Assert.Equal(ExpectedText.IntervalIso8601(value.Months, value.Days, value.Microseconds), text);
            Assert.Equal(value, back);
            Assert.Equal(text, back.ToString());
        }, iter: 500, threads: 1);
    }

    [Fact]
    public async Task Any_TimeSpan_is_sent_as_whole_days_and_the_rest_and_reads_back_to_the_microsecond()
    {
        await _conn.ExecuteAsync("SET IntervalStyle = 'iso_8601'");
        await Gen.TimeSpan.SampleAsync(async value =>
        {
            var (text, back) = await TextAndValueAsync<TimeSpan>("SELECT $1::text, $1", value);

            var cut = new TimeSpan(value.Ticks - value.Ticks % 10);
            Assert.Equal(ExpectedText.IntervalIso8601(0, cut.Days, (cut - TimeSpan.FromDays(cut.Days)).Ticks / 10), text);
            Assert.Equal(cut, back);
        }, iter: 500, threads: 1, print: v => v.ToString("c", CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Intervals_the_server_generates_read_in_binary_as_the_server_prints_them_in_either_style()
    {
        const string query = """
            SELECT v, v::text FROM (
              SELECT make_interval(months => CASE WHEN i % 3 = 0 THEN 0 ELSE floor(random() * 4000 - 2000)::int END,
                                   days => floor(random() * 200000 - 100000)::int,
                                   secs => round((random() * 2e10 - 1e10)::numeric, 6)::float8) AS v
              FROM generate_series(1, 500) i) s
            """;
        await _conn.ExecuteAsync("SELECT setseed(0.6)");
        var postgresStyle = await _conn.ReadPairsAsync(query, r => (Text: r.GetFieldValue<string>(0), Value: r.GetFieldValue<PgInterval>(0),
            Span: TemporalQueries.Try(() => r.GetFieldValue<TimeSpan>(0))));
        await _conn.ExecuteAsync("SET IntervalStyle = 'iso_8601'");
        await _conn.ExecuteAsync("SELECT setseed(0.6)");
        var isoStyle = await _conn.ReadPairsAsync(query, r => r.GetFieldValue<PgInterval>(0));

        Assert.Equal(500, postgresStyle.Count);
        Assert.Equal(postgresStyle.Select(r => r.Value.Value), isoStyle.Select(r => r.Value));
        foreach (var ((text, value, (span, error)), serverText) in postgresStyle)
        {
            Assert.Equal(serverText, text);
            Assert.Equal(value, TemporalQueries.ReadText<PgInterval>(DateTimeOids.Interval, serverText));
            if (value.Months == 0)
                Assert.Equal(TimeSpan.FromDays(value.Days) + TimeSpan.FromMicroseconds(value.Microseconds), span);
            else
                Assert.Contains("PgInterval", Assert.IsType<PgConversionException>(error).Message);
        }
        foreach (var (value, serverText) in isoStyle)
        {
            Assert.Equal(serverText, value.ToString());
            Assert.Equal(value, TemporalQueries.ReadText<PgInterval>(DateTimeOids.Interval, serverText));
        }
    }

    [Fact]
    public async Task An_interval_with_months_read_as_TimeSpan_is_refused_naming_column_and_type_and_the_connection_stays_usable()
    {
        var e = await Assert.ThrowsAsync<PgConversionException>(() => _conn.ReadOneAsync<TimeSpan>("SELECT interval '1 mon 2 days' AS span"));

        Assert.Contains("\"span\"", e.Message);
        Assert.Contains("interval", e.Message);
        Assert.Contains("1 mon 2 days", e.Message);
        Assert.Contains("PgInterval", e.Message);
        Assert.Equal(PgErrorCodes.IntervalFieldOverflow, e.SqlState);
        Assert.Equal(new PgInterval(1, 2, 0), await _conn.ReadOneAsync<PgInterval>("SELECT interval '1 mon 2 days'"));
        Assert.Equal(TimeSpan.FromDays(2), await _conn.ReadOneAsync<TimeSpan>("SELECT interval '2 days'"));
    }

    [Fact]
    public async Task An_interval_beyond_TimeSpan_is_refused_and_reads_as_PgInterval()
    {
        var e = await Assert.ThrowsAsync<PgConversionException>(() => _conn.ReadOneAsync<TimeSpan>("SELECT interval '2147483647 days 2562047788:00:54.775807'"));

        Assert.Contains("PgInterval", e.Message);
        Assert.Equal(new PgInterval(0, int.MaxValue, long.MaxValue),
            await _conn.ReadOneAsync<PgInterval>("SELECT interval '2147483647 days 2562047788:00:54.775807'"));
    }

    [Fact]
    public async Task Negative_intervals_go_both_ways_with_each_field_keeping_its_sign()
    {
        Assert.Equal(-TimeSpan.FromHours(26), await _conn.ReadOneAsync<TimeSpan>("SELECT interval '-1 days -02:00:00'"));
        Assert.Equal(new PgInterval(-14, 3, -14_706_500_000), await _conn.ReadOneAsync<PgInterval>("SELECT interval '-1 years -2 mons +3 days -04:05:06.5'"));
        Assert.Equal("-1 years -2 mons +3 days -04:05:06.5", await _conn.ReadOneAsync<string>("SELECT interval '-1 years -2 mons +3 days -04:05:06.5'"));
        Assert.Equal("-1 days -12:00:00", await _conn.QueryScalarAsync<string>("SELECT $1::text", TimeSpan.FromHours(-36)));
        Assert.Equal("-00:00:00.000001", await _conn.QueryScalarAsync<string>("SELECT $1::text", TimeSpan.FromTicks(-19)));
        Assert.Equal("1 day -01:00:00", await _conn.QueryScalarAsync<string>("SELECT $1::text", new PgInterval(0, 1, -3_600_000_000)));
    }

    [Fact]
    public async Task A_TimeSpan_is_sent_as_days_and_time_and_reads_back_to_the_microsecond()
    {
        var value = new TimeSpan(1, 12, 0, 0) + TimeSpan.FromTicks(1_234_567);

        Assert.Equal("1 day 12:00:00.123456", await _conn.QueryScalarAsync<string>("SELECT $1::text", value));
        Assert.Equal(value - TimeSpan.FromTicks(7), await _conn.ReadOneAsync<TimeSpan>("SELECT $1", value));
        Assert.Equal(TimeSpan.FromMicroseconds(1), await _conn.ReadOneAsync<TimeSpan>("SELECT interval '0.000001 seconds'"));
    }

    [Fact]
    public async Task TimeSpan_and_PgInterval_are_inferred_as_interval()
    {
        Assert.Equal("interval", await _conn.QueryScalarAsync<string>("SELECT pg_typeof($1)::text", TimeSpan.FromMinutes(5)));
        Assert.Equal("interval", await _conn.QueryScalarAsync<string>("SELECT pg_typeof($1)::text", new PgInterval(1, 0, 0)));
        Assert.True(await _conn.QueryScalarAsync<bool>("SELECT $1 = interval '1 year 1 day'", new PgInterval(12, 1, 0)));
    }

    [Fact]
    public async Task Adding_a_PgInterval_month_to_a_date_follows_the_calendar()
    {
        Assert.Equal(new DateTime(2024, 2, 29), await _conn.ReadOneAsync<DateTime>("SELECT $1::date + $2", new DateOnly(2024, 1, 31), new PgInterval(1, 0, 0)));
    }

    [Fact]
    public async Task An_interval_column_reports_TimeSpan_and_its_PostgreSQL_name()
    {
        await using var cmd = new PgCommand("SELECT interval '1 day 02:03:04'", _conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());

        Assert.Equal(typeof(TimeSpan), reader.GetFieldType(0));
        Assert.Equal("interval", reader.GetDataTypeName(0));
        Assert.Equal(new TimeSpan(1, 2, 3, 4), reader.GetValue(0));
    }

    [Theory]
    [InlineData(0, 0, 0L, "PT0S")]
    [InlineData(14, 3, 14_706_500_000L, "P1Y2M3DT4H5M6.5S")]
    [InlineData(-1, 0, 0L, "P-1M")]
    [InlineData(0, 0, -500_000L, "PT-0.5S")]
    [InlineData(0, -1, -90_000_000L, "P-1DT-1M-30S")]
    public void PgInterval_prints_as_ISO_8601_like_the_server(int months, int days, long micros, string expected) =>
        Assert.Equal(expected, new PgInterval(months, days, micros).ToString());

    [Fact]
    public void PgInterval_equality_compares_fields_not_durations()
    {
        Assert.Equal(new PgInterval(1, 2, 3), new PgInterval(1, 2, 3));
        Assert.NotEqual(new PgInterval(1, 0, 0), new PgInterval(0, 30, 0));
        Assert.NotEqual(new PgInterval(0, 1, 0), new PgInterval(0, 0, 86_400_000_000));
    }

    private async Task<(string Text, T Value)> TextAndValueAsync<T>(string sql, object value)
    {
        await using var cmd = new PgCommand(sql, _conn);
        cmd.Parameters.Add(value as PgParameter ?? new PgParameter(value));
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetString(0), reader.GetFieldValue<T>(1));
    }
}
