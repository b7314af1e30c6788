using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Integration;

/// <summary>int2, int4, int8 and bool through parameters and results, checked against the server's own text.</summary>
[Collection("Database")]
public sealed class IntegerAndBooleanTypeTests(DatabaseFixture db) : IAsyncLifetime
{
    private PgConnection _conn = null!;

    public async Task InitializeAsync() => _conn = await db.OpenAsync();

    public async Task DisposeAsync() => await _conn.DisposeAsync();

    [Theory]
    [InlineData(short.MinValue)]
    [InlineData((short)-1)]
    [InlineData((short)0)]
    [InlineData(short.MaxValue)]
    public async Task An_Int16_comes_back_from_int2_unchanged(short value) =>
        Assert.Equal(value, await _conn.ReadSingleAsync<short>("SELECT $1::int2", value));

    [Theory]
    [InlineData(short.MinValue, "-32768")]
    [InlineData((short)0, "0")]
    [InlineData(short.MaxValue, "32767")]
    public async Task An_Int16_parameter_is_the_int2_the_server_prints_as(short value, string serverText) =>
        Assert.Equal(serverText, await _conn.QueryScalarAsync<string>("SELECT $1::int2::text", value));

    [Theory]
    [InlineData(int.MinValue)]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(int.MaxValue)]
    public async Task An_Int32_comes_back_from_int4_unchanged(int value) =>
        Assert.Equal(value, await _conn.ReadSingleAsync<int>("SELECT $1::int4", value));

    [Theory]
    [InlineData(int.MinValue, "-2147483648")]
    [InlineData(0, "0")]
    [InlineData(int.MaxValue, "2147483647")]
    public async Task An_Int32_parameter_is_the_int4_the_server_prints_as(int value, string serverText) =>
        Assert.Equal(serverText, await _conn.QueryScalarAsync<string>("SELECT $1::int4::text", value));

    [Theory]
    [InlineData(long.MinValue)]
    [InlineData(-1L)]
    [InlineData(0L)]
    [InlineData(long.MaxValue)]
    public async Task An_Int64_comes_back_from_int8_unchanged(long value) =>
        Assert.Equal(value, await _conn.ReadSingleAsync<long>("SELECT $1::int8", value));

    [Theory]
    [InlineData(long.MinValue, "-9223372036854775808")]
    [InlineData(0L, "0")]
    [InlineData(long.MaxValue, "9223372036854775807")]
    public async Task An_Int64_parameter_is_the_int8_the_server_prints_as(long value, string serverText) =>
        Assert.Equal(serverText, await _conn.QueryScalarAsync<string>("SELECT $1::int8::text", value));

    [Theory]
    [InlineData("SELECT (-32768)::int2", (short)-32768)]
    [InlineData("SELECT 32767::int2", (short)32767)]
    [InlineData("SELECT (-2147483648)::int4", -2147483648)]
    [InlineData("SELECT 2147483647::int4", 2147483647)]
    [InlineData("SELECT (-9223372036854775808)::int8", -9223372036854775808)]
    [InlineData("SELECT 9223372036854775807::int8", 9223372036854775807)]
    public async Task An_integer_the_server_computes_reads_as_its_default_type(string sql, object expected) =>
        Assert.Equal(expected, await _conn.ReadSingleValueAsync(sql));

    [Theory]
    [InlineData(true, "true")]
    [InlineData(false, "false")]
    public async Task A_Boolean_parameter_is_the_bool_the_server_prints_as(bool value, string serverText) =>
        Assert.Equal(serverText, await _conn.QueryScalarAsync<string>("SELECT $1::bool::text", value));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_Boolean_comes_back_from_bool_unchanged(bool value) =>
        Assert.Equal(value, await _conn.ReadSingleAsync<bool>("SELECT $1::bool", value));

    [Fact]
    public async Task An_int2_column_reads_as_Int32_and_Int64_too()
    {
        Assert.Equal(-7, await _conn.ReadSingleAsync<int>("SELECT (-7)::int2"));
        Assert.Equal(-7L, await _conn.ReadSingleAsync<long>("SELECT (-7)::int2"));
    }

    [Fact]
    public async Task An_int8_column_whose_value_does_not_fit_Int32_is_refused_rather_than_truncated()
    {
        var e = await Assert.ThrowsAsync<PgConversionException>(() => _conn.ReadSingleAsync<int>("SELECT 4294967296::int8"));

        Assert.Equal(PgErrorCodes.NumericValueOutOfRange, e.SqlState);
        Assert.Equal(1, await _conn.QueryScalarAsync<int>("SELECT 1"));
    }
}
