namespace PgWire.Types.Ranges;

/// <summary>
/// The built-in range types (stable OIDs, checked against the server by a test). A range, its multirange and their
/// arrays are registered when the element type's codec is.
/// </summary>
internal static class BuiltInRangeTypes
{
    public static readonly BuiltInRangeType[] All =
    [
        new(3904, "int4range", 23, PgDbType.Int4Range, 3905, 4451, "int4multirange", PgDbType.Int4Multirange, 6150),
        new(3926, "int8range", 20, PgDbType.Int8Range, 3927, 4536, "int8multirange", PgDbType.Int8Multirange, 6157),
        new(3906, "numrange", 1700, PgDbType.NumRange, 3907, 4532, "nummultirange", PgDbType.NumMultirange, 6151),
        new(3908, "tsrange", 1114, PgDbType.TsRange, 3909, 4533, "tsmultirange", PgDbType.TsMultirange, 6152),
        new(3910, "tstzrange", 1184, PgDbType.TsTzRange, 3911, 4534, "tstzmultirange", PgDbType.TsTzMultirange, 6153),
        new(3912, "daterange", 1082, PgDbType.DateRange, 3913, 4535, "datemultirange", PgDbType.DateMultirange, 6155),
    ];
}
