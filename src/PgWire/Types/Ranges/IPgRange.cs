namespace PgWire.Types.Ranges;

/// <summary>
/// A <see cref="PgRange{T}"/> of any T, seen without its type argument: for resolvers that pick the range type from
/// a bound's value, and for sending a PgRange&lt;long&gt; as an int4range through the element codec's checked conversion.
/// </summary>
internal interface IPgRange
{
    bool IsEmpty { get; }

    bool LowerBoundIsInclusive { get; }

    bool UpperBoundIsInclusive { get; }

    bool LowerBoundInfinite { get; }

    bool UpperBoundInfinite { get; }

    object? LowerBoundObject { get; }

    object? UpperBoundObject { get; }
}
