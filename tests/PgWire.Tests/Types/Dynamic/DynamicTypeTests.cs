using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Types.Dynamic;

public enum Mood { Sad, Ok, VeryHappy }

public enum Weather { [PgName("sunny!")] Sunny, Rainy }

public sealed record InventoryItem(string Name, int SupplierId, decimal Price);

public sealed class Point2
{
    public double X { get; set; }
    public double Y { get; set; }
}

/// <summary>
/// Types whose OIDs differ per database: enums, composites, domains, hstore and citext, loaded from pg_type on
/// first need per data source, mapped to .NET types on the data source, and reloaded after CREATE TYPE.
/// </summary>
[Collection("Database")]
public sealed class DynamicTypeTests(DatabaseFixture db) : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await db.Server.RunSqlAsync("""
            DO $$ BEGIN
              IF NOT EXISTS (SELECT FROM pg_type WHERE typname = 'mood') THEN
                CREATE TYPE mood AS ENUM ('sad', 'ok', 'very_happy');
                CREATE TYPE weather AS ENUM ('sunny!', 'rainy');
                CREATE TYPE inventory_item AS (name text, supplier_id int4, price numeric);
                CREATE TYPE point2 AS (x float8, y float8);
                CREATE DOMAIN positive_int AS int4 CHECK (VALUE > 0);
                CREATE EXTENSION IF NOT EXISTS hstore;
                CREATE EXTENSION IF NOT EXISTS citext;
              END IF;
            END $$;
            """);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private PgDataSource Mapped() => new PgDataSourceBuilder(db.ConnectionString)
        .MapEnum<Mood>()
        .MapEnum<Weather>()
        .MapComposite<InventoryItem>()
        .MapComposite<Point2>()
        .Build();

    [Fact]
    public async Task An_unmapped_enum_reads_as_its_label_and_a_string_parameter_is_inferred_as_the_enum()
    {
        await using var conn = await PgDataSource.Create(db.ConnectionString).OpenConnectionAsync();
        Assert.Equal("very_happy", await conn.QueryScalarAsync<string>("SELECT $1::mood", "very_happy"));
        Assert.True(await conn.QueryScalarAsync<bool>("SELECT $1 = 'ok'::mood", "ok"));
    }

    [Fact]
    public async Task With_Server_Compatibility_Mode_NoTypeLoading_a_composite_reads_as_its_text_and_no_catalog_is_read()
    {
        await using var source = PgDataSource.Create(db.ConnectionString + ";Server Compatibility Mode=NoTypeLoading");
        await using var conn = await source.OpenConnectionAsync();

        Assert.Equal("(dice,7,1.99)", await conn.QueryScalarAsync<object>("SELECT ROW('dice', 7, 1.99)::inventory_item"));
        Assert.Equal("(dice,7,1.99)", await conn.QueryScalarAsync<object>("SELECT ROW('dice', 7, 1.99)::inventory_item"));
    }

    [Fact]
    public async Task Without_NoTypeLoading_the_same_composite_reads_as_its_fields()
    {
        await using var source = PgDataSource.Create(db.ConnectionString + ";Server Compatibility Mode=None");
        await using var conn = await source.OpenConnectionAsync();

        Assert.Equal(new object[] { "dice", 7, 1.99m }, await conn.QueryScalarAsync<object>("SELECT ROW('dice', 7, 1.99)::inventory_item"));
    }

    [Fact]
    public void A_Server_Compatibility_Mode_PgWire_does_not_know_is_refused_naming_the_ones_it_does()
    {
        var e = Assert.Throws<ArgumentException>(() => PgDataSource.Create(db.ConnectionString + ";Server Compatibility Mode=Bogus"));

        Assert.Contains("NoTypeLoading", e.Message);
    }

    [Fact]
    public async Task A_mapped_enum_reads_and_writes_as_the_dotnet_enum_with_snake_case_labels()
    {
        await using var conn = await Mapped().OpenConnectionAsync();
        Assert.Equal(Mood.VeryHappy, await conn.QueryScalarAsync<Mood>("SELECT 'very_happy'::mood"));
        Assert.Equal("very_happy", await conn.QueryScalarAsync<string>("SELECT $1::text", Mood.VeryHappy));
        var rows = await conn.QueryAsync("SELECT 'sad'::mood AS m");
        Assert.Equal(Mood.Sad, rows[0]["m"]);
    }

    [Fact]
    public async Task An_enum_member_named_with_PgName_maps_to_that_label()
    {
        await using var conn = await Mapped().OpenConnectionAsync();
        Assert.Equal(Weather.Sunny, await conn.QueryScalarAsync<Weather>("SELECT 'sunny!'::weather"));
        Assert.Equal("sunny!", await conn.QueryScalarAsync<string>("SELECT $1::text", Weather.Sunny));
    }

    [Fact]
    public async Task A_mapping_to_a_type_the_database_lacks_fails_at_open_with_a_message_naming_it()
    {
        var source = new PgDataSourceBuilder(db.ConnectionString).MapEnum<DayOfWeek>("no_such_enum").Build();
        var e = await Assert.ThrowsAsync<InvalidOperationException>(async () => await source.OpenConnectionAsync());
        Assert.Contains("no_such_enum", e.Message);
    }

    [Fact]
    public async Task An_unmapped_composite_reads_as_an_object_array_of_its_fields()
    {
        await using var conn = await PgDataSource.Create(db.ConnectionString).OpenConnectionAsync();
        var value = await conn.QueryScalarAsync<object[]>("SELECT ROW('fuzzy dice', 42, 1.99)::inventory_item");
        Assert.Equal(new object[] { "fuzzy dice", 42, 1.99m }, value);
    }

    [Fact]
    public async Task A_mapped_record_reads_and_writes_through_its_constructor()
    {
        await using var conn = await Mapped().OpenConnectionAsync();
        var item = new InventoryItem("widget, \"quoted\"", 7, 12.50m);
        Assert.Equal("(\"widget, \"\"quoted\"\"\",7,12.50)", await conn.QueryScalarAsync<string>("SELECT $1::text", item));
        Assert.Equal(item, await conn.QueryScalarAsync<InventoryItem>("SELECT $1::inventory_item", item));
    }

    [Fact]
    public async Task A_mapped_class_reads_through_its_settable_properties_and_NULL_fields_stay_default()
    {
        await using var conn = await Mapped().OpenConnectionAsync();
        var p = await conn.QueryScalarAsync<Point2>("SELECT ROW(1.5, -2)::point2");
        Assert.Equal(1.5, p!.X);
        Assert.Equal(-2, p.Y);
        var withNull = await conn.QueryScalarAsync<Point2>("SELECT ROW(NULL, 3)::point2");
        Assert.Equal(0, withNull!.X);
        Assert.Equal(3, withNull.Y);
        var e = await Assert.ThrowsAsync<PgServerException>(async () => await conn.QueryScalarAsync<Point2>("SELECT ROW(1, 'x')::point2"));
        Assert.Equal(PgErrorCodes.InvalidTextRepresentation, e.SqlState);
        Assert.Equal(1, await conn.QueryScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public async Task Arrays_of_a_mapped_enum_and_composite_read_and_write_as_dotnet_collections()
    {
        await using var conn = await Mapped().OpenConnectionAsync();
        Mood[] moods = [Mood.Sad, Mood.VeryHappy];
        Assert.Equal("{sad,very_happy}", await conn.QueryScalarAsync<string>("SELECT $1::text", [moods]));
        Assert.Equal(moods, await conn.QueryScalarAsync<Mood[]>("SELECT ARRAY['sad', 'very_happy']::mood[]"));
        Assert.Equal(new Mood?[] { Mood.Ok, null }, await conn.QueryScalarAsync<Mood?[]>("SELECT ARRAY['ok', NULL]::mood[]"));
        var items = new List<InventoryItem> { new("a", 1, 1m), new("b", 2, 2.5m) };
        Assert.Equal(items, await conn.QueryScalarAsync<List<InventoryItem>>("SELECT $1::inventory_item[]", items));
    }

    [Fact]
    public async Task Arrays_of_extension_types_read_as_collections_of_their_values()
    {
        await using var conn = await PgDataSource.Create(db.ConnectionString).OpenConnectionAsync();
        Assert.Equal(new[] { "A", "b" }, await conn.QueryScalarAsync<string[]>("SELECT ARRAY['A', 'b']::citext[]"));
        var maps = await conn.QueryScalarAsync<Dictionary<string, string?>[]>("SELECT ARRAY['a=>1'::hstore, 'b=>NULL'::hstore]");
        Assert.Equal("1", maps![0]["a"]);
        Assert.Null(maps[1]["b"]);
    }

    [Fact]
    public async Task A_domain_reads_as_its_base_type()
    {
        await using var conn = await PgDataSource.Create(db.ConnectionString).OpenConnectionAsync();
        Assert.Equal(5, await conn.QueryScalarAsync<int>("SELECT 5::positive_int"));
        var e = await Assert.ThrowsAsync<PgServerException>(async () => await conn.QueryScalarAsync<int>("SELECT $1::positive_int", -1));
        Assert.Equal(PgErrorCodes.CheckViolation, e.SqlState);
    }

    [Fact]
    public async Task Hstore_reads_and_writes_as_a_dictionary_with_null_values()
    {
        await using var conn = await PgDataSource.Create(db.ConnectionString).OpenConnectionAsync();
        var read = await conn.QueryScalarAsync<Dictionary<string, string?>>("SELECT 'a=>1, \"b c\"=>NULL, ü=>\"x,y\"'::hstore");
        Assert.Equal(new Dictionary<string, string?> { ["a"] = "1", ["b c"] = null, ["ü"] = "x,y" }, read);
        var sent = new Dictionary<string, string?> { ["k"] = "v", ["n"] = null, ["emoji"] = "😀" };
        Assert.Equal(sent, await conn.QueryScalarAsync<Dictionary<string, string?>>("SELECT $1::hstore", sent));
        Assert.Equal("\"n\"=>NULL", await conn.QueryScalarAsync<string>("SELECT slice($1::hstore, ARRAY['n'])::text", sent));
    }

    [Fact]
    public async Task Citext_reads_as_a_string_and_compares_without_case()
    {
        await using var conn = await PgDataSource.Create(db.ConnectionString).OpenConnectionAsync();
        Assert.Equal("MiXeD", await conn.QueryScalarAsync<string>("SELECT 'MiXeD'::citext"));
        Assert.True(await conn.QueryScalarAsync<bool>("SELECT 'ABC'::citext = $1::citext", "abc"));
    }

    [Fact]
    public async Task A_type_created_after_loading_reads_as_text_until_ReloadTypes_then_as_its_codec()
    {
        string name = "late_pair_" + Guid.NewGuid().ToString("N")[..8];
        await using var conn = await PgDataSource.Create(db.ConnectionString).OpenConnectionAsync();
        Assert.Equal("x", await conn.QueryScalarAsync<string>("SELECT 'x'::citext")); // loads the catalog
        await conn.ExecuteAsync($"CREATE TYPE {name} AS (a int4, b text)".ToString());
        string sql = $"SELECT ROW(1, 'one')::{name}".ToString();

        Assert.Equal("(1,one)", await conn.QueryScalarAsync<object>(sql));

        await conn.ReloadTypesAsync();
        Assert.Equal(new object[] { 1, "one" }, await conn.QueryScalarAsync<object>(sql));
    }
}
