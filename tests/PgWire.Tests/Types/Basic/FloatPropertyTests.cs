using CsCheck;
using PgWire.Tests.Infrastructure;
using PgWire.Tests.Types.Misc;

namespace PgWire.Tests.Types.Basic;

/// <summary>
/// float4 and float8 over every bit pattern (NaN, the infinities, -0, subnormals), both directions, with the server as
/// the oracle. The server prints the shortest text that reads back exactly (extra_float_digits 1, PostgreSQL 12+), in
/// its own notation, so its text is read back to the value it denotes and compared as .NET prints that value.
/// </summary>
[Collection("Database")]
public sealed class FloatPropertyTests(DatabaseFixture db)
{
    /// <summary>CsCheck's doubles with their special values, and raw bit patterns (small ones are subnormals).</summary>
    private static readonly Gen<double> Doubles = Gen.OneOf(Gen.Double.Special, Gen.Long.Select(BitConverter.Int64BitsToDouble));

    private static readonly Gen<float> Singles = Gen.OneOf(Gen.Float.Special, Gen.Int.Select(BitConverter.Int32BitsToSingle));

    private const string Sign = "(CASE WHEN random() < 0.5 THEN -1 ELSE 1 END)";

    [Fact]
    public async Task A_Double_sent_as_a_parameter_prints_on_the_server_as_the_same_double()
    {
        await using var conn = await db.OpenAsync();
        await Differential.SentValuesPrintAsExpectedAsync(conn, Doubles, "SELECT $1::float8::text", PgOutput.Float8,
            print: d => $"{PgOutput.Float8(d)} (bits {BitConverter.DoubleToInt64Bits(d):X16})", canonical: PgOutput.Float8Canonical);
    }

    [Fact]
    public async Task A_float8_made_by_the_server_reads_as_the_Double_of_its_text()
    {
        await using var conn = await db.OpenAsync();
        await Differential.ServerValuesReadAsPrintedAsync<double>(conn,
            "CASE floor(random() * 12)::int WHEN 0 THEN 'NaN'::float8 WHEN 1 THEN 'Infinity' WHEN 2 THEN '-Infinity' WHEN 3 THEN '-0' " +
            $"WHEN 4 THEN {Sign} * (1e-4 + random()) * 2::float8 ^ -1022 " +
            $"WHEN 5 THEN {Sign} * (1 + random()) * 2::float8 ^ -1073 " +
            $"ELSE {Sign} * (1 + random()) * 2::float8 ^ (floor(random() * 2046) - 1022) END",
            PgOutput.Float8, canonical: PgOutput.Float8Canonical);
    }

    [Fact]
    public async Task A_Single_sent_as_a_parameter_prints_on_the_server_as_the_same_float()
    {
        await using var conn = await db.OpenAsync();
        await Differential.SentValuesPrintAsExpectedAsync(conn, Singles, "SELECT $1::float4::text", PgOutput.Float4,
            print: f => $"{PgOutput.Float4(f)} (bits {BitConverter.SingleToInt32Bits(f):X8})", canonical: PgOutput.Float4Canonical);
    }

    [Fact]
    public async Task A_float4_made_by_the_server_reads_as_the_Single_of_its_text()
    {
        await using var conn = await db.OpenAsync();
        await Differential.ServerValuesReadAsPrintedAsync<float>(conn,
            "CASE floor(random() * 12)::int WHEN 0 THEN 'NaN'::float4 WHEN 1 THEN 'Infinity' WHEN 2 THEN '-Infinity' WHEN 3 THEN '-0' " +
            $"WHEN 4 THEN ({Sign} * (1e-4 + random()) * 2::float8 ^ -126)::float4 " +
            $"WHEN 5 THEN ({Sign} * (1 + random()) * 2::float8 ^ -148)::float4 " +
            $"ELSE ({Sign} * (1 + random()) * 2::float8 ^ (floor(random() * 253) - 126))::float4 END",
            PgOutput.Float4, canonical: PgOutput.Float4Canonical);
    }
}
