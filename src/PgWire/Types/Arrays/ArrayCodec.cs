using System.Collections;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace PgWire.Types.Arrays;

/// <summary>
/// An array type (integer[], text[], ...) over its element type's codec, in any number of dimensions.
/// Reads as T[] by default (T the element codec's default type), also as List&lt;T&gt;, T[,], T[,,], the collection
/// interfaces, and (through <see cref="IPgGenericReader"/>) as collections of any type the element codec reads
/// (an integer[] as long[], List&lt;decimal&gt; or short?[]).
/// Writes T[], List&lt;T&gt;, multidimensional arrays and any other collection; elements of another .NET type go through
/// the element codec's checked conversion.
/// </summary>
internal class ArrayCodec<T> : PgTypeCodec<T[]>,
    IPgReader<List<T>>, IPgReader<T[,]>, IPgReader<T[,,]>, IPgReader<IList<T>>, IPgReader<IReadOnlyList<T>>,
    IPgReader<ICollection<T>>, IPgReader<IReadOnlyCollection<T>>, IPgReader<IEnumerable<T>>, IPgReader<Array>, IPgGenericReader
    where T : notnull
{
    private readonly ArrayReader<T> _reader;
    private readonly ConcurrentDictionary<Type, object?> _otherReaders = new();

    public ArrayCodec(PgTypeCodec element, uint oid) : this(element, oid, null) { }

    private protected ArrayCodec(PgTypeCodec element, uint oid, ArrayReader<T>? reader) : base(oid, element.DataTypeName + "[]")
    {
        Element = element;
        Typed = element as PgTypeCodec<T>;
        _reader = reader ?? new ArrayReader<T>(ElementReader(element), element.Oid, DataTypeName);
    }

    /// <summary>The codec of the elements.</summary>
    public PgTypeCodec Element { get; }

    /// <summary>The element codec with its typed write path, or null when it only takes objects.</summary>
    private protected PgTypeCodec<T>? Typed { get; }

    // Arrays travel in the format their elements do, so an element codec that reads or writes text gets text.
    public override bool BinaryResults => Element.BinaryResults;

    public override short ParameterFormat => Element.ParameterFormat;

    private protected static IPgReader<T> ElementReader(PgTypeCodec element) =>
        element as IPgReader<T> ?? new ObjectElementReader<T>(element);

    public override T[] Read(ReadOnlySpan<byte> data, bool binary) => _reader.Read(data, binary);

    /// <summary>GetValue: an array of the value's own rank (T[], T[,], ...); for value-type elements with a NULL, T?[] (see StructArrayReader).</summary>
    public override object ReadObject(ReadOnlySpan<byte> data, bool binary) => _reader.ReadArray(data, binary);

    Array IPgReader<Array>.Read(ReadOnlySpan<byte> data, bool binary) => _reader.ReadArray(data, binary);

    List<T> IPgReader<List<T>>.Read(ReadOnlySpan<byte> data, bool binary) => ((IPgReader<List<T>>)_reader).Read(data, binary);

    T[,] IPgReader<T[,]>.Read(ReadOnlySpan<byte> data, bool binary) => ((IPgReader<T[,]>)_reader).Read(data, binary);

    T[,,] IPgReader<T[,,]>.Read(ReadOnlySpan<byte> data, bool binary) => ((IPgReader<T[,,]>)_reader).Read(data, binary);

    IList<T> IPgReader<IList<T>>.Read(ReadOnlySpan<byte> data, bool binary) => ((IPgReader<IList<T>>)_reader).Read(data, binary);

    IReadOnlyList<T> IPgReader<IReadOnlyList<T>>.Read(ReadOnlySpan<byte> data, bool binary) =>
        ((IPgReader<IReadOnlyList<T>>)_reader).Read(data, binary);

    ICollection<T> IPgReader<ICollection<T>>.Read(ReadOnlySpan<byte> data, bool binary) =>
        ((IPgReader<ICollection<T>>)_reader).Read(data, binary);

    IReadOnlyCollection<T> IPgReader<IReadOnlyCollection<T>>.Read(ReadOnlySpan<byte> data, bool binary) =>
        ((IPgReader<IReadOnlyCollection<T>>)_reader).Read(data, binary);

    IEnumerable<T> IPgReader<IEnumerable<T>>.Read(ReadOnlySpan<byte> data, bool binary) =>
        ((IPgReader<IEnumerable<T>>)_reader).Read(data, binary);

    public bool TryRead<TResult>(ReadOnlySpan<byte> data, bool binary, out TResult value)
    {
        if (OtherReader(typeof(TResult)) is IPgReader<TResult> reader)
        {
            value = reader.Read(data, binary);
            return true;
        }
        value = default!;
        return false;
    }

    /// <summary>
    /// A reader for a collection of another element type U (long[] for an integer[]), built once per requested type
    /// when the element codec reads U; null when it does not. Cached, so asking again costs one dictionary lookup.
    /// </summary>
    private object? OtherReader(Type type) => _otherReaders.GetOrAdd(type, static (t, self) => self.CreateOtherReader(t), this);

    private object? CreateOtherReader(Type type)
    {
        if (typeof(IPgReader<>).MakeGenericType(type).IsInstanceOfType(this)) return this;
        var elementType = CollectionElementType(type);
        if (elementType is null) return null;
        var plain = Nullable.GetUnderlyingType(elementType) ?? elementType;
        object? elementReader = typeof(IPgReader<>).MakeGenericType(plain).IsInstanceOfType(Element) ? Element
            : plain == Element.DefaultType ? Activator.CreateInstance(typeof(ObjectElementReader<>).MakeGenericType(plain), Element)
            : null;
        if (elementReader is null) return null;
        var readerType = (plain.IsValueType ? typeof(StructArrayReader<>) : typeof(ArrayReader<>)).MakeGenericType(plain);
        var reader = Activator.CreateInstance(readerType, elementReader, Element.Oid, DataTypeName);
        return typeof(IPgReader<>).MakeGenericType(type).IsInstanceOfType(reader) ? reader : null;
    }

    private static Type? CollectionElementType(Type type)
    {
        if (type.IsArray) return type.GetElementType();
        if (!type.IsGenericType) return null;
        var definition = type.GetGenericTypeDefinition();
        return definition == typeof(List<>) || definition == typeof(IList<>) || definition == typeof(IReadOnlyList<>) ||
               definition == typeof(ICollection<>) || definition == typeof(IReadOnlyCollection<>) || definition == typeof(IEnumerable<>)
            ? type.GetGenericArguments()[0]
            : null;
    }

    public override int GetLength(T[] value) => Encode(value, default, measure: true);

    public override void Write(T[] value, Span<byte> destination) => Encode(value, destination, measure: false);

    public override int GetLength(object value) => Encode(value, default, measure: true);

    public override void Write(object value, Span<byte> destination) => Encode(value, destination, measure: false);

    /// <summary>Measures (returns the length) or writes a collection of any supported shape.</summary>
    private int Encode(object value, Span<byte> destination, bool measure)
    {
        if (Typed is { } typed)
        {
            switch (value)
            {
                case T[] array:
                    return Run(array, ArrayShape.OneDimension(array.Length), new TypedElementEncoder<T>(typed), destination, measure);
                case List<T> list:
                    return Run(CollectionsMarshal.AsSpan(list), ArrayShape.OneDimension(list.Count), new TypedElementEncoder<T>(typed),
                        destination, measure);
                case Array array when array.GetType().GetElementType() == typeof(T):
                    return Run<T, TypedElementEncoder<T>>(ArraySpans.Of<T>(array), ArrayShape.Of(array, DataTypeName),
                        new TypedElementEncoder<T>(typed), destination, measure);
            }
        }
        int? nullable = EncodeNullable(value, destination, measure);
        if (nullable is { } length) return length;
        switch (value)
        {
            case string:
                // A string is a sequence of chars, but as an array parameter it is surely a mistake.
                throw Conversion.CannotWrite(value, DataTypeName);
            case IEnumerable<T> sequence when Typed is not null:
                var items = sequence.ToArray();
                return Run(items, ArrayShape.OneDimension(items.Length), new TypedElementEncoder<T>(Typed), destination, measure);
            case Array array:
                var boxed = new object?[array.Length];
                int i = 0;
                foreach (object? item in array) boxed[i++] = item;
                return Run<object?, BoxedElementEncoder>(boxed, ArrayShape.Of(array, DataTypeName), new BoxedElementEncoder(Element),
                    destination, measure);
            case IEnumerable sequence:
                var objects = sequence.Cast<object?>().ToArray();
                return Run<object?, BoxedElementEncoder>(objects, ArrayShape.OneDimension(objects.Length), new BoxedElementEncoder(Element),
                    destination, measure);
            default:
                throw Conversion.CannotWrite(value, DataTypeName);
        }
    }

    /// <summary>For value-type elements: collections of T? (see <see cref="StructArrayCodec{T}"/>); null when not one.</summary>
    private protected virtual int? EncodeNullable(object value, Span<byte> destination, bool measure) => null;

    private protected int Run<TItem, TEncoder>(ReadOnlySpan<TItem> items, in ArrayShape shape, TEncoder encoder, Span<byte> destination,
        bool measure) where TEncoder : IElementEncoder<TItem>
    {
        if (measure) return ArrayEncoder.GetLength(items, shape, encoder, Element, DataTypeName);
        ArrayEncoder.Write(items, shape, encoder, Element, destination, DataTypeName);
        return 0;
    }
}
