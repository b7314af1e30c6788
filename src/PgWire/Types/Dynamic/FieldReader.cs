using System.Collections.Concurrent;
using System.Globalization;

namespace PgWire.Types.Dynamic;

/// <summary>Reads a value as a .NET type known only at run time (a mapped composite's member), through the codec's typed reader.</summary>
internal static class FieldReader
{
    private delegate object? Reader(PgTypeCodec codec, ReadOnlySpan<byte> data, bool binary);

    private static readonly ConcurrentDictionary<(Type Codec, Type Target), Reader?> Readers = new();

    public static object? Read(PgTypeCodec codec, Type target, ReadOnlySpan<byte> data, bool binary)
    {
        var underlying = Nullable.GetUnderlyingType(target) ?? target;
        var reader = Readers.GetOrAdd((codec.GetType(), underlying), static key =>
        {
            var readerInterface = typeof(IPgReader<>).MakeGenericType(key.Target);
            if (!readerInterface.IsAssignableFrom(key.Codec)) return null;
            var method = typeof(FieldReader).GetMethod(nameof(Make), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                .MakeGenericMethod(key.Target);
            return (Reader)method.Invoke(null, null)!;
        });
        if (reader is not null) return reader(codec, data, binary);
        object value = codec.ReadObject(data, binary);
        return underlying.IsInstanceOfType(value) ? value : Convert.ChangeType(value, underlying, CultureInfo.InvariantCulture);
    }

    private static Reader Make<T>() => static (codec, data, binary) => ((IPgReader<T>)codec).Read(data, binary);
}
