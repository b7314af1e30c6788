namespace PgWire.Types;

/// <summary>
/// OIDs of the miscellaneous built-in scalar types (pg_type.dat); stable across PostgreSQL versions.
/// Kept beside their codecs until they move into <see cref="PgOids"/>.
/// </summary>
internal static class MiscOids
{
    public const uint Tid = 27;
    public const uint Xid = 28;
    public const uint Cid = 29;
    public const uint Json = 114;
    public const uint Xml = 142;
    public const uint Cidr = 650;
    public const uint MacAddr8 = 774;
    public const uint Money = 790;
    public const uint MacAddr = 829;
    public const uint Inet = 869;
    public const uint Bit = 1560;
    public const uint Varbit = 1562;
    public const uint Regclass = 2205;
    public const uint Regtype = 2206;
    public const uint Uuid = 2950;
    public const uint PgLsn = 3220;
    public const uint Jsonb = 3802;
    public const uint Xid8 = 5069;
}
