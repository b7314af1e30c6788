namespace PgWire.Types;

// The folder is DateTime/, but the namespace stays PgWire.Types: a namespace named DateTime would hide System.DateTime.

/// <summary>OIDs of the date and time types (pg_type.dat); stable across PostgreSQL versions.</summary>
internal static class DateTimeOids
{
    public const uint Date = 1082;
    public const uint Time = 1083;
    public const uint Timestamp = 1114;
    public const uint TimestampTz = 1184;
    public const uint Interval = 1186;
    public const uint TimeTz = 1266;
}
