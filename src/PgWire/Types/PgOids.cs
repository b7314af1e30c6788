namespace PgWire.Types;

/// <summary>OIDs of the built-in types (pg_type.dat); stable across PostgreSQL versions.</summary>
internal static class PgOids
{
    public const uint Unspecified = 0;
    public const uint Bool = 16;
    public const uint Bytea = 17;
    public const uint Char = 18;
    public const uint Name = 19;
    public const uint Int8 = 20;
    public const uint Int2 = 21;
    public const uint Int4 = 23;
    public const uint Text = 25;
    public const uint Oid = 26;
    public const uint Float4 = 700;
    public const uint Float8 = 701;
    public const uint Unknown = 705;
    public const uint Bpchar = 1042;
    public const uint Varchar = 1043;
    public const uint Numeric = 1700;
    public const uint Void = 2278;
}
