using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Integration;

/// <summary>
/// float4 and float8 through parameters and results. Values are compared bit for bit, so -0.0 is not 0.0;
/// the server's text (shortest exact form, extra_float_digits = 1) is the independent check of what it received.
/// </summary>
[Collection("Database")]
public sealed class FloatingPointTypeTests(DatabaseFixture db) : IAsyncLifetime
{
    private PgConnection _conn = null!;

    public async Task InitializeAsync() => _conn = await db.OpenAsync();

    public async Task DisposeAsync() => await _conn.DisposeAsync();

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.5)]
    [InlineData(0.1)]
    [InlineData(double.Epsilon)]
    [InlineData(-double.Epsilon)]
    [InlineData(double.MaxValue)]
    [InlineData(double.MinValue)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public async Task A_Double_comes_back_from_float8_bit_for_bit(double value)
    {
        double back = await _conn.ReadSingleAsync<double>("SELECT $1::float8", value);

        Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(back));
    }

    [Fact]
    public async Task A_negative_zero_Double_comes_back_from_float8_with_its_sign() =>
        Assert.True(double.IsNegative(await _conn.ReadSingleAsync<double>("SELECT $1::float8", -0.0)));

    [Fact]
    public async Task A_Double_NaN_comes_back_from_float8_as_NaN() =>
        Assert.True(double.IsNaN(await _conn.ReadSingleAsync<double>("SELECT $1::float8", double.NaN)));

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(-0.0, "-0")]
    [InlineData(1.5, "1.5")]
    [InlineData(0.1, "0.1")]
    [InlineData(double.Epsilon, "5e-324")]
    [InlineData(double.MaxValue, "1.7976931348623157e+308")]
    [InlineData(double.MinValue, "-1.7976931348623157e+308")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public async Task A_Double_parameter_is_the_float8_the_server_prints_as(double value, string serverText) =>
        Assert.Equal(serverText, await _conn.QueryScalarAsync<string>("SELECT $1::float8::text", value));

    [Theory]
    [InlineData(0.0f)]
    [InlineData(1.5f)]
    [InlineData(0.1f)]
    [InlineData(float.Epsilon)]
    [InlineData(float.MaxValue)]
    [InlineData(float.MinValue)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public async Task A_Single_comes_back_from_float4_bit_for_bit(float value)
    {
        float back = await _conn.ReadSingleAsync<float>("SELECT $1::float4", value);

        Assert.Equal(BitConverter.SingleToInt32Bits(value), BitConverter.SingleToInt32Bits(back));
    }

    [Fact]
    public async Task A_negative_zero_Single_comes_back_from_float4_with_its_sign() =>
        Assert.True(float.IsNegative(await _conn.ReadSingleAsync<float>("SELECT $1::float4", -0.0f)));

    [Fact]
    public async Task A_Single_NaN_comes_back_from_float4_as_NaN() =>
        Assert.True(float.IsNaN(await _conn.ReadSingleAsync<float>("SELECT $1::float4", float.NaN)));

    [Theory]
    [InlineData(0.0f, "0")]
    [InlineData(-0.0f, "-0")]
    [InlineData(1.5f, "1.5")]
    [InlineData(0.1f, "0.1")]
    [InlineData(float.Epsilon, "1e-45")]
    [InlineData(float.MaxValue, "3.4028235e+38")]
    [InlineData(float.MinValue, "-3.4028235e+38")]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "Infinity")]
    [InlineData(float.NegativeInfinity, "-Infinity")]
    public async Task A_Single_parameter_is_the_float4_the_server_prints_as(float value, string serverText) =>
        Assert.Equal(serverText, await _conn.QueryScalarAsync<string>("SELECT $1::float4::text", value));

    [Theory]
    [InlineData("SELECT 'Infinity'::float8", double.PositiveInfinity)]
    [InlineData("SELECT '-Infinity'::float8", double.NegativeInfinity)]
    [InlineData("SELECT '-0'::float8", -0.0)]
    [InlineData("SELECT '1e-320'::float8", 1e-320)]
    public async Task A_float8_the_server_computes_reads_as_that_Double(string sql, double expected)
    {
        var value = Assert.IsType<double>(await _conn.ReadSingleValueAsync(sql));

        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(value));
    }

    [Fact]
    public async Task A_float8_NaN_the_server_computes_reads_as_NaN() =>
        Assert.True(double.IsNaN(Assert.IsType<double>(await _conn.ReadSingleValueAsync("SELECT 'NaN'::float8"))));

    [Fact]
    public async Task A_float4_column_reads_as_Double_without_changing_its_value() =>
        Assert.Equal((double)float.MaxValue, await _conn.ReadSingleAsync<double>("SELECT $1::float4", float.MaxValue));
}
