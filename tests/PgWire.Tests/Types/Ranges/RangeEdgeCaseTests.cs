using PgWire.Tests.Infrastructure;
using PgWire.Types;

namespace PgWire.Tests.Types.Ranges;

[Collection("Database")]
public sealed class RangeEdgeCaseTests(DatabaseFixture db)
{
    [Fact]
    public async Task An_int4range_reads_as_PgRange_of_int_canonicalized_by_the_server()
    {
        await using var conn = await db.OpenAsync();
        await using var cmd = new PgCommand("SELECT int4range(1, 5, '[]')", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(typeof(PgRange<int>), reader.GetFieldType(0));
        Assert.Equal("int4range", reader.GetDataTypeName(0));
        var range = reader.GetFieldValue<PgRange<int>>(0);
        Assert.Equal(new PgRange<int>(1, 6), range);
        Assert.Equal(1, range.LowerBound);
        Assert.True(range.LowerBoundIsInclusive);
        Assert.Equal(6, range.UpperBound);
        Assert.False(range.UpperBoundIsInclusive);
        Assert.Equal(range, reader.GetValue(0));
    }

    [Fact]
    public async Task The_empty_range_reads_and_writes()
    {
        await using var conn = await db.OpenAsync();
        var empty = await conn.QueryScalarAsync<PgRange<int>>("SELECT 'empty'::int4range");
        Assert.True(empty.IsEmpty);
        Assert.Equal(PgRange<int>.Empty, empty);
        Assert.True((await conn.QueryScalarAsync<PgRange<int>>("SELECT int4range(3, 3)")).IsEmpty);
        Assert.Equal("empty", await conn.QueryScalarAsync<string>("SELECT $1::text", PgRange<long>.Empty));
        Assert.True(await conn.QueryScalarAsync<bool>("SELECT isempty($1)", PgRange<decimal>.Empty));
        // (5,6) holds no integer: the server makes it empty.
        Assert.Equal("empty", await conn.QueryScalarAsync<string>("SELECT $1::text", new PgRange<int>(5, false, 6, false)));
    }

    [Fact]
    public async Task Infinite_bounds_read_and_write()
    {
        await using var conn = await db.OpenAsync();
        var upTo3 = await conn.QueryScalarAsync<PgRange<int>>("SELECT '(,3]'::int4range");
        Assert.True(upTo3.LowerBoundInfinite);
        Assert.False(upTo3.LowerBoundIsInclusive);
        Assert.Equal(4, upTo3.UpperBound);
        Assert.Equal("(,4)", upTo3.ToString());
        var from1 = await conn.QueryScalarAsync<PgRange<long>>("SELECT '[1,)'::int8range");
        Assert.True(from1.UpperBoundInfinite);
        Assert.Equal(1L, from1.LowerBound);
        var all = await conn.QueryScalarAsync<PgRange<decimal>>("SELECT '(,)'::numrange");
        Assert.True(all.LowerBoundInfinite && all.UpperBoundInfinite && !all.IsEmpty);

        var unbounded = new PgRange<int>(0, false, true, 10, true, false);
        Assert.Equal("(,11)", await conn.QueryScalarAsync<string>("SELECT $1::text", unbounded));
        Assert.True(await conn.QueryScalarAsync<bool>("SELECT lower_inf($1) AND NOT upper_inf($1)", unbounded));
        Assert.Equal("[2.5,)", await conn.QueryScalarAsync<string>("SELECT $1::text", new PgRange<decimal>(2.5m, true, false, 0, false, true)));
        Assert.Equal("(,)", await conn.QueryScalarAsync<string>("SELECT $1::text", new PgRange<long>(0, false, true, 0, false, true)));
    }

    [Fact]
    public async Task A_numrange_keeps_its_bounds_as_given()
    {
        await using var conn = await db.OpenAsync();
        var range = new PgRange<decimal>(1.5m, true, 2.25m, true);
        Assert.Equal("[1.5,2.25]", await conn.QueryScalarAsync<string>("SELECT $1::text", range));
        Assert.Equal(range, await conn.QueryScalarAsync<PgRange<decimal>>("SELECT $1", range));
        Assert.Equal(new PgRange<decimal>(-1.000m, false, 0m, false), await conn.QueryScalarAsync<PgRange<decimal>>("SELECT '(-1.000,0)'::numrange"));
    }

    [Fact]
    public async Task A_PgRange_parameter_picks_its_range_type_from_the_bound_type()
    {
        await using var conn = await db.OpenAsync();
        Assert.Equal("int4range", await conn.QueryScalarAsync<string>("SELECT pg_typeof($1)::text", new PgRange<int>(1, 2)));
        Assert.Equal("int8range", await conn.QueryScalarAsync<string>("SELECT pg_typeof($1)::text", new PgRange<long>(1, 2)));
        Assert.Equal("numrange", await conn.QueryScalarAsync<string>("SELECT pg_typeof($1)::text", new PgRange<decimal>(1, 2)));
        Assert.Equal("[1,6)", await conn.QueryScalarAsync<string>("SELECT $1::text", new PgRange<int>(1, true, 5, true)));
        Assert.True(await conn.QueryScalarAsync<bool>("SELECT $1 @> 4", new PgRange<int>(1, 5)));
    }

    [Fact]
    public async Task An_explicit_range_type_converts_the_bounds_with_their_checks()
    {
        await using var conn = await db.OpenAsync();
        var fits = new PgParameter(new PgRange<long>(1, 10), PgDbType.Int4Range);
        Assert.Equal("int4range", await conn.QueryScalarAsync<string>("SELECT pg_typeof($1)::text", fits));
        var tooBig = new PgParameter(new PgRange<long>(1, 5_000_000_000), PgDbType.Int4Range);
        await Assert.ThrowsAsync<PgConversionException>(async () => await conn.QueryScalarAsync<string>("SELECT $1::text", tooBig));
        Assert.Equal("[1,3)", await conn.QueryScalarAsync<string>("SELECT $1::text", new PgParameter(new PgRange<int>(1, 3), PgDbType.NumRange)));
    }

    [Fact]
    public async Task A_range_whose_lower_bound_exceeds_its_upper_is_refused_by_the_server_and_the_connection_stays_usable()
    {
        await using var conn = await db.OpenAsync();
        var e = await Assert.ThrowsAsync<PgServerException>(
            async () => await conn.QueryScalarAsync<string>("SELECT $1::text", new PgRange<int>(5, 1)));
        Assert.Equal(PgErrorCodes.DataException, e.SqlState);
        Assert.Equal(1, await conn.QueryScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public async Task A_multirange_reads_as_an_array_of_ranges_sorted_and_merged_by_the_server()
    {
        await using var conn = await db.OpenAsync();
        await using var cmd = new PgCommand("SELECT '{[1,3),[5,7),[2,4)}'::int4multirange", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(typeof(PgRange<int>[]), reader.GetFieldType(0));
        Assert.Equal("int4multirange", reader.GetDataTypeName(0));
        PgRange<int>[] expected = [new(1, 4), new(5, 7)];
        Assert.Equal(expected, reader.GetFieldValue<PgRange<int>[]>(0));
        Assert.Equal(expected, reader.GetFieldValue<List<PgRange<int>>>(0));
        Assert.Equal(expected, reader.GetValue(0));
    }

    [Fact]
    public async Task The_empty_multirange_is_an_empty_array()
    {
        await using var conn = await db.OpenAsync();
        Assert.Empty((await conn.QueryScalarAsync<PgRange<long>[]>("SELECT '{}'::int8multirange"))!);
        Assert.Equal("{}", await conn.QueryScalarAsync<string>("SELECT $1::text", [Array.Empty<PgRange<int>>()]));
        Assert.Equal("{}", await conn.QueryScalarAsync<string>("SELECT $1::text", [new[] { PgRange<int>.Empty }]));
    }

    [Fact]
    public async Task Arrays_and_lists_of_ranges_are_sent_as_multiranges()
    {
        await using var conn = await db.OpenAsync();
        PgRange<int>[] ranges = [new(10, 20), new(1, true, 4, true), new(0, false, true, -5, false, false)];
        Assert.Equal("int4multirange", await conn.QueryScalarAsync<string>("SELECT pg_typeof($1)::text", [ranges]));
        Assert.Equal("{(,-5),[1,5),[10,20)}", await conn.QueryScalarAsync<string>("SELECT $1::text", [ranges]));
        var list = new List<PgRange<decimal>> { new(1.5m, 2m), new(3m, true, false, 0m, false, true) };
        Assert.Equal("nummultirange", await conn.QueryScalarAsync<string>("SELECT pg_typeof($1)::text", list));
        Assert.Equal("{[1.5,2),[3,)}", await conn.QueryScalarAsync<string>("SELECT $1::text", list));
        Assert.Equal(list, await conn.QueryScalarAsync<PgRange<decimal>[]>("SELECT $1", list));
        var longs = new List<PgRange<long>> { new(1, 2), new(4, 8) };
        Assert.Equal("{[1,2),[4,8)}", await conn.QueryScalarAsync<string>("SELECT $1::int8multirange::text", longs));
    }

    [Fact]
    public async Task Arrays_of_ranges_read_and_are_sent_with_an_explicit_array_type()
    {
        await using var conn = await db.OpenAsync();
        var ranges = await conn.QueryScalarAsync<PgRange<int>[]>("SELECT (ARRAY[int4range(1, 2), 'empty', NULL]::int4range[])[1:2]");
        Assert.Equal([new PgRange<int>(1, 2), PgRange<int>.Empty], ranges!);
        var withNull = await conn.QueryScalarAsync<PgRange<int>?[]>("SELECT ARRAY[int4range(1, 2), NULL]");
        Assert.Equal([new PgRange<int>(1, 2), null], withNull);
        var e = await Assert.ThrowsAsync<PgConversionException>(
            async () => await conn.QueryScalarAsync<PgRange<int>[]>("SELECT ARRAY[int4range(1, 2), NULL]"));
        Assert.Contains("PgRange<Int32>?[]", e.Message);
        var parameter = new PgParameter(new[] { new PgRange<int>(1, 2), new PgRange<int>(3, 9) }, PgDbType.Array | PgDbType.Int4Range);
        Assert.Equal("int4range[]", await conn.QueryScalarAsync<string>("SELECT pg_typeof($1)::text", parameter));
        Assert.Equal("{\"[1,2)\",\"[3,9)\"}", await conn.QueryScalarAsync<string>("SELECT $1::text", parameter));
        var multiranges = await conn.QueryScalarAsync<PgRange<int>[][]>("SELECT ARRAY['{[1,2)}'::int4multirange, '{}']");
        Assert.Equal(2, multiranges!.Length);
        Assert.Equal([new PgRange<int>(1, 2)], multiranges[0]);
        Assert.Empty(multiranges[1]);
    }

    [Theory]
    [InlineData("tsrange", "tsrange('2024-02-29 13:45:00', '2024-03-01', '[]')")]
    [InlineData("tstzrange", "tstzrange('2024-02-29 13:45:00+00', NULL)")]
    [InlineData("daterange", "daterange('2024-02-29', '2024-03-02')")]
    public async Task Date_and_time_ranges_read_their_bounds_as_the_element_type_does_once_its_codec_is_registered(string type, string sql)
    {
        await using var conn = await db.OpenAsync();
        var range = PgTypeRegistry.Default.ForOid(await conn.QueryScalarAsync<uint>("SELECT $1::regtype::oid", type));
        var rows = await conn.QueryAsync("SELECT r, lower(r), upper(r), r::text FROM (SELECT " + sql + " AS r) s");
        if (range.DefaultType == typeof(string))
        {
            // The element codec is not registered yet: the range arrives as its text.
            Assert.Equal(rows[0][3], rows[0][0]);
            return;
        }
        var value = rows[0][0]!;
        Assert.Equal(rows[0][1], value.GetType().GetProperty("LowerBound")!.GetValue(value));
        Assert.Equal(rows[0][2] is null, (bool)value.GetType().GetProperty("UpperBoundInfinite")!.GetValue(value)!);
    }

    [Fact]
    public async Task Date_and_time_ranges_pick_their_type_from_the_bounds_and_round_trip()
    {
        await using var conn = await db.OpenAsync();
        var utc = new PgRange<DateTime>(new DateTime(2024, 2, 29, 13, 45, 0, DateTimeKind.Utc), new DateTime(2024, 3, 1, 0, 0, 0, DateTimeKind.Utc));
        Assert.Equal("tstzrange", await conn.QueryScalarAsync<string>("SELECT pg_typeof($1)::text", utc));
        Assert.Equal(utc, await conn.QueryScalarAsync<PgRange<DateTime>>("SELECT $1", utc));
        var local = new PgRange<DateTime>(new DateTime(2024, 2, 29, 13, 45, 0), true, false, default, false, true);
        Assert.Equal("tsrange", await conn.QueryScalarAsync<string>("SELECT pg_typeof($1)::text", local));
        Assert.Equal("[\"2024-02-29 13:45:00\",)", await conn.QueryScalarAsync<string>("SELECT $1::text", local));
        Assert.Equal(local.ToString(), await conn.QueryScalarAsync<string>("SELECT $1::text", local));

        var days = new PgRange<DateOnly>(new DateOnly(2024, 2, 28), true, new DateOnly(2024, 2, 29), true);
        Assert.Equal("daterange", await conn.QueryScalarAsync<string>("SELECT pg_typeof($1)::text", days));
        Assert.Equal("[2024-02-28,2024-03-01)", await conn.QueryScalarAsync<string>("SELECT $1::text", days));
        Assert.Equal(new PgRange<DateOnly>(new DateOnly(2024, 2, 28), new DateOnly(2024, 3, 1)),
            await conn.QueryScalarAsync<PgRange<DateOnly>>("SELECT $1", days));
        PgRange<DateOnly>[] multirange = [days, new(new DateOnly(2024, 3, 1), new DateOnly(2024, 3, 5))];
        Assert.Equal("{[2024-02-28,2024-03-05)}", await conn.QueryScalarAsync<string>("SELECT $1::text", [multirange]));
        Assert.Equal("datemultirange", await conn.QueryScalarAsync<string>("SELECT pg_typeof($1)::text", [multirange]));
    }
}
