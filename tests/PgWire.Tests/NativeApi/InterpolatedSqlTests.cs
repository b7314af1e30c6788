using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.NativeApi;

[Collection("Database")]
public sealed class InterpolatedSqlTests(DatabaseFixture db)
{
    [Fact]
    public async Task Holes_of_an_interpolated_string_become_parameters_not_sql_text()
    {
        await using var conn = await db.OpenAsync();
        string hostile = "x'); DROP TABLE pg_class; --";
        int n = 41;
        var rows = await conn.QueryAsync($"SELECT {hostile}::text AS s, {n} + 1 AS n");
        Assert.Equal(hostile, rows[0].Get<string>("s"));
        Assert.Equal(42, rows[0].Get<int>("n"));
    }

    [Fact]
    public async Task A_hole_in_place_of_an_identifier_is_a_parameter_so_the_server_refuses_it()
    {
        await using var conn = await db.OpenAsync();
        string table = "pg_class";
        var e = await Assert.ThrowsAsync<PgServerException>(async () => await conn.QueryAsync($"SELECT count(*) FROM {table}"));
        Assert.Equal(PgErrorCodes.SyntaxError, e.SqlState);
        Assert.Equal(1, await conn.QueryScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public async Task Interpolated_ExecuteAsync_and_QueryScalarAsync_bind_their_holes_in_order()
    {
        await using var conn = await db.OpenAsync();
        await conn.ExecuteAsync("CREATE TEMP TABLE interp (a int, b text)");
        int a = 7;
        string b = "seven";
        Assert.Equal(1, await conn.ExecuteAsync($"INSERT INTO interp VALUES ({a}, {b})"));
        Assert.Equal("seven", await conn.QueryScalarAsync<string>($"SELECT b FROM interp WHERE a = {a}"));
        // (A hole holding a compile-time constant string would be folded into the text by the C# compiler.)
        string nope = "nope";
        int? missing = await conn.QueryScalarAsync<int?>($"SELECT a FROM interp WHERE b = {nope}");
        Assert.Null(missing);
    }

    [Fact]
    public void A_hole_with_a_format_string_is_refused_because_values_are_not_formatted_into_sql()
    {
        using var conn = new PgConnection();
        Assert.Throws<ArgumentException>(() => { _ = conn.QueryAsync($"SELECT {3.5:F1}"); });
    }
}
