using System.Globalization;
using CsCheck;
using PgWire.Tests.Infrastructure;
using PgWire.Types;

namespace PgWire.Tests.Types.Temporal;

/// <summary>
/// timetz as DateTimeOffset on 0001-01-02: the time of day and the offset both ways; the wire's zone counts seconds
/// west of UTC, the opposite sign of the offset. Offsets .NET cannot hold read as text.
/// </summary>
[Collection("Database")]
public sealed class TimeTzTests(DatabaseFixture db) : IAsyncLifetime
{
    private static readonly DateTime ReadDate = new(1, 1, 2);

    private PgConnection _conn = null!;

    public async Task InitializeAsync() => _conn = await db.OpenAsync();

    public async Task DisposeAsync() => await _conn.DisposeAsync();

    [Fact]
    public async Task Any_DateTimeOffset_is_the_time_and_offset_the_server_prints_and_reads_back()
    {
        var gen = Gen.Long[TimeSpan.TicksPerDay, DateTime.MaxValue.Ticks - TimeSpan.TicksPerDay].Select(Gen.Int[-14 * 60, 14 * 60],
            (ticks, minutes) => new DateTimeOffset(ticks, TimeSpan.FromMinutes(minutes)));
        await gen.SampleAsync(async value =>
        {
            var (text, back) = await TextAndValueAsync<DateTimeOffset>("SELECT $1::text, $1", new PgParameter(value, PgDbType.TimeTz));

            Assert.Equal(ExpectedText.TimeTz(value), text);
            var timeOfDay = value.TimeOfDay.Ticks;
            Assert.Equal(new DateTimeOffset(ReadDate.AddTicks(timeOfDay - timeOfDay % 10), value.Offset), back);
            Assert.Equal(value.Offset, back.Offset);
        }, iter: 500, threads: 1, print: v => v.ToString("o", CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Timetzs_the_server_generates_read_in_binary_as_the_server_prints_them()
    {
        await _conn.ExecuteAsync("SELECT setseed(0.9)");
        // Half the zones are whole minutes within ±14:00 (DateTimeOffset's range), half any second within ±15:59:59.
        var rows = await _conn.ReadPairsAsync("""
            SELECT v, v::text FROM (
              SELECT ((time '00:00' + random() * interval '24 hours')::text
                      || CASE WHEN z < 0 THEN '-' ELSE '+' END || to_char(abs(z) * interval '1 second', 'HH24:MI:SS'))::timetz AS v
              FROM (SELECT CASE WHEN i % 2 = 0 THEN floor(random() * 1681 - 840)::int * 60
                                ELSE floor(random() * 115199 - 57599)::int END AS z
                    FROM generate_series(1, 500) i) zones) s
            """, r => (Text: r.GetFieldValue<string>(0), Value: TemporalQueries.Try(() => r.GetFieldValue<DateTimeOffset>(0))));

        Assert.Equal(500, rows.Count);
        Assert.Contains(rows, r => r.Value.Value.Error is null);
        Assert.Contains(rows, r => r.Value.Value.Error is not null);
        foreach (var ((text, (value, error)), serverText) in rows)
        {
            Assert.Equal(serverText, text);
            if (DateTimeOffset.TryParseExact("0001-01-02 " + serverText, ["yyyy-MM-dd HH:mm:ss.FFFFFFzzz", "yyyy-MM-dd HH:mm:ss.FFFFFFzz"],
                    CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                Assert.Null(error);
                Assert.Equal(parsed, value);
                Assert.Equal(parsed.Offset, value!.Value.Offset);
                Assert.Equal(value, TemporalQueries.ReadText<DateTimeOffset>(DateTimeOids.TimeTz, serverText));
            }
            else
            {
                Assert.Contains(serverText, Assert.IsType<PgConversionException>(error).Message);
            }
        }
    }

    [Theory]
    [InlineData("12:00:00+05:30", 5 * 60 + 30)]
    [InlineData("12:00:00-08", -8 * 60)]
    [InlineData("12:00:00+14", 14 * 60)]
    [InlineData("12:00:00-14", -14 * 60)]
    public async Task A_timetz_reads_with_its_offset_east_of_UTC_though_the_wire_counts_west(string text, int offsetMinutes)
    {
        var value = await _conn.ReadOneAsync<DateTimeOffset>($"SELECT '{text}'::timetz");

        Assert.Equal(new DateTimeOffset(ReadDate.AddHours(12), TimeSpan.FromMinutes(offsetMinutes)), value);
        Assert.Equal(TimeSpan.FromMinutes(offsetMinutes), value.Offset);
    }

    [Fact]
    public async Task A_DateTimeOffset_is_sent_with_its_offset_east_of_UTC_and_its_date_ignored()
    {
        var value = new DateTimeOffset(2024, 7, 1, 9, 15, 0, TimeSpan.FromHours(-8));
        var param = new PgParameter(value, PgDbType.TimeTz);

        Assert.Equal("09:15:00-08", await _conn.QueryScalarAsync<string>("SELECT $1::text", param));
        // extract(timezone) is in seconds east, as ISO 8601 counts.
        Assert.Equal(-8 * 3600m, await _conn.QueryScalarAsync<decimal>("SELECT extract(timezone FROM $1)", param));
        Assert.Equal("17:15:00+00", await _conn.QueryScalarAsync<string>("SELECT ($1 AT TIME ZONE 'UTC')::text", param));
    }

    [Theory]
    [InlineData("12:00:00+05:30:15")]
    [InlineData("12:00:00+15:30")]
    [InlineData("24:00:00+00")]
    public async Task A_timetz_DateTimeOffset_cannot_hold_is_refused_naming_column_and_type_and_reads_as_its_text(string text)
    {
        var e = await Assert.ThrowsAsync<PgConversionException>(() => _conn.ReadOneAsync<DateTimeOffset>($"SELECT '{text}'::timetz AS tt"));

        Assert.Contains("\"tt\"", e.Message);
        Assert.Contains("time with time zone", e.Message);
        Assert.Contains(text, e.Message);
        Assert.Equal(text, await _conn.ReadOneAsync<string>($"SELECT '{text}'::timetz"));
    }

    [Fact]
    public async Task A_timetz_column_reports_DateTimeOffset_and_its_PostgreSQL_name()
    {
        await using var cmd = new PgCommand("SELECT '01:02:03.5+01'::timetz", _conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());

        Assert.Equal(typeof(DateTimeOffset), reader.GetFieldType(0));
        Assert.Equal("time with time zone", reader.GetDataTypeName(0));
        Assert.Equal(new DateTimeOffset(ReadDate.Add(new TimeSpan(0, 1, 2, 3, 500)), TimeSpan.FromHours(1)), reader.GetValue(0));
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
