using PgWire.Tests.Infrastructure;
using PgWire.Types;
using PgWire.Types.Arrays;
using PgWire.Types.Ranges;

namespace PgWire.Tests.Types.Arrays;

[Collection("Database")]
public sealed class ArrayTypeTableTests(DatabaseFixture db)
{
    [Fact]
    public async Task Every_array_OID_in_the_built_in_table_is_the_servers_typarray_of_its_element()
    {
        await using var conn = await db.OpenAsync();
        var elements = BuiltInArrayTypes.All.Select(p => p.Element).ToArray();
        var rows = await conn.QueryAsync("SELECT oid, typarray FROM pg_type WHERE oid = ANY($1)", elements);
        var server = rows.ToDictionary(r => (uint)r[0]!, r => (uint)r[1]!);
        Assert.Equal(BuiltInArrayTypes.All.Length, server.Count);
        foreach (var (element, array, _) in BuiltInArrayTypes.All)
            Assert.Equal((element, server[element]), (element, array));
    }

    [Fact]
    public async Task Every_range_in_the_built_in_table_matches_pg_range_and_pg_type()
    {
        await using var conn = await db.OpenAsync();
        var rows = await conn.QueryAsync(
            "SELECT r.rngtypid, t.typname::text, r.rngsubtype, t.typarray, r.rngmultitypid, m.typname::text, m.typarray " +
            "FROM pg_range r JOIN pg_type t ON t.oid = r.rngtypid JOIN pg_type m ON m.oid = r.rngmultitypid " +
            "WHERE r.rngtypid = ANY($1)", BuiltInRangeTypes.All.Select(t => t.Oid).ToArray());
        Assert.Equal(BuiltInRangeTypes.All.Length, rows.Count);
        foreach (var row in rows)
        {
            var type = BuiltInRangeTypes.All.Single(t => t.Oid == (uint)row[0]!);
            Assert.Equal(
                (row[1], row[2], row[3], row[4], row[5], row[6]),
                ((object?)type.Name, (object?)type.ElementOid, (object?)type.ArrayOid, (object?)type.MultirangeOid, (object?)type.MultirangeName,
                    (object?)type.MultirangeArrayOid));
        }
    }

    [Fact]
    public async Task Every_registered_array_range_and_multirange_codec_has_the_servers_name_for_its_type()
    {
        await using var conn = await db.OpenAsync();
        var codecs = PgTypeRegistry.Default.Codecs
            .Where(c => c.GetType().IsGenericType && c.GetType().GetGenericTypeDefinition() is var d &&
                        (d == typeof(ArrayCodec<>) || d == typeof(StructArrayCodec<>) || d == typeof(RangeCodec<>) || d == typeof(MultirangeCodec<>)))
            .ToList();
        Assert.Contains(codecs, c => c.Oid == 1007);
        Assert.Contains(codecs, c => c.Oid == 3904);
        var rows = await conn.QueryAsync("SELECT o, format_type(o, NULL) FROM unnest($1) o", codecs.Select(c => c.Oid).ToArray());
        var names = rows.ToDictionary(r => (uint)r[0]!, r => (string)r[1]!);
        foreach (var codec in codecs)
            Assert.Equal((codec.Oid, names[codec.Oid]), (codec.Oid, codec.DataTypeName));
    }

    [Fact]
    public void Each_registered_element_of_the_table_has_its_array_registered_and_named_by_PgDbType()
    {
        var registry = PgTypeRegistry.Default;
        foreach (var (element, array, dbType) in BuiltInArrayTypes.All)
        {
            if (registry.Find(element) is null)
            {
                Assert.Null(registry.Find(array));
                continue;
            }
            Assert.IsAssignableFrom<IPgGenericReader>(registry.Find(array));
            Assert.Equal(array, registry.ForDbType(PgDbType.Array | dbType).Oid);
            // The table's PgDbType names the same type the element's own family registered it as.
            Assert.Equal(element, registry.ForDbType(dbType).Oid);
        }
        Assert.Equal(1007u, registry.ForDbType(PgDbType.Array | PgDbType.Integer).Oid);
        Assert.Equal(1009u, registry.ForDbType(PgDbType.Array | PgDbType.Text).Oid);
        Assert.Equal(1001u, registry.ForDbType(PgDbType.Array | PgDbType.Bytea).Oid);
        Assert.Equal(3905u, registry.ForDbType(PgDbType.Array | PgDbType.Int4Range).Oid);
        Assert.Equal(4451u, registry.ForDbType(PgDbType.Int4Multirange).Oid);
        Assert.Equal(6150u, registry.ForDbType(PgDbType.Array | PgDbType.Int4Multirange).Oid);
    }

    /// <summary>A literal of each element type of the built-in array table.</summary>
    private static readonly Dictionary<uint, string> Samples = new()
    {
        [16] = "true::bool", [17] = "'\\x01ff'::bytea", [18] = "'a'::\"char\"", [19] = "'n m'::name", [21] = "1::int2", [23] = "-2::int4",
        [25] = "'a \"b\"'::text", [1042] = "'x'::char(3)", [1043] = "'v,w'::varchar", [20] = "9::int8", [700] = "1.5::float4",
        [701] = "-0.25::float8", [26] = "7::oid", [1700] = "1.50::numeric", [1114] = "'2024-02-29 13:45'::timestamp",
        [1082] = "'2024-02-29'::date", [1083] = "'13:45:01.5'::time", [1184] = "'2024-02-29 13:45+00'::timestamptz",
        [1186] = "'2 days 03:04:05'::interval", [1266] = "'13:45+02'::timetz", [2950] = "'0f8fad5b-d9cb-469f-a165-70867728950e'::uuid",
        [114] = "'{\"a\": [1, 2]}'::json", [3802] = "'{\"a\": [1, 2]}'::jsonb", [869] = "'10.0.0.1'::inet", [650] = "'10.0.0.0/8'::cidr",
        [829] = "'08:00:2b:01:02:03'::macaddr", [774] = "'08:00:2b:01:02:03:04:05'::macaddr8", [1560] = "B'101'::bit(3)",
        [1562] = "B'1011'::varbit", [790] = "1.50::money", [142] = "'<a>x</a>'::xml", [28] = "'5'::xid", [5069] = "'5'::xid8",
        [29] = "'5'::cid", [27] = "'(1,2)'::tid", [2205] = "'pg_class'::regclass", [2206] = "'int4'::regtype", [3220] = "'0/16B3748'::pg_lsn",
    };

    [Fact]
    public async Task Every_registered_element_type_reads_its_array_and_sends_it_back_unchanged()
    {
        await using var conn = await db.OpenAsync();
        int checkedTypes = 0;
        foreach (var (element, _, dbType) in BuiltInArrayTypes.All)
        {
            if (PgTypeRegistry.Default.Find(element) is null) continue;
            string array = "ARRAY[" + Samples[element] + ", NULL]";
            var value = await conn.QueryScalarAsync<object>("SELECT " + array);
            Assert.IsAssignableFrom<Array>(value);
            var rows = await conn.QueryAsync("SELECT $1::text, (" + array + ")::text", new PgParameter(value, PgDbType.Array | dbType));
            Assert.Equal((element, rows[0][1]), (element, rows[0][0]));
            checkedTypes++;
        }
        Assert.True(checkedTypes >= 14, $"{checkedTypes} element types checked");
        // An interval with months has no TimeSpan (the default type); its array reads with the element's other types.
        Assert.Equal(new PgInterval?[] { new PgInterval(1, 2, 0), null },
            await conn.QueryScalarAsync<PgInterval?[]>("SELECT ARRAY['1 mon 2 days'::interval, NULL]"));
        Assert.Equal("10.0.0.1/24", (await conn.QueryScalarAsync<PgInet[]>("SELECT ARRAY['10.0.0.1/24'::inet]"))![0].ToString());
    }
}
