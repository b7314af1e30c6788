using System.Globalization;
using CsCheck;
using PgWire.Tests.Infrastructure;
using PgWire.Types;

namespace PgWire.Tests.Types.Temporal;

/// <summary>date as DateOnly (also DateTime): days both ways, infinity as MaxValue/MinValue, BC and far-future dates readable as text.</summary>
[Collection("Database")]
public sealed class DateTests(DatabaseFixture db) : IAsyncLifetime
{
    private PgConnection _conn = null!;

    public async Task InitializeAsync() => _conn = await db.OpenAsync();

    public async Task DisposeAsync() => await _conn.DisposeAsync();

    private static readonly Gen<DateOnly> AnyDateOnly = Gen.Frequency(
        (50, Gen.Int[0, DateOnly.MaxValue.DayNumber].Select(DateOnly.FromDayNumber)),
        (1, Gen.OneOf(Gen.Const(DateOnly.MinValue), Gen.Const(DateOnly.MaxValue))));

    [Fact]
    public async Task Any_DateOnly_is_the_date_the_server_prints_and_reads_back()
    {
        await AnyDateOnly.SampleAsync(async value =>
        {
            var (text, back) = await TextAndValueAsync<DateOnly>("SELECT $1::text, $1", value);

            Assert.Equal(ExpectedText.Date(value), text);
            Assert.Equal(value, back);
        }, iter: 500, threads: 1, print: v => v.ToString("o", CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Any_DateTime_named_as_date_is_its_date_without_the_time_of_day()
    {
        var gen = Gen.Long[1, DateTime.MaxValue.Ticks - 1].Select(ticks => new DateTime(ticks));
        await gen.SampleAsync(async value =>
        {
            var (text, back) = await TextAndValueAsync<DateTime>("SELECT $1::text, $1", new PgParameter(value, PgDbType.Date));

            Assert.Equal(value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), text);
            Assert.Equal(value.Date, back);
            Assert.Equal(DateTimeKind.Unspecified, back.Kind);
        }, iter: 500, threads: 1, print: v => v.ToString("o", CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Dates_the_server_generates_read_in_binary_as_the_server_prints_them()
    {
        await _conn.ExecuteAsync("SELECT setseed(0.75)");
        // Every other value lies anywhere in the date range, 4714-11-24 BC to 5874897 AD.
        var rows = await _conn.ReadPairsAsync("""
            SELECT v, v::text FROM (
              SELECT CASE WHEN i % 2 = 0
                THEN date '0001-01-01' + floor(random() * (date '9999-12-31' - date '0001-01-01' + 1))::int
                ELSE date '4714-11-24 BC' + floor(random() * (date '5874897-12-31' - date '4714-11-24 BC' + 1))::int
              END AS v FROM generate_series(1, 500) i) s
            """, r => (Text: r.GetFieldValue<string>(0), Value: TemporalQueries.Try(() => r.GetFieldValue<DateOnly>(0)), AsDateTime: TemporalQueries.Try(() => r.GetFieldValue<DateTime>(0))));

        Assert.Equal(500, rows.Count);
        Assert.Contains(rows, r => r.Value.Value.Error is null);
        foreach (var ((text, (value, error), (dateTime, _)), serverText) in rows)
        {
            Assert.Equal(serverText, text);
            if (TimestampTests.IsInDotNetRange(serverText))
            {
                var parsed = DateOnly.ParseExact(serverText, "yyyy-MM-dd", CultureInfo.InvariantCulture);
                Assert.Equal(parsed, value);
                Assert.Equal(parsed.ToDateTime(TimeOnly.MinValue), dateTime);
                Assert.Equal(parsed, TemporalQueries.ReadText<DateOnly>(DateTimeOids.Date, serverText));
            }
            else
            {
                Assert.Contains(serverText, Assert.IsType<PgConversionException>(error).Message);
                Assert.Null(dateTime);
            }
        }
    }

    [Theory]
    [InlineData("4714-11-24 BC")]
    [InlineData("4713-01-01 BC")]
    [InlineData("0001-12-31 BC")]
    [InlineData("10000-01-01")]
    [InlineData("294276-12-31")]
    [InlineData("5874897-12-31")]
    public async Task A_date_beyond_DateOnly_is_refused_naming_column_and_type_and_reads_as_its_text(string text)
    {
        var e = await Assert.ThrowsAsync<PgConversionException>(() => _conn.ReadOneAsync<DateOnly>($"SELECT '{text}'::date AS d"));

        Assert.Contains("\"d\"", e.Message);
        Assert.Contains("date", e.Message);
        Assert.Contains(text, e.Message);
        await Assert.ThrowsAsync<PgConversionException>(() => _conn.ReadOneAsync<DateTime>($"SELECT '{text}'::date"));
        Assert.Equal(text, await _conn.ReadOneAsync<string>($"SELECT '{text}'::date"));
        Assert.Equal(new DateOnly(2024, 2, 29), await _conn.ReadOneAsync<DateOnly>("SELECT '2024-02-29'::date"));
    }

    [Theory]
    [InlineData("infinity")]
    [InlineData("-infinity")]
    public async Task Infinity_reads_as_MaxValue_and_minus_infinity_as_MinValue(string text)
    {
        bool positive = text == "infinity";

        Assert.Equal(positive ? DateOnly.MaxValue : DateOnly.MinValue, await _conn.ReadOneAsync<DateOnly>($"SELECT '{text}'::date"));
        Assert.Equal(positive ? DateTime.MaxValue : DateTime.MinValue, await _conn.ReadOneAsync<DateTime>($"SELECT '{text}'::date"));
        Assert.Equal(text, await _conn.ReadOneAsync<string>($"SELECT '{text}'::date"));
    }

    [Fact]
    public async Task MaxValue_and_MinValue_of_DateOnly_and_DateTime_are_sent_as_infinity()
    {
        Assert.Equal("infinity", await _conn.QueryScalarAsync<string>("SELECT $1::text", DateOnly.MaxValue));
        Assert.Equal("-infinity", await _conn.QueryScalarAsync<string>("SELECT $1::text", DateOnly.MinValue));
        Assert.Equal("infinity", await _conn.QueryScalarAsync<string>("SELECT $1::text", new PgParameter(DateTime.MaxValue, PgDbType.Date)));
        Assert.Equal("-infinity", await _conn.QueryScalarAsync<string>("SELECT $1::text", new PgParameter(DateTime.MinValue, PgDbType.Date)));
    }

    [Fact]
    public async Task Only_DateTime_MaxValue_itself_is_infinity_not_every_DateTime_on_its_last_day()
    {
        Assert.Equal("9999-12-31", await _conn.QueryScalarAsync<string>("SELECT $1::text", new PgParameter(new DateTime(9999, 12, 31, 12, 0, 0), PgDbType.Date)));
        Assert.Equal("0001-01-01", await _conn.QueryScalarAsync<string>("SELECT $1::text", new PgParameter(new DateTime(1, 1, 1, 12, 0, 0), PgDbType.Date)));
    }

    [Fact]
    public async Task The_29th_of_February_goes_both_ways()
    {
        Assert.Equal("2024-02-29", await _conn.QueryScalarAsync<string>("SELECT $1::text", new DateOnly(2024, 2, 29)));
        Assert.Equal(new DateOnly(2024, 2, 29), await _conn.ReadOneAsync<DateOnly>("SELECT $1::date + 1", new DateOnly(2024, 2, 28)));
        Assert.Equal(new DateOnly(2024, 3, 1), await _conn.ReadOneAsync<DateOnly>("SELECT '2024-02-29'::date + 1"));
        Assert.Equal(new DateOnly(2000, 2, 29), await _conn.ReadOneAsync<DateOnly>("SELECT '2000-02-29'::date"));
    }

    [Fact]
    public async Task A_DateOnly_is_inferred_as_date()
    {
        Assert.Equal("date", await _conn.QueryScalarAsync<string>("SELECT pg_typeof($1)::text", new DateOnly(2024, 1, 1)));
        Assert.True(await _conn.QueryScalarAsync<bool>("SELECT $1 = '2024-02-29'::date", new DateOnly(2024, 2, 29)));
    }

    [Fact]
    public async Task A_date_column_reports_DateOnly_and_its_PostgreSQL_name()
    {
        await using var cmd = new PgCommand("SELECT '2024-01-02'::date", _conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());

        Assert.Equal(typeof(DateOnly), reader.GetFieldType(0));
        Assert.Equal("date", reader.GetDataTypeName(0));
        Assert.Equal(new DateOnly(2024, 1, 2), reader.GetValue(0));
        Assert.Equal(new DateTime(2024, 1, 2), reader.GetDateTime(0));
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
