using System.Net;
using System.Net.NetworkInformation;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PgWire.Types;

/// <summary>Registers the codecs of one family of types with the built-in registry.</summary>
internal static class MiscTypes
{
    public static void Register(PgTypeRegistry registry)
    {
        registry.Add(new UuidCodec(), PgDbType.Uuid, typeof(Guid));

        // JSON documents go as jsonb, the type applications store; a string stays untyped so the server infers
        // json or jsonb from the statement. Other objects are serialized only when the parameter names the type.
        registry.Add(JsonCodec.Json(), PgDbType.Json);
        var jsonb = registry.Add(JsonCodec.Jsonb(), PgDbType.Jsonb,
            typeof(JsonDocument), typeof(JsonElement), typeof(JsonObject), typeof(JsonArray));
        registry.AddResolver(value => value is JsonNode ? jsonb : null); // JsonValue's concrete types are internal

        registry.Add(new TextCodec(MiscOids.Xml, "xml"), PgDbType.Xml);

        var inet = registry.Add(new InetCodec(), PgDbType.Inet, typeof(IPAddress), typeof(PgInet));
        // IPAddress.Loopback, IPAddress.Any and friends are instances of a private subclass: match by "is", not by exact type.
        registry.AddResolver(v => v is IPAddress ? inet : null);
        registry.Add(new CidrCodec(), PgDbType.Cidr, typeof(IPNetwork));

        var macaddr = registry.Add(MacAddrCodec.MacAddr(), PgDbType.MacAddr);
        var macaddr8 = registry.Add(MacAddrCodec.MacAddr8(), PgDbType.MacAddr8);
        // The same .NET type serves both: the address's length picks the PostgreSQL type (a wrong length fails as macaddr).
        registry.AddResolver(value => value is PhysicalAddress p ? p.GetAddressBytes().Length == 8 ? macaddr8 : macaddr : null);

        registry.Add(BitStringCodec.Bit(), PgDbType.Bit);
        registry.Add(BitStringCodec.Varbit(), PgDbType.Varbit, typeof(System.Collections.BitArray));

        registry.Add(new MoneyCodec(), PgDbType.Money);

        registry.Add(new UInt32IdCodec(MiscOids.Xid, "xid"), PgDbType.Xid);
        registry.Add(new UInt32IdCodec(MiscOids.Cid, "cid"), PgDbType.Cid);
        registry.Add(new UInt32IdCodec(MiscOids.Regclass, "regclass"), PgDbType.Regclass);
        registry.Add(new UInt32IdCodec(MiscOids.Regtype, "regtype"), PgDbType.Regtype);
        registry.Add(new Xid8Codec(), PgDbType.Xid8);
        registry.Add(new TidCodec(), PgDbType.Tid, typeof(PgTid));
        registry.Add(new PgLsnCodec(), PgDbType.PgLsn, typeof(PgLsn));

        // numeric is registered with the base types; BigInteger joins it here, with the rest of issue 3's numeric work.
        if (registry.Find(PgOids.Numeric) is { } numeric)
            registry.Add(numeric, PgDbType.Numeric, typeof(BigInteger));
    }
}
