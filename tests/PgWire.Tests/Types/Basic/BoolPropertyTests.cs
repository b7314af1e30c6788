using CsCheck;
using PgWire.Tests.Infrastructure;
using PgWire.Tests.Types.Misc;

namespace PgWire.Tests.Types.Basic;

/// <summary>bool, both directions, with the server as the oracle.</summary>
[Collection("Database")]
public sealed class BoolPropertyTests(DatabaseFixture db)
{
    [Fact]
    public async Task A_Boolean_sent_as_a_parameter_prints_on_the_server_as_true_or_false()
    {
        await using var conn = await db.OpenAsync();
        await Differential.SentValuesPrintAsExpectedAsync(conn, Gen.Bool, "SELECT $1::bool::text", PgOutput.BoolText);
    }

    [Fact]
    public async Task A_bool_made_by_the_server_reads_as_the_Boolean_of_its_text()
    {
        await using var conn = await db.OpenAsync();
        await Differential.ServerValuesReadAsPrintedAsync<bool>(conn, "random() < 0.5", PgOutput.BoolText);
    }
}
