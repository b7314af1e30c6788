using System.Collections;
using System.Collections.Concurrent;

namespace PgWire.Types.Arrays;

/// <summary>
/// Picks the array type of a collection parameter from its elements: int[] and List&lt;int&gt; as integer[], string[]
/// as text[], byte[][] as bytea[], int?[] as integer[] with NULLs, int[,] as a two-dimensional integer[].
/// Collections of PgRange&lt;T&gt; are left to the ranges (they are multiranges).
/// </summary>
internal sealed class ArrayParameterResolver(ElementCodecLookup lookup, IReadOnlyDictionary<uint, PgTypeCodec> arraysByElementOid)
{
    private readonly ConcurrentDictionary<Type, Type?> _elementTypes = new();

    public PgTypeCodec? Resolve(object value)
    {
        var elementType = _elementTypes.GetOrAdd(value.GetType(), static t => ElementTypeOf(t));
        if (elementType is null) return null;
        var element = lookup.For(elementType,
            ElementCodecLookup.NeedsValue(elementType) ? ElementCodecLookup.FirstNonNull((IEnumerable)value) : null);
        return element is not null && arraysByElementOid.TryGetValue(element.Oid, out var array) ? array : null;
    }

    /// <summary>The element type of a collection type (Nullable unwrapped), or null for a type that is not sent as an array.</summary>
    private static Type? ElementTypeOf(Type type)
    {
        if (type == typeof(string)) return null;
        Type? element = null;
        if (type.IsArray)
        {
            element = type.GetElementType();
        }
        else
        {
            foreach (var candidate in type.GetInterfaces())
            {
                if (!candidate.IsGenericType || candidate.GetGenericTypeDefinition() != typeof(IEnumerable<>)) continue;
                // A type enumerable as two different things is ambiguous: leave it alone.
                if (element is not null) return null;
                element = candidate.GetGenericArguments()[0];
            }
            if (element is null && typeof(IEnumerable).IsAssignableFrom(type)) element = typeof(object);
        }
        if (element is null) return null;
        element = Nullable.GetUnderlyingType(element) ?? element;
        if (element.IsGenericType && element.GetGenericTypeDefinition() == typeof(PgRange<>)) return null;
        return element;
    }
}
