using CsCheck;
using PgWire.Tests.Infrastructure;
using PgWire.Tests.Types.Misc;

namespace PgWire.Tests.Types.Basic;

/// <summary>
/// numeric as decimal (every scale from 0 to 28, either sign, trailing zeros kept) and as string (any size, NaN and the
/// infinities), both directions, with the server as the oracle. BigInteger has its own property in NumericExtrasTests.
/// </summary>
[Collection("Database")]
public sealed class NumericPropertyTests(DatabaseFixture db)
{
    /// <summary>A 96-bit mantissa of 0 to 96 significant bits, a sign (zero included) and a scale of 0 to 28.</summary>
    internal static readonly Gen<decimal> Decimals = Gen.Select(Gen.Int[0, 96], Gen.Int, Gen.Int, Gen.Int, Gen.Bool, Gen.Byte[0, 28],
        (bits, lo, mid, hi, negative, scale) =>
        {
            UInt128 mask = (UInt128.One << bits) - 1;
            UInt128 mantissa = (((UInt128)(uint)hi << 64) | ((UInt128)(uint)mid << 32) | (uint)lo) & mask;
            return new decimal((int)(uint)mantissa, (int)(uint)(mantissa >> 32), (int)(uint)(mantissa >> 64), negative, scale);
        });

    private const string Sign = "(CASE WHEN random() < 0.5 THEN -1 ELSE 1 END)";

    /// <summary>Up to 28 random digits, exact: two halves of 14 digits (random() carries about 15).</summary>
    private const string Digits28 = "(trunc(random() * 1e14)::numeric * 1e14 + trunc(random() * 1e14)::numeric)";

    /// <summary>Ten to the power <paramref name="exponentSql"/>, exact and with the display scale the power implies.</summary>
    private static string PowerOfTen(string exponentSql) => $"('1e' || ({exponentSql})::int)::numeric";

    [Fact]
    public async Task A_Decimal_sent_as_a_parameter_prints_on_the_server_with_its_digits_and_scale()
    {
        await using var conn = await db.OpenAsync();
        await Differential.SentValuesPrintAsExpectedAsync(conn, Decimals, "SELECT $1::numeric::text", PgOutput.Numeric,
            print: d => $"{d.ToString(System.Globalization.CultureInfo.InvariantCulture)} (scale {d.Scale})");
    }

    [Fact]
    public async Task A_numeric_made_by_the_server_that_fits_Decimal_reads_as_the_Decimal_of_its_text()
    {
        // 0 to 28 digits, shifted right by a scale of 0 to 28: the display scale keeps any trailing zeros.
        await using var conn = await db.OpenAsync();
        await Differential.ServerValuesReadAsPrintedAsync<decimal>(conn,
            $"{Sign} * div({Digits28}, {PowerOfTen("floor(random() * 29)")}) * {PowerOfTen("-floor(random() * 29)")}",
            PgOutput.Numeric);
    }

    [Fact]
    public async Task A_numeric_of_any_size_made_by_the_server_reads_as_the_String_of_its_text()
    {
        await using var conn = await db.OpenAsync();
        await Differential.ServerValuesReadAsPrintedAsync<string>(conn,
            "CASE floor(random() * 12)::int WHEN 0 THEN 'NaN'::numeric WHEN 1 THEN 'Infinity' WHEN 2 THEN '-Infinity' " +
            "WHEN 3 THEN round(0::numeric, floor(random() * 30)::int) " +
            "WHEN 4 THEN round((random() * 1e30)::numeric, floor(random() * 20)::int) " +
            $"WHEN 5 THEN {Sign} * {Digits28} * {Digits28} * {Digits28} * {PowerOfTen("floor(random() * 400) - 200")} " +
            $"ELSE round({Sign} * {Digits28} * {PowerOfTen("floor(random() * 120) - 60")}, floor(random() * 80)::int - 20) END",
            s => s);
    }
}
