using CsCheck;
using PgWire.Tests.Infrastructure;
using PgWire.Tests.Types.Misc;

namespace PgWire.Tests.Types.Basic;

/// <summary>int2, int4 and int8 across their full ranges, both directions, with the server as the oracle.</summary>
[Collection("Database")]
public sealed class IntegerPropertyTests(DatabaseFixture db)
{
    [Fact]
    public async Task An_Int16_sent_as_a_parameter_prints_on_the_server_as_its_digits()
    {
        await using var conn = await db.OpenAsync();
        await Differential.SentValuesPrintAsExpectedAsync(conn, Gen.Short, "SELECT $1::int2::text", PgOutput.Integer);
    }

    [Fact]
    public async Task An_int2_made_by_the_server_reads_as_the_Int16_of_its_text()
    {
        await using var conn = await db.OpenAsync();
        await Differential.ServerValuesReadAsPrintedAsync<short>(conn,
            "(CASE floor(random() * 10)::int WHEN 0 THEN -32768 WHEN 1 THEN 32767 WHEN 2 THEN 0 " +
            "ELSE floor(random() * 65536 - 32768) END)::int2",
            PgOutput.Integer);
    }

    [Fact]
    public async Task An_Int32_sent_as_a_parameter_prints_on_the_server_as_its_digits()
    {
        await using var conn = await db.OpenAsync();
        await Differential.SentValuesPrintAsExpectedAsync(conn, Gen.Int, "SELECT $1::int4::text", PgOutput.Integer);
    }

    [Fact]
    public async Task An_int4_made_by_the_server_reads_as_the_Int32_of_its_text()
    {
        await using var conn = await db.OpenAsync();
        await Differential.ServerValuesReadAsPrintedAsync<int>(conn,
            "(CASE floor(random() * 10)::int WHEN 0 THEN -2147483648 WHEN 1 THEN 2147483647 WHEN 2 THEN 0 " +
            "ELSE floor(random() * 4294967296 - 2147483648) END)::int4",
            PgOutput.Integer);
    }

    [Fact]
    public async Task An_Int64_sent_as_a_parameter_prints_on_the_server_as_its_digits()
    {
        await using var conn = await db.OpenAsync();
        await Differential.SentValuesPrintAsExpectedAsync(conn, Gen.Long, "SELECT $1::int8::text", PgOutput.Integer);
    }

    [Fact]
    public async Task An_int8_made_by_the_server_reads_as_the_Int64_of_its_text()
    {
        // random() has 52 random bits: two halves of 32 bits make the whole range, sign bit included.
        await using var conn = await db.OpenAsync();
        await Differential.ServerValuesReadAsPrintedAsync<long>(conn,
            "CASE floor(random() * 10)::int WHEN 0 THEN -9223372036854775808 WHEN 1 THEN 9223372036854775807 WHEN 2 THEN 0 " +
            "WHEN 3 THEN floor((random() - 0.5) * 2000)::int8 " +
            "ELSE (floor(random() * 4294967296)::int8 << 32) | floor(random() * 4294967296)::int8 END",
            PgOutput.Integer);
    }
}
