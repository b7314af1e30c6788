using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace PgWire;

/// <summary>
/// A PostgreSQL tid (tuple identifier, the type of a row's ctid): the heap block number and the item's offset
/// within the block. Printed as PostgreSQL prints it, "(block,offset)".
/// </summary>
public readonly record struct PgTid(uint BlockNumber, ushort OffsetNumber) : IComparable<PgTid>
{
    /// <summary>Orders by block, then offset, as PostgreSQL's tid comparison does.</summary>
    public int CompareTo(PgTid other)
    {
        int byBlock = BlockNumber.CompareTo(other.BlockNumber);
        return byBlock != 0 ? byBlock : OffsetNumber.CompareTo(other.OffsetNumber);
    }

    public static bool operator <(PgTid left, PgTid right) => left.CompareTo(right) < 0;

    public static bool operator >(PgTid left, PgTid right) => left.CompareTo(right) > 0;

    public static bool operator <=(PgTid left, PgTid right) => left.CompareTo(right) <= 0;

    public static bool operator >=(PgTid left, PgTid right) => left.CompareTo(right) >= 0;

    /// <summary>"(block,offset)", the text form tidout prints and tidin reads.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"({BlockNumber},{OffsetNumber})");

    public static PgTid Parse(string s) =>
        TryParse(s, out var tid) ? tid : throw new FormatException($"'{s}' is not a tid; the form is (block,offset), such as (0,1).");

    public static bool TryParse([NotNullWhen(true)] string? s, out PgTid result) => TryParse(s.AsSpan(), out result) && s is not null;

    public static bool TryParse(ReadOnlySpan<char> s, out PgTid result)
    {
        result = default;
        s = s.Trim();
        if (s.Length < 5 || s[0] != '(' || s[^1] != ')') return false;
        var inner = s[1..^1];
        int comma = inner.IndexOf(',');
        if (comma < 0) return false;
        if (!uint.TryParse(inner[..comma], NumberStyles.None, CultureInfo.InvariantCulture, out uint block)
            || !ushort.TryParse(inner[(comma + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out ushort offset))
            return false;
        result = new PgTid(block, offset);
        return true;
    }
}
