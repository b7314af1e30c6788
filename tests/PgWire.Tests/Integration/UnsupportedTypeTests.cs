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
    [InlineData("SELECT '2024-01-02'::date", "2024-01-02")]
    [InlineData("SELECT '2024-01-02 03:04:05'::timestamp", "2024-01-02 03:04:05")]
    [InlineData("SELECT '{1,2}'::int[]", "{1,2}")]
    [InlineData("SELECT ARRAY['a b', NULL]::text[]", "{\"a b\",NULL}")]
    [InlineData("SELECT 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")]
    [InlineData("SELECT '1 day 02:00:00'::interval", "1 day 02:00:00")]
    [InlineData("SELECT '{\"a\": [1, 2]}'::jsonb", "{\"a\": [1, 2]}")]
    [InlineData("SELECT '192.168.0.1/24'::inet", "192.168.0.1/24")]
    [InlineData("SELECT ROW(1, 'x')", "(1,x)")]
    [InlineData("SELECT 'pg_class'::regclass", "pg_class")]
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
        var row = (await _conn.QueryAsync("SELECT '2024-01-02'::date AS d, 42::int4 AS n"))[0];

        Assert.Equal("2024-01-02", row["d"]);
        Assert.Equal(42, row["n"]);
    }

    [Fact]
    public async Task A_string_parameter_is_accepted_for_a_type_without_a_codec()
    {
        const string uuid = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11";

        Assert.Equal(uuid, await _conn.QueryScalarAsync<string>("SELECT $1::uuid", uuid));
    }

    [Fact]
    public async Task A_parameter_of_a_dotnet_type_PgWire_cannot_send_is_refused_before_sending()
    {
        var e = await Assert.ThrowsAsync<PgConversionException>(() => _conn.QueryAsync("SELECT $1", new object()).AsTask());

        Assert.Contains("$1", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, await _conn.QueryScalarAsync<int>("SELECT 1"));
    }
}
