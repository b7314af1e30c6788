using System.Net.NetworkInformation;
using CsCheck;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Types.Misc;

[Collection("Database")]
public sealed class MacAddrTests(DatabaseFixture db)
{
    [Fact]
    public async Task A_6_byte_PhysicalAddress_goes_as_macaddr_and_prints_as_macaddr_out_would()
    {
        await using var conn = await db.OpenAsync();
        await Gen.Byte.Array[6].SampleAsync(async bytes =>
        {
            Assert.Equal(PgText.MacAddr(bytes) + " macaddr",
                await conn.QueryScalarAsync<string>("SELECT format('%s %s', $1, pg_typeof($1))", new PhysicalAddress(bytes)));
        }, iter: Differential.Iterations, threads: 1, print: Convert.ToHexString);
    }

    [Fact]
    public async Task An_8_byte_PhysicalAddress_goes_as_macaddr8_and_prints_as_macaddr8_out_would()
    {
        await using var conn = await db.OpenAsync();
        await Gen.Byte.Array[8].SampleAsync(async bytes =>
        {
            Assert.Equal(PgText.MacAddr(bytes) + " macaddr8",
                await conn.QueryScalarAsync<string>("SELECT format('%s %s', $1, pg_typeof($1))", new PhysicalAddress(bytes)));
        }, iter: Differential.Iterations, threads: 1, print: Convert.ToHexString);
    }

    [Fact]
    public async Task A_macaddr_made_by_the_server_reads_as_the_PhysicalAddress_of_its_text()
    {
        await using var conn = await db.OpenAsync();
        await Differential.ServerValuesReadAsPrintedAsync<PhysicalAddress>(conn, "substr(md5(random()::text), 1, 12)::macaddr",
            p => PgText.MacAddr(p.GetAddressBytes()));
    }

    [Fact]
    public async Task A_macaddr8_made_by_the_server_reads_as_the_PhysicalAddress_of_its_text()
    {
        await using var conn = await db.OpenAsync();
        await Differential.ServerValuesReadAsPrintedAsync<PhysicalAddress>(conn, "substr(md5(random()::text), 1, 16)::macaddr8",
            p => PgText.MacAddr(p.GetAddressBytes()));
    }

    [Fact]
    public async Task A_6_byte_address_named_macaddr8_is_widened_as_PostgreSQL_widens_it_and_other_lengths_are_refused()
    {
        await using var conn = await db.OpenAsync();
        var six = PhysicalAddress.Parse("08-00-2B-01-02-03");
        Assert.Equal("08:00:2b:ff:fe:01:02:03", await conn.QueryScalarAsync<string>("SELECT $1::text", new PgParameter(six, PgDbType.MacAddr8)));
        Assert.Equal("08:00:2b:ff:fe:01:02:03", await conn.QueryScalarAsync<string>("SELECT $1::macaddr::macaddr8::text", six));
        var e = await Assert.ThrowsAsync<PgConversionException>(async () =>
            await conn.QueryScalarAsync<string>("SELECT $1::text", new PhysicalAddress([1, 2, 3])));
        Assert.Contains("3 bytes", e.Message);
        await Assert.ThrowsAsync<PgConversionException>(async () =>
            await conn.QueryScalarAsync<string>("SELECT $1::text", new PgParameter(new PhysicalAddress(new byte[8]), PgDbType.MacAddr)));
    }

    [Fact]
    public async Task A_macaddr_column_reports_PhysicalAddress_and_reads_as_its_text_too()
    {
        await using var conn = await db.OpenAsync();
        await using var cmd = new PgCommand("SELECT '08:00:2b:01:02:03'::macaddr", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(typeof(PhysicalAddress), reader.GetFieldType(0));
        Assert.Equal(PhysicalAddress.Parse("08-00-2B-01-02-03"), reader.GetValue(0));
        Assert.Equal("08:00:2b:01:02:03", reader.GetString(0));
    }
}
