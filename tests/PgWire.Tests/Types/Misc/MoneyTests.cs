using CsCheck;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Types.Misc;

[Collection("Database")]
public sealed class MoneyTests(DatabaseFixture db)
{
    [Fact]
    public async Task A_decimal_named_Money_prints_on_the_server_as_cash_out_would()
    {
        await using var conn = await db.OpenAsync();
        await Differential.SentValuesPrintAsExpectedAsync(conn, Gen.Long.Select(cents => cents / 100m), "SELECT $1::text",
            amount => PgText.Money((long)(amount * 100)), PgDbType.Money);
    }

    [Fact]
    public async Task A_money_made_by_the_server_reads_as_the_decimal_of_its_text()
    {
        await using var conn = await db.OpenAsync();
        await Differential.ServerValuesReadAsPrintedAsync<decimal>(conn,
            "CASE WHEN random() < 0.5 THEN round(((random() - 0.5) * 1e6)::numeric, 2)::money " +
            "ELSE ((random() - 0.5) * 1.8e19)::numeric(20)::bigint * '0.01'::money END",
            amount => PgText.Money((long)(amount * 100)));
    }

    [Fact]
    public async Task Negative_and_extreme_amounts_round_trip()
    {
        await using var conn = await db.OpenAsync();
        foreach (decimal amount in new[] { -0.01m, -1234.56m, 92233720368547758.07m, -92233720368547758.08m, 0m })
            Assert.Equal(amount, await conn.QueryScalarAsync<decimal>("SELECT $1", new PgParameter(amount, PgDbType.Money)));
        Assert.Equal(-92233720368547758.08m, await conn.QueryScalarAsync<decimal>("SELECT '-92233720368547758.08'::money"));
        Assert.Equal("money", await conn.QueryScalarAsync<string>("SELECT pg_typeof($1)::text", new PgParameter(1m, PgDbType.Money)));
        Assert.Equal("numeric", await conn.QueryScalarAsync<string>("SELECT pg_typeof($1)::text", 1m));
    }

    [Fact]
    public async Task An_amount_with_more_than_two_fraction_digits_or_past_the_range_is_refused_not_rounded()
    {
        await using var conn = await db.OpenAsync();
        var e = await Assert.ThrowsAsync<PgConversionException>(async () =>
            await conn.QueryScalarAsync<decimal>("SELECT $1", new PgParameter(1.005m, PgDbType.Money)));
        Assert.Contains("fraction digits", e.Message);
        await Assert.ThrowsAsync<PgConversionException>(async () =>
            await conn.QueryScalarAsync<decimal>("SELECT $1", new PgParameter(92233720368547758.08m, PgDbType.Money)));
        await Assert.ThrowsAsync<PgConversionException>(async () =>
            await conn.QueryScalarAsync<decimal>("SELECT $1", new PgParameter(decimal.MaxValue, PgDbType.Money)));
        await Assert.ThrowsAsync<PgConversionException>(async () =>
            await conn.QueryScalarAsync<decimal>("SELECT $1", new PgParameter(1.5, PgDbType.Money)));
        Assert.Equal(1.5m, await conn.QueryScalarAsync<decimal>("SELECT $1", new PgParameter(1.50m, PgDbType.Money)));
    }
}
