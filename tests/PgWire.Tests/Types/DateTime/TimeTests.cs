using System.Globalization;
using CsCheck;
using PgWire.Tests.Infrastructure;
using PgWire.Types;

namespace PgWire.Tests.Types.Temporal;

/// <summary>time as TimeOnly (also TimeSpan), to the microsecond; 24:00:00 exists in PostgreSQL and only as a TimeSpan in .NET.</summary>
[Collection("Database")]
public sealed class TimeTests(DatabaseFixture db) : IAsyncLifetime
{
    private PgConnection _conn = null!;

    public async Task InitializeAsync() => _conn = await db.OpenAsync();

    public async Task DisposeAsync() => await _conn.DisposeAsync();

    [Fact]
    public async Task Any_TimeOnly_is_the_time_the_server_prints_and_reads_back_to_the_microsecond()
    {
        var gen = Gen.Long[0, TimeOnly.MaxValue.Ticks].Select(ticks => new TimeOnly(ticks));
        await gen.SampleAsync(async value =>
        {
            var (text, back) = await TextAndValueAsync<TimeOnly>("SELECT $1::text, $1", value);

            Assert.Equal(ExpectedText.Time(value.ToTimeSpan()), text);
            Assert.Equal(new TimeOnly(value.Ticks - value.Ticks % 10), back);
        }, iter: 500, threads: 1, print: v => v.ToString("HH:mm:ss.fffffff", CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Any_TimeSpan_of_up_to_a_day_named_as_time_is_that_time_of_day()
    {
        var gen = Gen.Long[0, TimeSpan.TicksPerDay].Select(ticks => new TimeSpan(ticks));
        await gen.SampleAsync(async value =>
        {
            var (text, back) = await TextAndValueAsync<TimeSpan>("SELECT $1::text, $1", new PgParameter(value, PgDbType.Time));

            Assert.Equal(ExpectedText.Time(value), text);
            Assert.Equal(new TimeSpan(value.Ticks - value.Ticks % 10), back);
        }, iter: 500, threads: 1, print: v => v.ToString("c", CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Times_the_server_generates_read_in_binary_as_the_server_prints_them()
    {
        await _conn.ExecuteAsync("SELECT setseed(0.3)");
        var rows = await _conn.ReadPairsAsync(
            "SELECT v, v::text FROM (SELECT time '00:00' + random() * interval '24 hours' AS v FROM generate_series(1, 500)) s",
            r => (Text: r.GetFieldValue<string>(0), Value: r.GetFieldValue<TimeOnly>(0), Span: r.GetFieldValue<TimeSpan>(0)));

        Assert.Equal(500, rows.Count);
        foreach (var ((text, value, span), serverText) in rows)
        {
            Assert.Equal(serverText, text);
            Assert.Equal(TimeOnly.ParseExact(serverText, "HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture), value);
            Assert.Equal(value.ToTimeSpan(), span);
            Assert.Equal(value, TemporalQueries.ReadText<TimeOnly>(DateTimeOids.Time, serverText));
        }
    }

    [Fact]
    public async Task Midnight_at_the_end_of_the_day_reads_as_a_TimeSpan_of_one_day_and_is_refused_as_TimeOnly()
    {
        var e = await Assert.ThrowsAsync<PgConversionException>(() => _conn.ReadOneAsync<TimeOnly>("SELECT '24:00:00'::time AS t"));

        Assert.Contains("\"t\"", e.Message);
        Assert.Contains("24:00:00", e.Message);
        Assert.Contains("TimeSpan", e.Message);
        Assert.Equal(TimeSpan.FromDays(1), await _conn.ReadOneAsync<TimeSpan>("SELECT '24:00:00'::time"));
        Assert.Equal("24:00:00", await _conn.ReadOneAsync<string>("SELECT '24:00:00'::time"));
        Assert.Equal("24:00:00", await _conn.QueryScalarAsync<string>("SELECT $1::text", new PgParameter(TimeSpan.FromDays(1), PgDbType.Time)));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(24 * 3600 + 1)]
    public async Task A_TimeSpan_outside_a_day_is_refused_as_time(int seconds)
    {
        var e = await Assert.ThrowsAsync<PgConversionException>(async () =>
            await _conn.QueryScalarAsync<string>("SELECT $1::text", new PgParameter(TimeSpan.FromSeconds(seconds), PgDbType.Time)));

        Assert.Contains("interval", e.Message);
        Assert.Equal(1, await _conn.QueryScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public async Task The_last_microsecond_of_the_day_survives_and_the_tick_after_it_is_cut()
    {
        Assert.Equal("23:59:59.999999", await _conn.QueryScalarAsync<string>("SELECT $1::text", TimeOnly.MaxValue));
        Assert.Equal(new TimeOnly(TimeOnly.MaxValue.Ticks - 9), await _conn.ReadOneAsync<TimeOnly>("SELECT '23:59:59.999999'::time"));
        Assert.Equal("00:00:00.000001", await _conn.QueryScalarAsync<string>("SELECT $1::text", new TimeOnly(19)));
    }

    [Fact]
    public async Task A_TimeOnly_is_inferred_as_time()
    {
        Assert.Equal("time without time zone", await _conn.QueryScalarAsync<string>("SELECT pg_typeof($1)::text", new TimeOnly(12, 0)));
    }

    [Fact]
    public async Task A_time_column_reports_TimeOnly_and_its_PostgreSQL_name()
    {
        await using var cmd = new PgCommand("SELECT '13:45:00.25'::time", _conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());

        Assert.Equal(typeof(TimeOnly), reader.GetFieldType(0));
        Assert.Equal("time without time zone", reader.GetDataTypeName(0));
        Assert.Equal(new TimeOnly(13, 45, 0, 250), reader.GetValue(0));
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
