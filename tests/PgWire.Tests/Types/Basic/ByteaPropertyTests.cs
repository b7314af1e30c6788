using CsCheck;
using PgWire.Tests.Infrastructure;
using PgWire.Tests.Types.Misc;

namespace PgWire.Tests.Types.Basic;

/// <summary>bytea of 0 to 2,000 random bytes, both directions, with the server as the oracle.</summary>
[Collection("Database")]
public sealed class ByteaPropertyTests(DatabaseFixture db)
{
    [Fact]
    public async Task A_byte_array_sent_as_a_parameter_prints_on_the_server_as_its_hex()
    {
        await using var conn = await db.OpenAsync();
        await Differential.SentValuesPrintAsExpectedAsync(conn, Gen.Byte.Array[0, 2000], "SELECT $1::bytea::text", PgOutput.Bytea,
            print: PgOutput.Bytea);
    }

    [Fact]
    public async Task A_bytea_made_by_the_server_reads_as_the_bytes_of_its_hex()
    {
        // A correlated subquery (it names the row number i) runs once a row, so every row gets its own length.
        await using var conn = await db.OpenAsync();
        await Differential.ServerValuesReadAsPrintedAsync<byte[]>(conn,
            "(SELECT coalesce(decode(string_agg(lpad(to_hex(floor(random() * 256)::int), 2, '0'), ''), 'hex'), ''::bytea) " +
            "FROM generate_series(1, floor(random() * 2001)::int + 0 * i))",
            PgOutput.Bytea);
    }
}
