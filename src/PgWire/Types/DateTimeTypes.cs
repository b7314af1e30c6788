namespace PgWire.Types;

/// <summary>
/// Registers the date and time codecs (Types/DateTime/) with the built-in registry.
/// A DateTime picks its type by Kind: Utc is an instant (timestamptz), Local and Unspecified are clock readings (timestamp).
/// </summary>
internal static class DateTimeTypes
{
    public static void Register(PgTypeRegistry registry)
    {
        var timestamp = registry.Add(new TimestampCodec(), PgDbType.Timestamp);
        var timestampTz = registry.Add(new TimestampTzCodec(), PgDbType.TimestampTz, typeof(DateTimeOffset));
        registry.Add(new DateCodec(), PgDbType.Date, typeof(DateOnly));
        registry.Add(new TimeCodec(), PgDbType.Time, typeof(TimeOnly));
        registry.Add(new TimeTzCodec(), PgDbType.TimeTz);
        registry.Add(new IntervalCodec(), PgDbType.Interval, typeof(TimeSpan), typeof(PgInterval));

        // DateTime is not registered by type: its Kind decides, so a resolver looks at the value.
        registry.AddResolver(value => value is DateTime d ? (d.Kind == DateTimeKind.Utc ? timestampTz : timestamp) : null);
    }
}
