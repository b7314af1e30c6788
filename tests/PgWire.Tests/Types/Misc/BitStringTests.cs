using System.Collections;
using CsCheck;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Types.Misc;

[Collection("Database")]
public sealed class BitStringTests(DatabaseFixture db)
{
    private static bool[] ToBools(BitArray bits) => Enumerable.Range(0, bits.Length).Select(i => bits[i]).ToArray();

    [Fact]
    public async Task A_BitArray_sent_as_a_parameter_goes_as_varbit_and_prints_its_bits_in_order()
    {
        await using var conn = await db.OpenAsync();
        await Gen.Bool.Array[0, 100].SampleAsync(async bits =>
        {
            Assert.Equal(PgText.Bits(bits) + " bit varying",
                await conn.QueryScalarAsync<string>("SELECT format('%s %s', $1, pg_typeof($1))", new BitArray(bits)));
        }, iter: Differential.Iterations, threads: 1, print: PgText.Bits);
    }

    [Fact]
    public async Task A_varbit_made_by_the_server_reads_as_a_BitArray_of_its_text()
    {
        await using var conn = await db.OpenAsync();
        await Differential.ServerValuesReadAsPrintedAsync<BitArray>(conn,
            "substring(('x' || md5(random()::text))::bit(128) from 1 for (random() * 128)::int)", b => PgText.Bits(ToBools(b)));
    }

    [Fact]
    public async Task A_bit_n_made_by_the_server_reads_as_its_text_too()
    {
        await using var conn = await db.OpenAsync();
        await Differential.ServerValuesReadAsPrintedAsync<string>(conn, "('x' || substr(md5(random()::text), 1, 5))::bit(20)", s => s);
    }

    [Fact]
    public async Task A_bit_1_reads_as_bool_and_a_bool_named_Bit_is_sent_as_one_bit()
    {
        await using var conn = await db.OpenAsync();
        Assert.True(await conn.QueryScalarAsync<bool>("SELECT B'1'"));
        Assert.False(await conn.QueryScalarAsync<bool>("SELECT B'0'::varbit"));
        Assert.Equal("1 bit", await conn.QueryScalarAsync<string>("SELECT format('%s %s', $1, pg_typeof($1))", new PgParameter(true, PgDbType.Bit)));
        Assert.Equal("boolean", await conn.QueryScalarAsync<string>("SELECT pg_typeof($1)::text", true));
        var e = await Assert.ThrowsAsync<PgConversionException>(async () => await conn.QueryScalarAsync<bool>("SELECT B'10' AS flags"));
        Assert.Contains("\"flags\"", e.Message);
        Assert.Contains("2 bits", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1000)]
    public async Task A_varbit_of_any_length_round_trips(int length)
    {
        var bits = new BitArray(Enumerable.Range(0, length).Select(i => i % 3 == 0 || i % 7 == 1).ToArray());
        await using var conn = await db.OpenAsync();
        await using var cmd = new PgCommand("SELECT $1, length($1), $1::text", conn);
        cmd.Parameters.Add(new PgParameter(bits));
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var read = reader.GetFieldValue<BitArray>(0);
        Assert.Equal(ToBools(bits), ToBools(read));
        Assert.Equal(length, reader.GetInt32(1));
        Assert.Equal(PgText.Bits(ToBools(bits)), reader.GetString(2));
        Assert.Equal(PgText.Bits(ToBools(bits)), reader.GetFieldValue<string>(0));
        Assert.Equal(typeof(BitArray), reader.GetFieldType(0));
        Assert.Equal("bit varying", reader.GetDataTypeName(0));
    }
}
