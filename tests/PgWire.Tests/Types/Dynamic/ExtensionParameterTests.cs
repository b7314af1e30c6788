using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Types.Dynamic;

/// <summary>
/// Parameters of extension types in a data source's very first command, before anything made it read pg_type:
/// the value's type is looked up in the database then, instead of the value being refused.
/// </summary>
[Collection("Database")]
public sealed class ExtensionParameterTests(DatabaseFixture db) : IAsyncLifetime
{
    public Task InitializeAsync() => db.Server.RunSqlAsync("CREATE EXTENSION IF NOT EXISTS hstore; CREATE EXTENSION IF NOT EXISTS citext;");

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_dictionary_in_the_first_command_of_a_data_source_goes_out_as_hstore()
    {
        await using var source = PgDataSource.Create(db.ConnectionString);
        await using var conn = await source.OpenConnectionAsync();

        var text = await conn.QueryScalarAsync<string>("SELECT $1::text",
            new Dictionary<string, string?> { ["a"] = "1", ["b"] = null });

        Assert.Equal("\"a\"=>\"1\", \"b\"=>NULL", text);
    }

    [Fact]
    public async Task PgDbType_Hstore_and_Citext_name_the_extension_types_before_they_were_loaded()
    {
        await using var source = PgDataSource.Create(db.ConnectionString);
        await using var conn = await source.OpenConnectionAsync();

        var row = (await conn.QueryAsync("SELECT pg_typeof($1)::text AS h, pg_typeof($2)::text AS c, $2 = 'ABC' AS eq",
            new PgParameter(null, PgDbType.Hstore) { Value = new Dictionary<string, string?> { ["k"] = "v" } },
            new PgParameter(null, PgDbType.Citext) { Value = "abc" }))[0];

        Assert.Equal("hstore", row["h"]);
        Assert.Equal("citext", row["c"]);
        Assert.Equal(true, row["eq"]);
    }

    [Fact]
    public async Task A_value_of_a_type_no_database_has_is_still_refused_clearly_and_the_connection_stays_usable()
    {
        await using var source = PgDataSource.Create(db.ConnectionString);
        await using var conn = await source.OpenConnectionAsync();

        var e = await Assert.ThrowsAsync<PgConversionException>(() => conn.QueryScalarAsync<int>("SELECT 1 WHERE $1 IS NULL", new Uri("http://x/")).AsTask());
        Assert.Contains("System.Uri", e.Message);
        Assert.Equal(1, await conn.QueryScalarAsync<int>("SELECT 1"));
    }
}
