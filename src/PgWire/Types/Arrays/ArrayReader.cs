using System.Runtime.InteropServices;

namespace PgWire.Types.Arrays;

/// <summary>
/// Reads an array value as .NET collections of <typeparamref name="T"/>, each element through one element reader.
/// A lower bound other than 1 (<c>'[0:2]={1,2,3}'</c>) is dropped: the elements come back in order, starting at index 0.
/// </summary>
internal class ArrayReader<T> :
    IPgReader<T[]>, IPgReader<List<T>>, IPgReader<T[,]>, IPgReader<T[,,]>,
    IPgReader<IList<T>>, IPgReader<IReadOnlyList<T>>, IPgReader<ICollection<T>>, IPgReader<IReadOnlyCollection<T>>,
    IPgReader<IEnumerable<T>>
{
    private readonly IPgReader<T> _element;

    public ArrayReader(IPgReader<T> element, uint elementOid, string dataTypeName)
    {
        _element = element;
        ElementOid = elementOid;
        DataTypeName = dataTypeName;
    }

    protected uint ElementOid { get; }

    protected string DataTypeName { get; }

    protected IPgReader<T> Element => _element;

    protected ArrayElements Open(ReadOnlySpan<byte> data, bool binary) => ArrayElements.Open(data, binary, ElementOid, DataTypeName);

    public T[] Read(ReadOnlySpan<byte> data, bool binary)
    {
        var elements = Open(data, binary);
        CheckRank(elements.Shape, 1);
        var result = elements.Shape.Count == 0 ? [] : new T[elements.Shape.Count];
        Fill(ref elements, result);
        return result;
    }

    List<T> IPgReader<List<T>>.Read(ReadOnlySpan<byte> data, bool binary) => ReadList(data, binary);

    IList<T> IPgReader<IList<T>>.Read(ReadOnlySpan<byte> data, bool binary) => ReadList(data, binary);

    IReadOnlyList<T> IPgReader<IReadOnlyList<T>>.Read(ReadOnlySpan<byte> data, bool binary) => ReadList(data, binary);

    ICollection<T> IPgReader<ICollection<T>>.Read(ReadOnlySpan<byte> data, bool binary) => ReadList(data, binary);

    IReadOnlyCollection<T> IPgReader<IReadOnlyCollection<T>>.Read(ReadOnlySpan<byte> data, bool binary) => ReadList(data, binary);

    IEnumerable<T> IPgReader<IEnumerable<T>>.Read(ReadOnlySpan<byte> data, bool binary) => ReadList(data, binary);

    T[,] IPgReader<T[,]>.Read(ReadOnlySpan<byte> data, bool binary) => (T[,])ReadRank(data, binary, 2);

    T[,,] IPgReader<T[,,]>.Read(ReadOnlySpan<byte> data, bool binary) => (T[,,])ReadRank(data, binary, 3);

    private List<T> ReadList(ReadOnlySpan<byte> data, bool binary)
    {
        var elements = Open(data, binary);
        CheckRank(elements.Shape, 1);
        var list = new List<T>(elements.Shape.Count);
        CollectionsMarshal.SetCount(list, elements.Shape.Count);
        Fill(ref elements, CollectionsMarshal.AsSpan(list));
        return list;
    }

    private Array ReadRank(ReadOnlySpan<byte> data, bool binary, int rank)
    {
        var elements = Open(data, binary);
        CheckRank(elements.Shape, rank);
        var shape = elements.Shape;
        // An empty array has no dimensions in PostgreSQL; as T[,] it is 0 by 0.
        if (shape.Rank == 0) shape.Rank = rank;
        var result = ArraySpans.Create<T>(shape);
        Fill(ref elements, ArraySpans.Of<T>(result));
        return result;
    }

    /// <summary>The value as an array of its own rank: T[] (also when empty), T[,], ... (GetValue).</summary>
    public Array ReadArray(ReadOnlySpan<byte> data, bool binary)
    {
        var elements = Open(data, binary);
        return ReadArray(ref elements);
    }

    protected virtual Array ReadArray(ref ArrayElements elements)
    {
        var result = ArraySpans.Create<T>(elements.Shape);
        Fill(ref elements, ArraySpans.Of<T>(result));
        return result;
    }

    protected void Fill(ref ArrayElements elements, Span<T> destination)
    {
        bool binary = elements.Binary;
        for (int i = 0; i < destination.Length; i++)
            destination[i] = elements.Next(out var bytes) ? _element.Read(bytes, binary) : NullElement();
        elements.CheckEnd();
    }

    private T NullElement() =>
        default(T) is null
            ? default!
            : throw new PgConversionException(
                $"The {DataTypeName} value has a NULL element, which {TypeNames.Of(typeof(T))} cannot hold; read it with nullable " +
                $"elements ({TypeNames.Of(typeof(T))}?[] or List<{TypeNames.Of(typeof(T))}?>).", PgErrorCodes.NullValueNotAllowed);

    protected void CheckRank(in ArrayShape shape, int rank)
    {
        if (shape.Rank != 0 && shape.Rank != rank)
            throw new PgConversionException(
                $"The {DataTypeName} value has {shape.Rank} dimension(s) and cannot be read as a {rank}-dimensional collection; " +
                $"read it as {TypeNames.Of(typeof(T))}[{new string(',', shape.Rank - 1)}] (or as Array).", PgErrorCodes.DataException);
    }
}
