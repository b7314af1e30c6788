using System.Globalization;
using System.Text;
using PgWire.Types.Ranges;

namespace PgWire;

/// <summary>
/// A PostgreSQL range value (int4range, int8range, numrange, tsrange, tstzrange, daterange): a lower and an upper
/// bound, each inclusive, exclusive or infinite; or the empty range. A multirange is read and written as
/// <c>PgRange&lt;T&gt;[]</c>.
/// <para>
/// Values are kept as given: PostgreSQL canonicalizes discrete ranges (integers, dates), so <c>[1,5]</c> sent as an
/// int4range comes back as <c>[1,6)</c>, and equality here compares the parts as they are, not the sets they denote.
/// <c>default(PgRange&lt;T&gt;)</c> is <see cref="Empty"/>.
/// </para>
/// </summary>
public readonly struct PgRange<T> : IEquatable<PgRange<T>>, IPgRange
{
    // A set NonEmpty bit (rather than an Empty one) makes default(PgRange<T>) the empty range.
    private const byte NonEmpty = 0x01;
    private const byte LowerInclusive = 0x02;
    private const byte UpperInclusive = 0x04;
    private const byte LowerInfinite = 0x08;
    private const byte UpperInfinite = 0x10;

    private readonly byte _flags;

    /// <summary>The range [<paramref name="lowerBound"/>, <paramref name="upperBound"/>): lower inclusive, upper exclusive,
    /// as PostgreSQL's own constructors (<c>int4range(1, 5)</c>) default to.</summary>
    public PgRange(T lowerBound, T upperBound) : this(lowerBound, true, false, upperBound, false, false) { }

    public PgRange(T lowerBound, bool lowerBoundIsInclusive, T upperBound, bool upperBoundIsInclusive)
        : this(lowerBound, lowerBoundIsInclusive, false, upperBound, upperBoundIsInclusive, false) { }

    /// <summary>
    /// A range with each bound inclusive, exclusive or infinite. An infinite bound's value is ignored (stored as default)
    /// and it is never inclusive, as in PostgreSQL; a null bound is infinite, as in <c>int4range(NULL, 5)</c>.
    /// </summary>
    public PgRange(T lowerBound, bool lowerBoundIsInclusive, bool lowerBoundInfinite, T upperBound, bool upperBoundIsInclusive,
        bool upperBoundInfinite)
    {
        // The value-type test first keeps unoptimized (tier-0) JIT code from boxing a bound to compare it with null.
        if (!typeof(T).IsValueType)
        {
            lowerBoundInfinite |= lowerBound is null;
            upperBoundInfinite |= upperBound is null;
        }
        LowerBound = lowerBoundInfinite ? default! : lowerBound;
        UpperBound = upperBoundInfinite ? default! : upperBound;
        _flags = (byte)(NonEmpty
            | (lowerBoundInfinite ? LowerInfinite : lowerBoundIsInclusive ? LowerInclusive : 0)
            | (upperBoundInfinite ? UpperInfinite : upperBoundIsInclusive ? UpperInclusive : 0));
    }

    /// <summary>The empty range (PostgreSQL's <c>'empty'</c>), which contains nothing; also <c>default(PgRange&lt;T&gt;)</c>.</summary>
    public static PgRange<T> Empty => default;

    /// <summary>The lower bound; default when it is infinite or the range is empty.</summary>
    public T LowerBound { get; }

    /// <summary>The upper bound; default when it is infinite or the range is empty.</summary>
    public T UpperBound { get; }

    public bool LowerBoundIsInclusive => (_flags & LowerInclusive) != 0;

    public bool UpperBoundIsInclusive => (_flags & UpperInclusive) != 0;

    /// <summary>Whether the range has no lower bound (<c>(,5)</c>).</summary>
    public bool LowerBoundInfinite => (_flags & LowerInfinite) != 0;

    /// <summary>Whether the range has no upper bound (<c>[1,)</c>).</summary>
    public bool UpperBoundInfinite => (_flags & UpperInfinite) != 0;

    public bool IsEmpty => (_flags & NonEmpty) == 0;

    object? IPgRange.LowerBoundObject => LowerBound;

    object? IPgRange.UpperBoundObject => UpperBound;

    public bool Equals(PgRange<T> other) =>
        _flags == other._flags
        && EqualityComparer<T>.Default.Equals(LowerBound, other.LowerBound)
        && EqualityComparer<T>.Default.Equals(UpperBound, other.UpperBound);

    public override bool Equals(object? obj) => obj is PgRange<T> other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_flags, LowerBound, UpperBound);

    public static bool operator ==(PgRange<T> left, PgRange<T> right) => left.Equals(right);

    public static bool operator !=(PgRange<T> left, PgRange<T> right) => !left.Equals(right);

    /// <summary>
    /// PostgreSQL's text form: <c>[1,5)</c>, <c>(,3]</c>, <c>empty</c>, with a bound in double quotes when it holds
    /// white space or one of <c>"\()[],</c> (range_out's rule). Numbers print as PostgreSQL prints them; dates and
    /// times print in ISO form (<c>2024-02-29 13:45:00</c>), which PostgreSQL reads back.
    /// </summary>
    public override string ToString()
    {
        if (IsEmpty) return "empty";
        var sb = new StringBuilder();
        sb.Append(LowerBoundIsInclusive ? '[' : '(');
        if (!LowerBoundInfinite) AppendBound(sb, FormatBound(LowerBound));
        sb.Append(',');
        if (!UpperBoundInfinite) AppendBound(sb, FormatBound(UpperBound));
        sb.Append(UpperBoundIsInclusive ? ']' : ')');
        return sb.ToString();
    }

    private static string FormatBound(T value) => value switch
    {
        null => "",
        DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture),
        DateTimeOffset d => d.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFzzz", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>range_bound_escape (src/backend/utils/adt/rangetypes.c): quote when needed, double quotes and backslashes.</summary>
    private static void AppendBound(StringBuilder sb, string bound)
    {
        bool quote = bound.Length == 0;
        foreach (char c in bound)
        {
            if (c is '"' or '\\' or '(' or ')' or '[' or ']' or ',' or ' ' or '\t' or '\n' or '\r' or '\v' or '\f')
            {
                quote = true;
                break;
            }
        }
        if (quote) sb.Append('"');
        foreach (char c in bound)
        {
            if (c is '"' or '\\') sb.Append(c);
            sb.Append(c);
        }
        if (quote) sb.Append('"');
    }
}
