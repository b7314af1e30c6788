using System.Collections;
using System.Net;
using System.Net.NetworkInformation;
using System.Numerics;
using System.Text;
using System.Text.Json;
using PgWire.Types;

namespace PgWire.Tests.Types.Misc;

/// <summary>
/// Each codec also reads the server's text form (a result PgWire did not ask for in binary); the inputs are what
/// the server prints. No server needed.
/// </summary>
public sealed class TextFallbackTests
{
    private static T Read<T>(uint oid, string text) =>
        ((IPgReader<T>)PgTypeRegistry.Default.ForOid(oid)).Read(Encoding.UTF8.GetBytes(text), binary: false);

    [Fact]
    public void Text_values_read_as_their_binary_counterparts_would()
    {
        Assert.Equal(Guid.Parse("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), Read<Guid>(MiscOids.Uuid, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
        Assert.Equal("{\"a\": 1}", Read<string>(MiscOids.Jsonb, "{\"a\": 1}"));
        Assert.Equal(1, Read<JsonElement>(MiscOids.Jsonb, "{\"a\": 1}").GetProperty("a").GetInt32());
        Assert.Equal(IPAddress.Parse("10.0.0.1"), Read<IPAddress>(MiscOids.Inet, "10.0.0.1"));
        Assert.Equal(new PgInet(IPAddress.Parse("10.0.0.1"), 8), Read<PgInet>(MiscOids.Inet, "10.0.0.1/8"));
        Assert.Equal(IPNetwork.Parse("2001:db8::/32"), Read<IPNetwork>(MiscOids.Cidr, "2001:db8::/32"));
        Assert.Equal(PhysicalAddress.Parse("08-00-2B-01-02-03"), Read<PhysicalAddress>(MiscOids.MacAddr, "08:00:2b:01:02:03"));
        Assert.Equal([true, false, true], Read<BitArray>(MiscOids.Varbit, "101").Cast<bool>());
        Assert.True(Read<bool>(MiscOids.Bit, "1"));
        Assert.Equal(-1234.56m, Read<decimal>(MiscOids.Money, "-$1,234.56"));
        Assert.Equal(4000000000u, Read<uint>(MiscOids.Xid, "4000000000"));
        Assert.Equal(ulong.MaxValue, Read<ulong>(MiscOids.Xid8, "18446744073709551615"));
        Assert.Equal(new PgTid(7, 3), Read<PgTid>(MiscOids.Tid, "(7,3)"));
        Assert.Equal(new PgLsn(0x16_B374D848), Read<PgLsn>(MiscOids.PgLsn, "16/B374D848"));
        Assert.Equal(BigInteger.Parse("123456789012345678901234567890"), Read<BigInteger>(PgOids.Numeric, "123456789012345678901234567890.000"));
        Assert.Equal(-42L, Read<long>(PgOids.Numeric, "-42.00"));
    }

    [Fact]
    public void A_regclass_in_text_form_is_a_name_and_the_error_says_to_read_it_as_string()
    {
        var e = Assert.Throws<PgConversionException>(() => Read<uint>(MiscOids.Regclass, "pg_class"));
        Assert.Contains("String", e.Message);
    }
}
