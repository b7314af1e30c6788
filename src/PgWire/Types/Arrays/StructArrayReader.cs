using System.Runtime.InteropServices;

namespace PgWire.Types.Arrays;

/// <summary>
/// An <see cref="ArrayReader{T}"/> for value-type elements, which also reads arrays with NULL elements as T?[],
/// List&lt;T?&gt;, T?[,] and T?[,,].
/// </summary>
internal sealed class StructArrayReader<T>(IPgReader<T> element, uint elementOid, string dataTypeName)
    : ArrayReader<T>(element, elementOid, dataTypeName),
        IPgReader<T?[]>, IPgReader<List<T?>>, IPgReader<T?[,]>, IPgReader<T?[,,]>, IPgReader<IList<T?>>, IPgReader<IReadOnlyList<T?>>,
        IPgReader<IEnumerable<T?>>
    where T : struct
{
    T?[] IPgReader<T?[]>.Read(ReadOnlySpan<byte> data, bool binary) => (T?[])ReadNullable(data, binary, 1);

    T?[,] IPgReader<T?[,]>.Read(ReadOnlySpan<byte> data, bool binary) => (T?[,])ReadNullable(data, binary, 2);

    T?[,,] IPgReader<T?[,,]>.Read(ReadOnlySpan<byte> data, bool binary) => (T?[,,])ReadNullable(data, binary, 3);

    List<T?> IPgReader<List<T?>>.Read(ReadOnlySpan<byte> data, bool binary)
    {
        var elements = Open(data, binary);
        CheckRank(elements.Shape, 1);
        var list = new List<T?>(elements.Shape.Count);
        CollectionsMarshal.SetCount(list, elements.Shape.Count);
        FillNullable(ref elements, CollectionsMarshal.AsSpan(list));
        return list;
    }

    IList<T?> IPgReader<IList<T?>>.Read(ReadOnlySpan<byte> data, bool binary) => ((IPgReader<List<T?>>)this).Read(data, binary);

    IReadOnlyList<T?> IPgReader<IReadOnlyList<T?>>.Read(ReadOnlySpan<byte> data, bool binary) => ((IPgReader<List<T?>>)this).Read(data, binary);

    IEnumerable<T?> IPgReader<IEnumerable<T?>>.Read(ReadOnlySpan<byte> data, bool binary) => ((IPgReader<List<T?>>)this).Read(data, binary);

    /// <summary>
    /// GetValue's answer: T[] (or T[,], ...) as the column's field type says, but T?[] when an element is NULL, so that
    /// reading a whole row never fails on an array with NULLs. GetFieldType cannot know in advance and reports T[].
    /// </summary>
    protected override Array ReadArray(ref ArrayElements elements)
    {
        if (!elements.HasNulls()) return base.ReadArray(ref elements);
        var result = ArraySpans.Create<T?>(elements.Shape);
        FillNullable(ref elements, ArraySpans.Of<T?>(result));
        return result;
    }

    private Array ReadNullable(ReadOnlySpan<byte> data, bool binary, int rank)
    {
        var elements = Open(data, binary);
        CheckRank(elements.Shape, rank);
        var shape = elements.Shape;
        if (shape.Rank == 0) shape.Rank = rank;
        var result = ArraySpans.Create<T?>(shape);
        FillNullable(ref elements, ArraySpans.Of<T?>(result));
        return result;
    }

    private void FillNullable(ref ArrayElements elements, Span<T?> destination)
    {
        bool binary = elements.Binary;
        for (int i = 0; i < destination.Length; i++)
            destination[i] = elements.Next(out var bytes) ? Element.Read(bytes, binary) : null;
        elements.CheckEnd();
    }
}
