using CsCheck;
using PgWire.Tests.Infrastructure;
using PgWire.Tests.Types.Misc;

namespace PgWire.Tests.Types.Basic;

/// <summary>oid over the whole unsigned 32-bit range, both directions, with the server as the oracle.</summary>
[Collection("Database")]
public sealed class OidPropertyTests(DatabaseFixture db)
{
    [Fact]
    public async Task A_UInt32_sent_as_a_parameter_prints_on_the_server_as_its_digits()
    {
        await using var conn = await db.OpenAsync();
        await Differential.SentValuesPrintAsExpectedAsync(conn, Gen.UInt, "SELECT $1::oid::text", PgOutput.Integer);
    }

    [Fact]
    public async Task An_oid_made_by_the_server_reads_as_the_UInt32_of_its_text()
    {
        await using var conn = await db.OpenAsync();
        await Differential.ServerValuesReadAsPrintedAsync<uint>(conn,
            "(CASE floor(random() * 10)::int WHEN 0 THEN 4294967295 WHEN 1 THEN 0 WHEN 2 THEN 2147483648 " +
            "ELSE floor(random() * 4294967296)::int8 END)::oid",
            PgOutput.Integer);
    }
}
