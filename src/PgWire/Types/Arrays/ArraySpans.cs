using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PgWire.Types.Arrays;

/// <summary>
/// The elements of a .NET array of any rank as one span in storage order (row-major, the order PostgreSQL uses too),
/// so multidimensional arrays are read and written without boxing through <see cref="Array"/>'s indexers.
/// </summary>
internal static class ArraySpans
{
    /// <summary>The caller guarantees the array's element type is exactly <typeparamref name="T"/>.</summary>
    public static Span<T> Of<T>(Array array) =>
        MemoryMarshal.CreateSpan(ref Unsafe.As<byte, T>(ref MemoryMarshal.GetArrayDataReference(array)), array.Length);

    /// <summary>A new array of <typeparamref name="T"/> in the given shape: T[] for rank 0 and 1, T[,] for 2, and so on.</summary>
    public static Array Create<T>(in ArrayShape shape) => shape.Rank switch
    {
        0 => Array.Empty<T>(),
        1 => new T[shape.Count],
        2 => new T[shape.Lengths[0], shape.Lengths[1]],
        3 => new T[shape.Lengths[0], shape.Lengths[1], shape.Lengths[2]],
        _ => Array.CreateInstance(typeof(T), shape.LengthArray()),
    };
}
