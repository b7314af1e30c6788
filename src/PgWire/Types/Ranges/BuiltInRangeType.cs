namespace PgWire.Types.Ranges;

/// <summary>One built-in range type with its multirange and the array types of both (pg_range, pg_type).</summary>
internal sealed record BuiltInRangeType(
    uint Oid, string Name, uint ElementOid, PgDbType DbType, uint ArrayOid,
    uint MultirangeOid, string MultirangeName, PgDbType MultirangeDbType, uint MultirangeArrayOid);
