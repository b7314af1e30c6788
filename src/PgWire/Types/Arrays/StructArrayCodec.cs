using System.Runtime.InteropServices;

namespace PgWire.Types.Arrays;

/// <summary>
/// An <see cref="ArrayCodec{T}"/> over a value-type element (integer[], boolean[], ...), which also reads and writes
/// collections of T? for arrays with NULL elements. GetValue returns T?[] for a value that has NULL elements.
/// </summary>
internal sealed class StructArrayCodec<T> : ArrayCodec<T>,
    IPgReader<T?[]>, IPgReader<List<T?>>, IPgReader<T?[,]>, IPgReader<T?[,,]>, IPgReader<IList<T?>>, IPgReader<IReadOnlyList<T?>>,
    IPgReader<IEnumerable<T?>>
    where T : struct
{
    private readonly StructArrayReader<T> _reader;

    public StructArrayCodec(PgTypeCodec element, uint oid) : this(element, oid, new StructArrayReader<T>(ElementReader(element), element.Oid,
        element.DataTypeName + "[]")) { }

    private StructArrayCodec(PgTypeCodec element, uint oid, StructArrayReader<T> reader) : base(element, oid, reader) => _reader = reader;

    T?[] IPgReader<T?[]>.Read(ReadOnlySpan<byte> data, bool binary) => ((IPgReader<T?[]>)_reader).Read(data, binary);

    List<T?> IPgReader<List<T?>>.Read(ReadOnlySpan<byte> data, bool binary) => ((IPgReader<List<T?>>)_reader).Read(data, binary);

    T?[,] IPgReader<T?[,]>.Read(ReadOnlySpan<byte> data, bool binary) => ((IPgReader<T?[,]>)_reader).Read(data, binary);

    T?[,,] IPgReader<T?[,,]>.Read(ReadOnlySpan<byte> data, bool binary) => ((IPgReader<T?[,,]>)_reader).Read(data, binary);

    IList<T?> IPgReader<IList<T?>>.Read(ReadOnlySpan<byte> data, bool binary) => ((IPgReader<IList<T?>>)_reader).Read(data, binary);

    IReadOnlyList<T?> IPgReader<IReadOnlyList<T?>>.Read(ReadOnlySpan<byte> data, bool binary) =>
        ((IPgReader<IReadOnlyList<T?>>)_reader).Read(data, binary);

    IEnumerable<T?> IPgReader<IEnumerable<T?>>.Read(ReadOnlySpan<byte> data, bool binary) =>
        ((IPgReader<IEnumerable<T?>>)_reader).Read(data, binary);

    private protected override int? EncodeNullable(object value, Span<byte> destination, bool measure)
    {
        if (Typed is not { } typed) return null;
        var encoder = new NullableElementEncoder<T>(typed);
        switch (value)
        {
            case T?[] array:
                return Run<T?, NullableElementEncoder<T>>(array, ArrayShape.OneDimension(array.Length), encoder, destination, measure);
            case List<T?> list:
                return Run<T?, NullableElementEncoder<T>>(CollectionsMarshal.AsSpan(list), ArrayShape.OneDimension(list.Count), encoder,
                    destination, measure);
            case Array array when array.GetType().GetElementType() == typeof(T?):
                return Run<T?, NullableElementEncoder<T>>(ArraySpans.Of<T?>(array), ArrayShape.Of(array, DataTypeName), encoder,
                    destination, measure);
            case IEnumerable<T?> sequence:
                var items = sequence.ToArray();
                return Run<T?, NullableElementEncoder<T>>(items, ArrayShape.OneDimension(items.Length), encoder, destination, measure);
            default:
                return null;
        }
    }
}
