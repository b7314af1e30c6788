using System.Runtime.CompilerServices;

namespace PgWire.Types.Arrays;

/// <summary>One integer per dimension (lengths or lower bounds), held inline so reading an array header allocates nothing.</summary>
[InlineArray(ArrayShape.MaxRank)]
internal struct ArrayDimensions
{
    private int _first;
}
