using PgWire.Types;

namespace PgWire;

/// <summary>
/// A PostgreSQL interval exactly as the server stores it: months, days and microseconds, three fields that do not
/// convert into one another (a month is not always 30 days, a day not always 24 hours across a DST change).
/// Read an interval as PgInterval when it may hold months, or when TimeSpan's range is not enough; send one to
/// write any interval the server can hold.
/// </summary>
/// <remarks>
/// Equality compares the three fields, so <c>new PgInterval(1, 0, 0)</c> (1 mon) differs from
/// <c>new PgInterval(0, 30, 0)</c> (30 days), although PostgreSQL's <c>=</c> calls them equal.
/// </remarks>
/// <param name="Months">Whole months (12 to a year); with its own sign.</param>
/// <param name="Days">Whole days; with its own sign.</param>
/// <param name="Microseconds">The time part; with its own sign.</param>
public readonly record struct PgInterval(int Months, int Days, long Microseconds)
{
    /// <summary>
    /// The interval in ISO 8601 format, as PostgreSQL prints it with <c>IntervalStyle = 'iso_8601'</c>:
    /// <c>P1Y2M3DT4H5M6.5S</c>, <c>P-1M</c>, <c>PT0S</c> for zero. PostgreSQL reads this text back as the same interval.
    /// </summary>
    public override string ToString() => TemporalTextFormatter.IntervalIso8601(this);
}
