using System.Globalization;
using System.Numerics;
using CsCheck;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Types.Misc;

/// <summary>numeric beyond decimal: BigInteger, NaN and the infinities, huge and tiny values, negative scale.</summary>
[Collection("Database")]
public sealed class NumericExtrasTests(DatabaseFixture db)
{
    /// <summary>Up to about 240 decimal digits, either sign, with many trailing zeros now and then.</summary>
    private static readonly Gen<BigInteger> BigIntegers = Gen.Select(Gen.Byte.Array[0, 100], Gen.Int[0, 40],
        (bytes, zeros) => new BigInteger(bytes) * BigInteger.Pow(10, zeros % 3 == 0 ? zeros : 0));

    [Fact]
    public async Task A_BigInteger_sent_as_a_parameter_goes_as_numeric_and_prints_its_digits()
    {
        await using var conn = await db.OpenAsync();
        await Differential.SentValuesPrintAsExpectedAsync(conn, BigIntegers, "SELECT format('%s %s', $1, pg_typeof($1))",
            b => b.ToString(CultureInfo.InvariantCulture) + " numeric");
    }

    [Fact]
    public async Task A_whole_numeric_made_by_the_server_reads_as_the_BigInteger_of_its_text()
    {
        await using var conn = await db.OpenAsync();
        await Differential.ServerValuesReadAsPrintedAsync<BigInteger>(conn,
            "trunc((random() - 0.5)::numeric * 10::numeric ^ (random() * 300)::int)", b => b.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_numeric_of_1000_digits_reads_exactly_as_string_and_BigInteger()
    {
        string digits = string.Concat(Enumerable.Range(0, 1000).Select(i => (char)('1' + i % 9)));
        await using var conn = await db.OpenAsync();
        // Literals in the SQL text (an interpolated string would become parameters).
        string fraction = "-" + digits[..500] + "." + digits[500..];
        Assert.Equal(digits, await conn.QueryScalarAsync<string>("SELECT " + digits + "::numeric"));
        Assert.Equal(fraction, await conn.QueryScalarAsync<string>("SELECT " + fraction + "::numeric"));
        Assert.Equal(BigInteger.Parse(digits, CultureInfo.InvariantCulture), await conn.QueryScalarAsync<BigInteger>("SELECT " + digits + "::numeric"));
        Assert.Equal(digits, await conn.QueryScalarAsync<string>("SELECT $1::text", BigInteger.Parse(digits, CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task A_tiny_numeric_with_scale_21_reads_as_decimal_exactly()
    {
        await using var conn = await db.OpenAsync();
        decimal tiny = await conn.QueryScalarAsync<decimal>("SELECT 0.000000000000000000001::numeric");
        Assert.Equal(0.000000000000000000001m, tiny);
        Assert.Equal("0.000000000000000000001", tiny.ToString(CultureInfo.InvariantCulture));
        Assert.Equal("0.000000000000000000001", await conn.QueryScalarAsync<string>("SELECT $1::text", tiny));
    }

    [Fact]
    public async Task A_negative_scale_numeric_reads_correctly()
    {
        await using var conn = await db.OpenAsync();
        await using var cmd = new PgCommand("SELECT 12345::numeric(5,-2), -98765432::numeric(10,-3), 5.5::numeric(3,-1)", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(12300m, reader.GetDecimal(0));
        Assert.Equal(new BigInteger(12300), reader.GetFieldValue<BigInteger>(0));
        Assert.Equal(12300L, reader.GetInt64(0));
        Assert.Equal("12300", reader.GetString(0));
        Assert.Equal(-98765000m, reader.GetDecimal(1));
        Assert.Equal(10, reader.GetInt32(2));
    }

    [Fact]
    public async Task NaN_and_the_infinities_read_as_double_and_are_refused_as_decimal_naming_the_column()
    {
        await using var conn = await db.OpenAsync();
        await using (var cmd = new PgCommand("SELECT 'NaN'::numeric AS n, 'Infinity'::numeric AS p, '-Infinity'::numeric AS m", conn))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            Assert.True(double.IsNaN(reader.GetDouble(0)));
            Assert.Equal(double.PositiveInfinity, reader.GetDouble(1));
            Assert.Equal(double.NegativeInfinity, reader.GetDouble(2));
            Assert.Equal("NaN", reader.GetString(0));
            var e = Assert.Throws<PgConversionException>(() => reader.GetDecimal(0));
            Assert.Contains("\"n\"", e.Message);
            Assert.Contains("NaN", e.Message);
            Assert.Throws<PgConversionException>(() => reader.GetFieldValue<BigInteger>(1));
            Assert.Throws<PgConversionException>(() => reader.GetInt64(2));
        }
        Assert.Equal(1, await conn.QueryScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public async Task NaN_and_the_infinities_are_written_as_numeric_only_when_the_parameter_names_it()
    {
        await using var conn = await db.OpenAsync();
        foreach (var (value, text) in new[] { (double.NaN, "NaN"), (double.PositiveInfinity, "Infinity"), (double.NegativeInfinity, "-Infinity") })
        {
            Assert.Equal(text + " numeric", await conn.QueryScalarAsync<string>("SELECT format('%s %s', $1, pg_typeof($1))",
                new PgParameter(value, PgDbType.Numeric)));
            Assert.Equal(text + " double precision", await conn.QueryScalarAsync<string>("SELECT format('%s %s', $1, pg_typeof($1))", value));
        }
        Assert.Equal("NaN numeric", await conn.QueryScalarAsync<string>("SELECT format('%s %s', $1, pg_typeof($1))",
            new PgParameter(float.NaN, PgDbType.Numeric)));
        Assert.Equal("1.5 numeric", await conn.QueryScalarAsync<string>("SELECT format('%s %s', $1, pg_typeof($1))",
            new PgParameter(1.5, PgDbType.Numeric)));
    }

    [Fact]
    public async Task Big_BigInteger_values_round_trip_in_both_directions()
    {
        var values = new[]
        {
            BigInteger.Zero, BigInteger.One, BigInteger.MinusOne, new BigInteger(10000), new BigInteger(-99990000),
            BigInteger.Pow(2, 1000), -BigInteger.Pow(10, 500), BigInteger.Pow(10, 20000) * 7,
        };
        await using var conn = await db.OpenAsync();
        foreach (var value in values)
        {
            Assert.Equal(value, await conn.QueryScalarAsync<BigInteger>("SELECT $1", value));
            Assert.Equal(value.ToString(CultureInfo.InvariantCulture), await conn.QueryScalarAsync<string>("SELECT $1::text", value));
        }
        // numeric holds at most 131,072 digits before the point.
        Assert.Equal(131072, await conn.QueryScalarAsync<int>("SELECT length($1::text)", BigInteger.Pow(10, 131071) * 9));
        var e = await Assert.ThrowsAsync<PgConversionException>(async () => await conn.QueryScalarAsync<string>("SELECT $1::text", BigInteger.Pow(10, 131072)));
        Assert.Contains("131,072", e.Message);
        Assert.Equal(1, await conn.QueryScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public async Task A_whole_number_with_zero_fraction_digits_reads_as_BigInteger_and_a_fraction_does_not()
    {
        await using var conn = await db.OpenAsync();
        Assert.Equal(new BigInteger(5), await conn.QueryScalarAsync<BigInteger>("SELECT 5.000::numeric"));
        Assert.Equal(BigInteger.Zero, await conn.QueryScalarAsync<BigInteger>("SELECT 0.00::numeric"));
        var e = await Assert.ThrowsAsync<PgConversionException>(async () => await conn.QueryScalarAsync<BigInteger>("SELECT 5.001::numeric AS q"));
        Assert.Contains("\"q\"", e.Message);
        Assert.Contains("not a whole number", e.Message);
    }

    [Fact]
    public async Task A_200_digit_numeric_read_as_decimal_names_the_column_and_the_connection_stays_usable()
    {
        string digits = "9" + new string('8', 199);
        await using var conn = await db.OpenAsync();
        await using (var cmd = new PgCommand($"SELECT {digits}::numeric AS big", conn))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            var e = Assert.Throws<PgConversionException>(() => reader.GetDecimal(0));
            Assert.Contains("\"big\"", e.Message);
            Assert.Contains("Decimal", e.Message);
            Assert.Contains("BigInteger", e.Message);
            Assert.Equal(PgErrorCodes.NumericValueOutOfRange, e.SqlState);
            Assert.Equal(digits, reader.GetString(0));
            Assert.Equal(BigInteger.Parse(digits, CultureInfo.InvariantCulture), reader.GetFieldValue<BigInteger>(0));
        }
        Assert.Equal(2, await conn.QueryScalarAsync<int>("SELECT 2"));
    }

    [Fact]
    public async Task A_numeric_that_the_requested_integer_type_cannot_hold_names_the_column_and_the_type()
    {
        await using var conn = await db.OpenAsync();
        var fraction = await Assert.ThrowsAsync<PgConversionException>(async () => await conn.QueryScalarAsync<int>("SELECT 1.5::numeric AS price"));
        Assert.Contains("\"price\"", fraction.Message);
        Assert.Contains("Int32", fraction.Message);
        Assert.Contains("1.5", fraction.Message);
        var tooBig = await Assert.ThrowsAsync<PgConversionException>(async () => await conn.QueryScalarAsync<int>("SELECT 3000000000::numeric AS n"));
        Assert.Contains("does not fit Int32", tooBig.Message);
        Assert.Equal(3000000000L, await conn.QueryScalarAsync<long>("SELECT 3000000000::numeric"));
        Assert.Equal(ulong.MaxValue, await conn.QueryScalarAsync<ulong>("SELECT 18446744073709551615::numeric"));
        await Assert.ThrowsAsync<PgConversionException>(async () => await conn.QueryScalarAsync<ulong>("SELECT -1::numeric"));
        await Assert.ThrowsAsync<PgConversionException>(async () => await conn.QueryScalarAsync<long>("SELECT 1e30::numeric"));
        Assert.Equal(-7, await conn.QueryScalarAsync<int>("SELECT -7.000::numeric"));
        Assert.Equal(3, await conn.QueryScalarAsync<int>("SELECT 3"));
    }

    [Fact]
    public async Task A_finite_numeric_beyond_double_range_is_refused_as_double_rather_than_read_as_infinity()
    {
        await using var conn = await db.OpenAsync();
        var e = await Assert.ThrowsAsync<PgConversionException>(async () => await conn.QueryScalarAsync<double>("SELECT 1e400::numeric AS huge"));
        Assert.Contains("\"huge\"", e.Message);
        Assert.Equal(1e300, await conn.QueryScalarAsync<double>("SELECT 1e300::numeric"));
    }
}
