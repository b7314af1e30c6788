namespace PgWire.Tests.Infrastructure;

[Collection("Database")]
public sealed class SmokeTests(DatabaseFixture db)
{
    [Fact]
    public async Task A_parameterized_select_returns_the_value_sent()
    {
        await using var conn = await db.OpenAsync();
        var rows = await conn.QueryAsync("SELECT $1::int + 1 AS n", 41);
        Assert.Equal(42, rows[0].Get<int>("n"));
    }
}
