using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Integration;

/// <summary>"char", oid and void: the small built-in types PgWire reads natively.</summary>
[Collection("Database")]
public sealed class OtherBuiltInTypeTests(DatabaseFixture db) : IAsyncLifetime
{
    private PgConnection _conn = null!;

    public async Task InitializeAsync() => _conn = await db.OpenAsync();

    public async Task DisposeAsync() => await _conn.DisposeAsync();

    [Theory]
    [InlineData('a')]
    [InlineData('Z')]
    [InlineData(' ')]
    [InlineData('\u007F')]
    [InlineData('\u00E9')]
    [InlineData('\u00FF')]
    public async Task A_Char_sent_as_InternalChar_comes_back_from_the_char_type_unchanged(char value) =>
        Assert.Equal(value, await _conn.ReadSingleAsync<char>("SELECT $1::\"char\"", new PgParameter(value, PgDbType.InternalChar)));

    [Theory]
    [InlineData('a', "a")]
    [InlineData('Z', "Z")]
    [InlineData('\u00E9', @"\351")]
    [InlineData('\u00FF', @"\377")]
    public async Task A_Char_sent_as_InternalChar_is_the_byte_the_server_prints_as(char value, string serverText) =>
        Assert.Equal(serverText, await _conn.QueryScalarAsync<string>(
            "SELECT $1::\"char\"::text", new PgParameter(value, PgDbType.InternalChar)));

    [Fact]
    public async Task A_char_value_the_server_computes_reads_as_Char_by_default()
    {
        await using var cmd = new PgCommand("SELECT relkind FROM pg_class WHERE relname = 'pg_class'", _conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());

        Assert.Equal('r', reader.GetValue(0));
        Assert.Equal(typeof(char), reader.GetFieldType(0));
        Assert.Equal("\"char\"", reader.GetDataTypeName(0));
    }

    [Fact]
    public async Task A_high_byte_char_the_server_computes_reads_as_that_Latin1_char() =>
        Assert.Equal('\u00E9', await _conn.ReadSingleAsync<char>(@"SELECT '\351'::""char"""));

    [Fact]
    public async Task An_empty_char_reads_as_an_empty_string_and_as_NUL()
    {
        Assert.Equal("", await _conn.ReadSingleAsync<string>("SELECT ''::\"char\""));
        Assert.Equal('\0', await _conn.ReadSingleAsync<char>("SELECT ''::\"char\""));
    }

    [Fact]
    public async Task A_Char_beyond_Latin1_is_refused_for_the_char_type_before_sending()
    {
        await Assert.ThrowsAsync<PgConversionException>(() =>
            _conn.ReadSingleAsync<char>("SELECT $1::\"char\"", new PgParameter('€', PgDbType.InternalChar)));

        Assert.Equal(1, await _conn.QueryScalarAsync<int>("SELECT 1"));
    }

    [Theory]
    [InlineData(0u, "0")]
    [InlineData(1259u, "1259")]
    [InlineData(2147483648u, "2147483648")]
    [InlineData(uint.MaxValue, "4294967295")]
    public async Task A_UInt32_parameter_is_the_oid_the_server_prints_as(uint value, string serverText) =>
        Assert.Equal(serverText, await _conn.QueryScalarAsync<string>("SELECT $1::oid::text", value));

    [Theory]
    [InlineData(0u)]
    [InlineData(2147483648u)]
    [InlineData(uint.MaxValue)]
    public async Task A_UInt32_comes_back_from_oid_unchanged(uint value) =>
        Assert.Equal(value, await _conn.ReadSingleAsync<uint>("SELECT $1::oid", value));

    [Fact]
    public async Task An_oid_the_server_looks_up_reads_as_UInt32_by_default() =>
        Assert.Equal(1259u, await _conn.ReadSingleValueAsync("SELECT 'pg_class'::regclass::oid"));

    [Fact]
    public async Task A_void_result_reads_as_DBNull_through_GetValue() =>
        Assert.Same(DBNull.Value, await _conn.ReadSingleValueAsync("SELECT pg_sleep(0)"));
}
