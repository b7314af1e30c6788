using System.Collections.Concurrent;
using PgWire.Types.Arrays;

namespace PgWire.Types.Ranges;

/// <summary>
/// Picks the range type of a PgRange&lt;T&gt; parameter from its bound type (PgRange&lt;int&gt; as int4range,
/// PgRange&lt;DateTime&gt; by the bounds' Kind as tsrange or tstzrange), and the multirange type of a collection of them
/// (PgRange&lt;int&gt;[], List&lt;PgRange&lt;int&gt;&gt;).
/// </summary>
internal sealed class RangeParameterResolver(
    ElementCodecLookup lookup, IReadOnlyDictionary<uint, PgTypeCodec> rangesByElementOid,
    IReadOnlyDictionary<uint, PgTypeCodec> multirangesByElementOid)
{
    private readonly ConcurrentDictionary<Type, (Type Bound, bool Multirange)?> _shapes = new();

    public PgTypeCodec? Resolve(object value)
    {
        if (_shapes.GetOrAdd(value.GetType(), static t => ShapeOf(t)) is not var (bound, multirange)) return null;
        object? sample = ElementCodecLookup.NeedsValue(bound) ? FirstFiniteBound(value) : null;
        var element = lookup.For(bound, sample);
        if (element is null) return null;
        var codecs = multirange ? multirangesByElementOid : rangesByElementOid;
        return codecs.GetValueOrDefault(element.Oid);
    }

    private static object? FirstFiniteBound(object value)
    {
        if (value is IPgRange range) return FiniteBound(range);
        foreach (object? item in (System.Collections.IEnumerable)value)
            if (item is IPgRange r && FiniteBound(r) is { } bound) return bound;
        return null;
    }

    private static object? FiniteBound(IPgRange range) =>
        range.IsEmpty ? null : !range.LowerBoundInfinite ? range.LowerBoundObject : !range.UpperBoundInfinite ? range.UpperBoundObject : null;

    private static (Type, bool)? ShapeOf(Type type)
    {
        if (BoundOf(type) is { } bound) return (bound, false);
        if (type.IsArray && type.GetArrayRank() == 1 && BoundOf(type.GetElementType()!) is { } arrayBound) return (arrayBound, true);
        foreach (var candidate in type.GetInterfaces())
        {
            if (candidate.IsGenericType && candidate.GetGenericTypeDefinition() == typeof(IEnumerable<>)
                && BoundOf(candidate.GetGenericArguments()[0]) is { } itemBound)
                return (itemBound, true);
        }
        return null;
    }

    private static Type? BoundOf(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(PgRange<>) ? type.GetGenericArguments()[0] : null;
}
