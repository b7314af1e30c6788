using System.Globalization;
using CsCheck;
using PgWire.Tests.Infrastructure;
using PgWire.Types;

namespace PgWire.Tests.Types.Temporal;

/// <summary>
/// timestamp (without time zone) as DateTime of Kind Unspecified: a clock reading sent as it is, whatever the Kind,
/// to microsecond precision; infinity as DateTime.MaxValue/MinValue; values beyond years 1 to 9999 refused as
/// DateTime but readable as the server's text.
/// </summary>
[Collection("Database")]
public sealed class TimestampTests(DatabaseFixture db) : IAsyncLifetime
{
    private PgConnection _conn = null!;

    public async Task InitializeAsync() => _conn = await db.OpenAsync();

    public async Task DisposeAsync() => await _conn.DisposeAsync();

    private static readonly Gen<DateTime> AnyDateTime = Gen.Frequency(
        (50, Gen.Long[0, DateTime.MaxValue.Ticks].Select(Gen.Enum<DateTimeKind>(), (ticks, kind) => new DateTime(ticks, kind))),
        (1, Gen.OneOf(Gen.Const(DateTime.MinValue), Gen.Const(DateTime.MaxValue))));

    [Fact]
    public async Task Any_DateTime_sent_as_timestamp_is_the_clock_reading_the_server_prints_and_reads_back_to_the_microsecond()
    {
        await AnyDateTime.SampleAsync(async value =>
        {
            var (text, back) = await TextAndValueAsync("SELECT $1::text, $1", new PgParameter(value, PgDbType.Timestamp));

            Assert.Equal(ExpectedText.Timestamp(value), text);
            var expected = value == DateTime.MaxValue || value == DateTime.MinValue ? value : new DateTime(value.Ticks - value.Ticks % 10);
            Assert.Equal(expected, back);
            Assert.Equal(DateTimeKind.Unspecified, back.Kind);
        }, iter: 500, threads: 1, print: v => v.ToString("o", CultureInfo.InvariantCulture) + " " + v.Kind);
    }

    [Fact]
    public async Task Timestamps_the_server_generates_read_in_binary_as_the_server_prints_them()
    {
        await _conn.ExecuteAsync("SELECT setseed(0.25)");
        // Every other value lies anywhere in PostgreSQL's range (4713 BC to 294276 AD), most of them beyond DateTime's.
        var rows = await _conn.ReadPairsAsync("""
            SELECT v, v::text FROM (
              SELECT CASE WHEN i % 2 = 0
                THEN timestamp '0001-01-01' + random() * (timestamp '9999-12-31 23:59:59.999999' - timestamp '0001-01-01')
                ELSE timestamp '4713-01-01 00:00 BC' + floor(random() * 109203000) * interval '1 day' + random() * interval '1 day'
              END AS v FROM generate_series(1, 500) i) s
            """, r => (Text: r.GetFieldValue<string>(0), Value: TemporalQueries.Try(() => r.GetFieldValue<DateTime>(0))));

        Assert.Equal(500, rows.Count);
        Assert.Contains(rows, r => r.Value.Value.Error is null);
        foreach (var ((text, (value, error)), serverText) in rows)
        {
            Assert.Equal(serverText, text);
            if (IsInDotNetRange(serverText))
            {
                Assert.Null(error);
                Assert.Equal(DateTime.ParseExact(serverText, "yyyy-MM-dd HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture), value);
                Assert.Equal(value, TemporalQueries.ReadText<DateTime>(DateTimeOids.Timestamp, serverText));
            }
            else
            {
                Assert.Contains(serverText, Assert.IsType<PgConversionException>(error).Message);
            }
        }
    }

    [Theory]
    [InlineData("4713-01-01 00:00:00 BC")]
    [InlineData("0001-12-31 23:59:59.999999 BC")]
    [InlineData("10000-01-01 00:00:00")]
    [InlineData("294276-12-31 23:59:59.999999")]
    public async Task A_timestamp_beyond_DateTime_is_refused_naming_column_and_type_and_reads_as_its_text(string text)
    {
        var e = await Assert.ThrowsAsync<PgConversionException>(() => _conn.ReadOneAsync<DateTime>($"SELECT '{text}'::timestamp AS ts"));

        Assert.Contains("\"ts\"", e.Message);
        Assert.Contains("timestamp without time zone", e.Message);
        Assert.Contains(text, e.Message);
        Assert.Equal(PgErrorCodes.DatetimeFieldOverflow, e.SqlState);
        Assert.Equal(text, await _conn.ReadOneAsync<string>($"SELECT '{text}'::timestamp"));
        Assert.Equal(new DateTime(2024, 2, 29), await _conn.ReadOneAsync<DateTime>("SELECT '2024-02-29'::timestamp"));
    }

    [Fact]
    public async Task The_first_and_last_microseconds_DateTime_holds_are_finite_timestamps()
    {
        var last = new DateTime(9999, 12, 31, 23, 59, 59).AddTicks(9_999_990);

        Assert.Equal(last, await _conn.ReadOneAsync<DateTime>("SELECT '9999-12-31 23:59:59.999999'::timestamp"));
        Assert.Equal("9999-12-31 23:59:59.999999", await _conn.QueryScalarAsync<string>("SELECT $1::text", new PgParameter(last, PgDbType.Timestamp)));
        Assert.Equal(new DateTime(1, 1, 1).AddTicks(10), await _conn.ReadOneAsync<DateTime>("SELECT '0001-01-01 00:00:00.000001'::timestamp"));
    }

    [Theory]
    [InlineData("infinity")]
    [InlineData("-infinity")]
    public async Task Infinity_reads_as_DateTime_MaxValue_and_minus_infinity_as_MinValue(string text)
    {
        var expected = text == "infinity" ? DateTime.MaxValue : DateTime.MinValue;

        Assert.Equal(expected, await _conn.ReadOneAsync<DateTime>($"SELECT '{text}'::timestamp"));
        Assert.Equal(text, await _conn.ReadOneAsync<string>($"SELECT '{text}'::timestamp"));
    }

    [Fact]
    public async Task DateTime_MaxValue_and_MinValue_are_sent_as_infinity_and_minus_infinity()
    {
        Assert.Equal("infinity", await _conn.QueryScalarAsync<string>("SELECT $1::timestamp::text", DateTime.MaxValue));
        Assert.Equal("-infinity", await _conn.QueryScalarAsync<string>("SELECT $1::timestamp::text", DateTime.MinValue));
        Assert.True(await _conn.QueryScalarAsync<bool>("SELECT $1 = 'infinity'::timestamp", DateTime.MaxValue));
    }

    [Fact]
    public async Task The_29th_of_February_goes_both_ways()
    {
        var leap = new DateTime(2024, 2, 29, 12, 34, 56, 789).AddTicks(1230);

        Assert.Equal("2024-02-29 12:34:56.789123", await _conn.QueryScalarAsync<string>("SELECT $1::timestamp::text", leap));
        Assert.Equal(leap, await _conn.ReadOneAsync<DateTime>("SELECT '2024-02-29 12:34:56.789123'::timestamp"));
    }

    [Fact]
    public async Task A_DateTime_of_Kind_Local_or_Unspecified_is_inferred_as_timestamp()
    {
        Assert.Equal("timestamp without time zone", await _conn.QueryScalarAsync<string>("SELECT pg_typeof($1)::text", new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Local)));
        Assert.Equal("timestamp without time zone", await _conn.QueryScalarAsync<string>("SELECT pg_typeof($1)::text", new DateTime(2024, 1, 1)));
    }

    [Fact]
    public async Task A_Utc_DateTime_named_as_timestamp_is_written_as_its_clock_reading_unshifted()
    {
        var utc = new DateTime(2024, 7, 1, 12, 0, 0, DateTimeKind.Utc);

        Assert.Equal("2024-07-01 12:00:00", await _conn.QueryScalarAsync<string>("SELECT $1::text", new PgParameter(utc, PgDbType.Timestamp)));
    }

    [Fact]
    public async Task A_Local_DateTime_is_written_as_its_clock_reading_unshifted()
    {
        var local = new DateTime(2024, 7, 1, 12, 0, 0, DateTimeKind.Local);

        Assert.Equal("2024-07-01 12:00:00", await _conn.QueryScalarAsync<string>("SELECT $1::text", local));
    }

    [Fact]
    public async Task Sub_microsecond_ticks_are_cut_not_rounded()
    {
        var value = new DateTime(2024, 12, 31, 23, 59, 59).AddTicks(9_999_999);

        Assert.Equal("2024-12-31 23:59:59.999999", await _conn.QueryScalarAsync<string>("SELECT $1::timestamp::text", value));
        Assert.Equal("1999-12-31 23:59:59.999999", await _conn.QueryScalarAsync<string>("SELECT $1::timestamp::text",
            new DateTime(1999, 12, 31, 23, 59, 59).AddTicks(9_999_995)));
    }

    [Fact]
    public async Task A_DateTimeOffset_named_as_timestamp_is_refused_before_anything_is_sent()
    {
        var e = await Assert.ThrowsAsync<PgConversionException>(async () =>
            await _conn.QueryScalarAsync<string>("SELECT $1::text", new PgParameter(DateTimeOffset.UnixEpoch, PgDbType.Timestamp)));

        Assert.Contains("DateTimeOffset", e.Message);
        Assert.Equal(1, await _conn.QueryScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public async Task A_timestamp_column_reports_DateTime_and_its_PostgreSQL_name()
    {
        await using var cmd = new PgCommand("SELECT '2024-01-02 03:04:05'::timestamp", _conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());

        Assert.Equal(typeof(DateTime), reader.GetFieldType(0));
        Assert.Equal("timestamp without time zone", reader.GetDataTypeName(0));
        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5), reader.GetValue(0));
        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5), reader.GetDateTime(0));
    }

    [Fact]
    public async Task The_native_API_reads_a_timestamp_as_DateTime()
    {
        var rows = await _conn.QueryAsync("SELECT '2024-01-02 03:04:05.5'::timestamp AS ts, NULL::timestamp AS none");

        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5, 500), rows[0].Get<DateTime>("ts"));
        Assert.Null(rows[0].Get<DateTime?>("none"));
    }

    private async Task<(string Text, DateTime Value)> TextAndValueAsync(string sql, PgParameter parameter)
    {
        await using var cmd = new PgCommand(sql, _conn);
        cmd.Parameters.Add(parameter);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetString(0), reader.GetFieldValue<DateTime>(1));
    }


    /// <summary>A year from 1 to 9999 in the server's ISO text.</summary>
    internal static bool IsInDotNetRange(string serverText) =>
        !serverText.Contains("BC") && serverText.IndexOf('-') == 4;
}
