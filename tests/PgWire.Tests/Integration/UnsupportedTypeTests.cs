using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Integration;

/// <summary>A type PgWire has no codec for yet arrives as the server's text for it, never as an error.</summary>
[Collection("Database")]
public sealed class UnsupportedTypeTests(DatabaseFixture db) : IAsyncLifetime
{
    private PgConnection _conn = null!;

    public async Task InitializeAsync() => _conn = await db.OpenAsync();

    public async Task DisposeAsync() => await _conn.DisposeAsync();

    [Theory]
    [InlineData("SELECT '(1,2)'::point", "(1,2)")]
    [InlineData("SELECT '[(0,0),(1,1)]'::lseg", "[(0,0),(1,1)]")]
    [InlineData("SELECT '(1,1),(0,0)'::box", "(1,1),(0,0)")]
    [InlineData("SELECT 'a:1 b:2'::tsvector", "'a':1 'b':2")]
    [InlineData("SELECT 'a & b'::tsquery", "'a' & 'b'")]
    [InlineData("SELECT '1 2 3'::int2vector", "1 2 3")]
    [InlineData("SELECT 'postgres=arwdDxt/postgres'::aclitem", "postgres=arwdDxt/postgres")]
    [InlineData("SELECT ROW(1, 'x')", "(1,x)")]
    public async Task A_value_of_a_type_without_a_codec_reads_as_its_text(string sql, string text)
    {
        await using var cmd = new PgCommand(sql, _conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());

        Assert.Equal(typeof(string), reader.GetFieldType(0));
        Assert.Equal(text, reader.GetValue(0));
        Assert.Equal(text, reader.GetString(0));
    }

    [Fact]
    public async Task A_value_of_a_type_without_a_codec_reads_as_its_text_through_the_native_api()
    {
        var row = (await _conn.QueryAsync("SELECT '(1,2)'::point AS d, 42::int4 AS n"))[0];

        Assert.Equal("(1,2)", row["d"]);
        Assert.Equal(42, row["n"]);
    }

    [Fact]
    public async Task A_string_parameter_is_accepted_for_a_type_without_a_codec()
    {
        const string point = "(1.5,-2)";

        Assert.Equal(point, await _conn.QueryScalarAsync<string>("SELECT $1::point", point));
    }

    [Fact]
    public async Task A_parameter_of_a_dotnet_type_PgWire_cannot_send_is_refused_before_sending()
    {
        var e = await Assert.ThrowsAsync<PgConversionException>(() => _conn.QueryAsync("SELECT $1", new object()).AsTask());

        Assert.Contains("$1", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, await _conn.QueryScalarAsync<int>("SELECT 1"));
    }
}
