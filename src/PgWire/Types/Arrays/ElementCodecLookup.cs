using System.Collections;
using System.Collections.Concurrent;

namespace PgWire.Types.Arrays;

/// <summary>
/// The codec a .NET element type is sent with, for collections (int[] as integer[]) and ranges (PgRange&lt;int&gt; as
/// int4range). The registry answers only for values, so this asks it with a sample of the type (a value type's default,
/// "" for string), once per type; where the answer depends on the value (DateTime by its Kind; object, and classes with
/// no sample) it asks with the first non-null element instead, on every call.
/// A string element is text, not untyped: an array needs a real element type.
/// </summary>
internal sealed class ElementCodecLookup(PgTypeRegistry registry)
{
    private readonly PgTypeRegistry _registry = registry;
    private readonly ConcurrentDictionary<Type, PgTypeCodec?> _byType = new();

    /// <summary>Whether <see cref="For"/> needs the first non-null element of the collection.</summary>
    public static bool NeedsValue(Type type) =>
        type.IsValueType ? type == typeof(DateTime) : type != typeof(string) && type != typeof(byte[]);

    /// <param name="type">The element type (Nullable&lt;T&gt; already unwrapped).</param>
    /// <param name="firstNonNull">The first non-null element when <see cref="NeedsValue"/> says so, otherwise ignored.</param>
    public PgTypeCodec? For(Type type, object? firstNonNull)
    {
        if (NeedsValue(type) && firstNonNull is not null) return Normalize(_registry.ForValue(firstNonNull));
        return _byType.GetOrAdd(type, static (t, self) => Sample(t) is { } sample ? self.Normalize(self._registry.ForValue(sample)) : null, this);
    }

    public static object? FirstNonNull(IEnumerable elements)
    {
        // Indexing an array or list allocates no enumerator.
        if (elements is IList list)
        {
            for (int i = 0; i < list.Count; i++)
                if (list[i] is { } item and not DBNull) return item;
            return null;
        }
        foreach (object? item in elements)
            if (item is not null and not DBNull) return item;
        return null;
    }

    private PgTypeCodec? Normalize(PgTypeCodec? codec) =>
        codec is { Oid: PgOids.Unspecified } ? _registry.Find(PgOids.Text) : codec;

    private static object? Sample(Type type) =>
        type.IsValueType ? (type.ContainsGenericParameters ? null : Activator.CreateInstance(type))
        : type == typeof(string) ? ""
        : type == typeof(byte[]) ? Array.Empty<byte>()
        : null;
}
