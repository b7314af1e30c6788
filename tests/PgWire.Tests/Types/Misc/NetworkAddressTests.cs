using System.Net;
using CsCheck;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Types.Misc;

[Collection("Database")]
public sealed class NetworkAddressTests(DatabaseFixture db)
{
    /// <summary>IPv6 words are zero often, so "::" runs and IPv4-mapped forms (::ffff:a.b.c.d) come up.</summary>
    private static readonly Gen<byte[]> IPv6Bytes = Gen.Frequency(
            (3, Gen.UShort),
            (2, Gen.Const((ushort)0)),
            (1, Gen.Const((ushort)0xffff)))
        .Array[8].Select(words => words.SelectMany(w => new[] { (byte)(w >> 8), (byte)w }).ToArray());

    private static readonly Gen<byte[]> AddressBytes = Gen.OneOf(Gen.Byte.Array[4], IPv6Bytes);

    /// <summary>Any inet: host bits and masks of every length, a full mask a third of the time.</summary>
    private static readonly Gen<PgInet> Inets = Gen.Select(AddressBytes, Gen.Int[0, 128], Gen.Bool, (bytes, bits, full) =>
        new PgInet(new IPAddress(bytes), (byte)(full ? 8 * bytes.Length : bits % (8 * bytes.Length + 1))));

    /// <summary>Networks: the bits past the mask cleared.</summary>
    private static readonly Gen<IPNetwork> Networks = Inets.Select(i =>
    {
        byte[] bytes = i.Address.GetAddressBytes();
        for (int bit = i.Netmask; bit < 8 * bytes.Length; bit++) bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        return new IPNetwork(new IPAddress(bytes), i.Netmask);
    });

    /// <summary>inet_out's text: the text() cast would always add the mask.</summary>
    private const string InetOut = "format('%s', v)";

    private static string Print(PgInet value) => PgText.Inet(value) + " " + Convert.ToHexString(value.Address.GetAddressBytes());

    [Fact]
    public async Task A_PgInet_sent_as_a_parameter_prints_on_the_server_as_inet_out_would()
    {
        await using var conn = await db.OpenAsync();
        await Differential.SentValuesPrintAsExpectedAsync(conn, Inets, "SELECT format('%s', $1)", v => PgText.Inet(v), print: Print);
    }

    [Fact]
    public async Task An_IPAddress_sent_as_a_parameter_is_an_inet_host()
    {
        await using var conn = await db.OpenAsync();
        await Differential.SentValuesPrintAsExpectedAsync(conn, AddressBytes.Select(b => new IPAddress(b)),
            "SELECT format('%s %s', $1, pg_typeof($1))", a => PgText.Inet(a.GetAddressBytes(), 8 * a.GetAddressBytes().Length, false) + " inet");
    }

    [Fact]
    public async Task An_IPNetwork_sent_as_a_parameter_prints_on_the_server_as_cidr_out_would()
    {
        await using var conn = await db.OpenAsync();
        await Differential.SentValuesPrintAsExpectedAsync(conn, Networks,
            "SELECT format('%s %s', $1, pg_typeof($1))", n => PgText.Inet(n.BaseAddress.GetAddressBytes(), n.PrefixLength, true) + " cidr");
    }

    private const string RandomIPv4 = "set_masklen('0.0.0.0'::inet + (random() * 4294967295)::bigint, (random() * 32)::int)";

    private const string RandomIPv6 =
        "set_masklen(array_to_string(ARRAY(SELECT CASE WHEN random() < 0.4 THEN '0' ELSE to_hex((random() * 65535)::int) END " +
        "FROM generate_series(1, 8) AS w(k) WHERE i > 0), ':')::inet, (random() * 128)::int)";

    private const string RandomInet = $"CASE WHEN random() < 0.5 THEN {RandomIPv4} ELSE {RandomIPv6} END";

    [Fact]
    public async Task An_inet_made_by_the_server_reads_as_a_PgInet_that_prints_as_its_text()
    {
        await using var conn = await db.OpenAsync();
        await Differential.ServerValuesReadAsPrintedAsync<PgInet>(conn, RandomInet, v => PgText.Inet(v), textOf: InetOut);
    }

    [Fact]
    public async Task A_cidr_made_by_the_server_reads_as_an_IPNetwork_that_prints_as_its_text()
    {
        await using var conn = await db.OpenAsync();
        await Differential.ServerValuesReadAsPrintedAsync<IPNetwork>(conn, $"network({RandomInet})",
            n => PgText.Inet(n.BaseAddress.GetAddressBytes(), n.PrefixLength, true), textOf: InetOut);
    }

    [Fact]
    public async Task An_inet_without_a_mask_reads_as_IPAddress_and_with_one_as_PgInet_or_IPNetwork()
    {
        await using var conn = await db.OpenAsync();
        await using var cmd = new PgCommand(
            "SELECT '192.168.0.5'::inet AS host, '192.168.0.5/24'::inet AS masked, '192.168.0.0/24'::inet AS network", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(typeof(IPAddress), reader.GetFieldType(0));
        Assert.Equal(IPAddress.Parse("192.168.0.5"), reader.GetFieldValue<IPAddress>(0));
        Assert.Equal(IPAddress.Parse("192.168.0.5"), reader.GetValue(0));
        Assert.Equal(new PgInet(IPAddress.Parse("192.168.0.5"), 24), reader.GetFieldValue<PgInet>(1));
        Assert.Equal(new PgInet(IPAddress.Parse("192.168.0.5"), 24), reader.GetValue(1));
        Assert.Equal(IPNetwork.Parse("192.168.0.0/24"), reader.GetFieldValue<IPNetwork>(2));

        var lostMask = Assert.Throws<PgConversionException>(() => reader.GetFieldValue<IPAddress>(1));
        Assert.Contains("\"masked\"", lostMask.Message);
        Assert.Contains("PgInet", lostMask.Message);
        var hostBits = Assert.Throws<PgConversionException>(() => reader.GetFieldValue<IPNetwork>(1));
        Assert.Contains("PgInet", hostBits.Message);
        Assert.Contains("IPNetwork", Assert.Throws<PgConversionException>(() => reader.GetFieldValue<IPAddress>(2)).Message);
    }

    [Fact]
    public async Task IPv6_inet_and_cidr_values_read_in_every_form()
    {
        await using var conn = await db.OpenAsync();
        var rows = await conn.QueryAsync("SELECT '2001:db8::1'::inet, '2001:db8::1/64'::inet, '2001:db8::/32'::cidr, '::ffff:10.0.0.1'::inet");
        Assert.Equal(IPAddress.Parse("2001:db8::1"), rows[0][0]);
        Assert.Equal(new PgInet(IPAddress.Parse("2001:db8::1"), 64), rows[0][1]);
        Assert.Equal(IPNetwork.Parse("2001:db8::/32"), rows[0][2]);
        Assert.Equal(IPAddress.Parse("::ffff:10.0.0.1"), rows[0][3]);
    }

    [Fact]
    public async Task A_cidr_column_reports_IPNetwork_and_reads_as_IPAddress_only_when_it_is_a_single_host()
    {
        await using var conn = await db.OpenAsync();
        await using var cmd = new PgCommand("SELECT '10.1.0.0/16'::cidr AS net, '10.1.2.3/32'::cidr AS one", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(typeof(IPNetwork), reader.GetFieldType(0));
        Assert.Equal("cidr", reader.GetDataTypeName(0));
        Assert.Equal(IPNetwork.Parse("10.1.0.0/16"), reader.GetValue(0));
        Assert.Equal(new PgInet(IPAddress.Parse("10.1.0.0"), 16), reader.GetFieldValue<PgInet>(0));
        Assert.Equal(IPAddress.Parse("10.1.2.3"), reader.GetFieldValue<IPAddress>(1));
        Assert.Throws<PgConversionException>(() => reader.GetFieldValue<IPAddress>(0));
    }

    [Fact]
    public async Task Named_types_turn_addresses_into_inet_or_cidr_and_refuse_host_bits_in_a_cidr()
    {
        await using var conn = await db.OpenAsync();
        Assert.Equal("10.0.0.0/8 inet", await conn.QueryScalarAsync<string>("SELECT format('%s %s', $1, pg_typeof($1))",
            new PgParameter(IPNetwork.Parse("10.0.0.0/8"), PgDbType.Inet)));
        Assert.Equal("10.0.0.1/32 cidr", await conn.QueryScalarAsync<string>("SELECT format('%s %s', $1, pg_typeof($1))",
            new PgParameter(IPAddress.Parse("10.0.0.1"), PgDbType.Cidr)));
        var e = await Assert.ThrowsAsync<PgConversionException>(async () =>
            await conn.QueryScalarAsync<string>("SELECT $1::text", new PgParameter(new PgInet(IPAddress.Parse("10.0.0.1"), 8), PgDbType.Cidr)));
        Assert.Contains("past its mask", e.Message);
        Assert.Equal(1, await conn.QueryScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public async Task An_IPv6_address_with_a_zone_index_is_refused_rather_than_sent_without_it()
    {
        await using var conn = await db.OpenAsync();
        var e = await Assert.ThrowsAsync<PgConversionException>(async () =>
            await conn.QueryScalarAsync<string>("SELECT $1::text", IPAddress.Parse("fe80::1%3")));
        Assert.Contains("zone index", e.Message);
    }

    [Fact]
    public void PgInet_prints_and_parses_as_PostgreSQL_does()
    {
        Assert.Equal("10.0.0.1", new PgInet(IPAddress.Parse("10.0.0.1")).ToString());
        Assert.Equal("10.0.0.1/8", new PgInet(IPAddress.Parse("10.0.0.1"), 8).ToString());
        Assert.Equal(new PgInet(IPAddress.Parse("2001:db8::1"), 64), PgInet.Parse("2001:db8::1/64"));
        Assert.False(PgInet.TryParse("10.0.0.1/33", out _));
        Assert.Equal("0.0.0.0/0", default(PgInet).ToString());
    }
}
