namespace PgWire.Types.Arrays;

/// <summary>
/// The array type of each built-in element type (pg_type.typarray; stable across PostgreSQL versions, checked against
/// the server by a test), and the PgDbType that names the element. An array codec is made for each element whose
/// codec is registered, named by <c>PgDbType.Array | element</c>. Range and multirange arrays are made with the ranges
/// (see Ranges/BuiltInRangeTypes).
/// </summary>
internal static class BuiltInArrayTypes
{
    public static readonly (uint Element, uint Array, PgDbType DbType)[] All =
    [
        (16, 1000, PgDbType.Boolean),               // bool
        (17, 1001, PgDbType.Bytea),                 // bytea
        (18, 1002, PgDbType.InternalChar),          // "char"
        (19, 1003, PgDbType.Name),                  // name
        (21, 1005, PgDbType.Smallint),              // int2
        (23, 1007, PgDbType.Integer),               // int4
        (25, 1009, PgDbType.Text),                  // text
        (1042, 1014, PgDbType.Char),                // bpchar
        (1043, 1015, PgDbType.Varchar),             // varchar
        (20, 1016, PgDbType.Bigint),                // int8
        (700, 1021, PgDbType.Real),                 // float4
        (701, 1022, PgDbType.Double),               // float8
        (26, 1028, PgDbType.Oid),                   // oid
        (1700, 1231, PgDbType.Numeric),             // numeric
        (1114, 1115, PgDbType.Timestamp),           // timestamp
        (1082, 1182, PgDbType.Date),                // date
        (1083, 1183, PgDbType.Time),                // time
        (1184, 1185, PgDbType.TimestampTz),         // timestamptz
        (1186, 1187, PgDbType.Interval),            // interval
        (1266, 1270, PgDbType.TimeTz),              // timetz
        (2950, 2951, PgDbType.Uuid),                // uuid
        (114, 199, PgDbType.Json),                  // json
        (3802, 3807, PgDbType.Jsonb),               // jsonb
        (869, 1041, PgDbType.Inet),                 // inet
        (650, 651, PgDbType.Cidr),                  // cidr
        (829, 1040, PgDbType.MacAddr),              // macaddr
        (774, 775, PgDbType.MacAddr8),              // macaddr8
        (1560, 1561, PgDbType.Bit),                 // bit
        (1562, 1563, PgDbType.Varbit),              // varbit
        (790, 791, PgDbType.Money),                 // money
        (142, 143, PgDbType.Xml),                   // xml
        (28, 1011, PgDbType.Xid),                   // xid
        (5069, 271, PgDbType.Xid8),                 // xid8
        (29, 1012, PgDbType.Cid),                   // cid
        (27, 1010, PgDbType.Tid),                   // tid
        (2205, 2210, PgDbType.Regclass),            // regclass
        (2206, 2211, PgDbType.Regtype),             // regtype
        (3220, 3221, PgDbType.PgLsn),               // pg_lsn
    ];
}
