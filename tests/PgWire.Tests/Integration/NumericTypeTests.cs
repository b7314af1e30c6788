using System.Globalization;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Integration;

/// <summary>
/// numeric as decimal: exact both ways, display scale kept, and a value decimal cannot hold refused rather than rounded
/// (it still reads exactly as a string). Decimals are given as invariant-culture strings because attributes cannot hold
/// them; the same string is what the server prints for the value.
/// </summary>
[Collection("Database")]
public sealed class NumericTypeTests(DatabaseFixture db) : IAsyncLifetime
{
    private PgConnection _conn = null!;

    public async Task InitializeAsync() => _conn = await db.OpenAsync();

    public async Task DisposeAsync() => await _conn.DisposeAsync();

    public static TheoryData<string> Decimals =>
    [
        "0",
        "0.00",
        "1",
        "-1",
        "0.0001",
        "-0.5",
        "1.50",
        "12345.6789",
        "100000000000000000000",
        "79228162514264337593543950335",
        "-79228162514264337593543950335",
        "0.0000000000000000000000000001",
        "-0.0000000000000000000000000001",
        "0.1234567890123456789012345678",
        "7.9228162514264337593543950335",
        "1000000000000.0000000000000001",
    ];

    private static decimal Parse(string text) => decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    [Theory]
    [MemberData(nameof(Decimals))]
    public async Task A_Decimal_parameter_is_the_numeric_the_server_prints_as(string text) =>
        Assert.Equal(text, await _conn.QueryScalarAsync<string>("SELECT $1::numeric::text", Parse(text)));

    [Theory]
    [MemberData(nameof(Decimals))]
    public async Task A_Decimal_comes_back_from_numeric_with_its_value_and_scale(string text)
    {
        decimal back = await _conn.ReadSingleAsync<decimal>("SELECT $1::numeric", Parse(text));

        Assert.Equal(text, back.ToString(CultureInfo.InvariantCulture));
    }

    [Theory]
    [MemberData(nameof(Decimals))]
    public async Task A_numeric_the_server_parses_reads_as_the_same_Decimal(string text)
    {
        decimal value = await _conn.ReadSingleAsync<decimal>($"SELECT '{text}'::numeric");

        Assert.Equal(text, value.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_numeric_whose_digits_beyond_28_decimal_places_are_zeros_reads_as_Decimal() =>
        Assert.Equal(1.5m, await _conn.ReadSingleAsync<decimal>("SELECT 1.500000000000000000000000000000000::numeric"));

    [Theory]
    [InlineData("1234567890.12345678901234567890123")]
    [InlineData("792281625142643375935439503350")]
    [InlineData("0.00000000000000000000000000001")]
    [InlineData("-99999999999999999999999999999.9")]
    public async Task A_numeric_decimal_cannot_hold_exactly_is_refused_with_a_hint_to_read_it_as_string(string text)
    {
        var e = await Assert.ThrowsAsync<PgConversionException>(() => _conn.ReadSingleAsync<decimal>($"SELECT '{text}'::numeric"));

        Assert.Contains("string", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(PgErrorCodes.NumericValueOutOfRange, e.SqlState);
    }

    [Theory]
    [InlineData("1234567890.12345678901234567890123")]
    [InlineData("792281625142643375935439503350")]
    [InlineData("0.00000000000000000000000000001")]
    [InlineData("-99999999999999999999999999999.9")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    public async Task Any_numeric_reads_exactly_as_String(string text) =>
        Assert.Equal(text, await _conn.ReadSingleAsync<string>($"SELECT '{text}'::numeric"));

    [Fact]
    public async Task A_numeric_with_more_than_28_significant_digits_sent_as_a_string_is_stored_exactly()
    {
        const string text = "1234567890.12345678901234567890123";

        Assert.Equal(text, await _conn.ReadSingleAsync<string>("SELECT $1::numeric", text));
    }

    [Fact]
    public async Task The_connection_stays_usable_after_a_numeric_is_refused_as_Decimal()
    {
        await Assert.ThrowsAsync<PgConversionException>(() => _conn.ReadSingleAsync<decimal>("SELECT 1e40::numeric"));

        Assert.Equal(2m, await _conn.ReadSingleAsync<decimal>("SELECT 2::numeric"));
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    public async Task A_numeric_NaN_or_infinity_read_as_Decimal_raises_PgConversionException(string special)
    {
        var e = await Assert.ThrowsAsync<PgConversionException>(() => _conn.ReadSingleAsync<decimal>($"SELECT '{special}'::numeric"));

        Assert.Contains(special, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_numeric_NaN_read_through_GetValue_raises_PgConversionException() =>
        await Assert.ThrowsAsync<PgConversionException>(() => _conn.ReadSingleValueAsync("SELECT 'NaN'::numeric"));

    [Theory]
    [InlineData("1.5", 1.5)]
    [InlineData("-0.25", -0.25)]
    [InlineData("1e300", 1e300)]
    [InlineData("123456789012345678901234567890.5", 1.2345678901234568e29)]
    [InlineData("NaN", double.NaN)]
    [InlineData("Infinity", double.PositiveInfinity)]
    [InlineData("-Infinity", double.NegativeInfinity)]
    public async Task A_numeric_reads_as_the_nearest_Double(string text, double expected) =>
        Assert.Equal(expected, await _conn.ReadSingleAsync<double>($"SELECT '{text}'::numeric"));

    [Fact]
    public async Task A_numeric_column_reads_as_Decimal_by_default()
    {
        var value = await _conn.ReadSingleValueAsync("SELECT 12.5::numeric");

        Assert.Equal(12.5m, Assert.IsType<decimal>(value));
    }
}
