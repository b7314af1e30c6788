using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace PgWire;

/// <summary>
/// A PostgreSQL pg_lsn: a position in the write-ahead log, a 64-bit byte offset. A struct of its own rather than a
/// bare ulong so that it prints as PostgreSQL prints it ("16/B374D848": the high and low 32 bits in upper-case hex)
/// and cannot be mixed up with other numbers; <see cref="Value"/> and the explicit conversions give the number.
/// </summary>
public readonly record struct PgLsn(ulong Value) : IComparable<PgLsn>
{
    public static readonly PgLsn Invalid = new(0);

    public int CompareTo(PgLsn other) => Value.CompareTo(other.Value);

    public static bool operator <(PgLsn left, PgLsn right) => left.Value < right.Value;

    public static bool operator >(PgLsn left, PgLsn right) => left.Value > right.Value;

    public static bool operator <=(PgLsn left, PgLsn right) => left.Value <= right.Value;

    public static bool operator >=(PgLsn left, PgLsn right) => left.Value >= right.Value;

    /// <summary>The number of WAL bytes from <paramref name="right"/> to <paramref name="left"/>, as pg_wal_lsn_diff gives.</summary>
    public static long operator -(PgLsn left, PgLsn right) => unchecked((long)(left.Value - right.Value));

    public static explicit operator ulong(PgLsn lsn) => lsn.Value;

    public static explicit operator PgLsn(ulong value) => new(value);

    /// <summary>"X/X": the high and low halves in upper-case hex, without padding, as pg_lsn_out prints them.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{(uint)(Value >> 32):X}/{(uint)Value:X}");

    public static PgLsn Parse(string s) =>
        TryParse(s, out var lsn) ? lsn : throw new FormatException($"'{s}' is not a pg_lsn; the form is two hex numbers, such as 16/B374D848.");

    public static bool TryParse([NotNullWhen(true)] string? s, out PgLsn result) => TryParse(s.AsSpan(), out result) && s is not null;

    /// <summary>Reads "high/low" in hex, each at most 8 digits, as pg_lsn_in does.</summary>
    public static bool TryParse(ReadOnlySpan<char> s, out PgLsn result)
    {
        result = default;
        int slash = s.IndexOf('/');
        if (slash is < 1 or > 8 || s.Length - slash - 1 is < 1 or > 8) return false;
        if (!uint.TryParse(s[..slash], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint high)
            || !uint.TryParse(s[(slash + 1)..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint low))
            return false;
        result = new PgLsn(((ulong)high << 32) | low);
        return true;
    }
}
