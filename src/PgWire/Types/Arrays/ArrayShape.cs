namespace PgWire.Types.Arrays;

/// <summary>The dimensions of an array value: its rank, and per dimension a length and a lower bound.</summary>
internal struct ArrayShape
{
    /// <summary>MAXDIM in src/include/utils/array.h: PostgreSQL refuses arrays of more dimensions.</summary>
    public const int MaxRank = 6;

    /// <summary>0 for an empty array (PostgreSQL's empty arrays have no dimensions).</summary>
    public int Rank;

    /// <summary>The number of elements: the product of the lengths.</summary>
    public int Count;

    public ArrayDimensions Lengths;

    public ArrayDimensions LowerBounds;

    public static ArrayShape OneDimension(int length)
    {
        var shape = new ArrayShape { Rank = length == 0 ? 0 : 1, Count = length };
        shape.Lengths[0] = length;
        shape.LowerBounds[0] = 1;
        return shape;
    }

    /// <summary>The shape of a .NET array of any rank; lower bounds become 1, as PostgreSQL's default.</summary>
    public static ArrayShape Of(Array array, string dataTypeName)
    {
        if (array.Rank > MaxRank)
            throw new PgConversionException(
                $"A {array.Rank}-dimensional array cannot be sent as {dataTypeName}: PostgreSQL arrays have at most {MaxRank} dimensions.",
                PgErrorCodes.ProgramLimitExceeded);
        var shape = new ArrayShape { Rank = array.Length == 0 ? 0 : array.Rank, Count = array.Length };
        for (int d = 0; d < array.Rank; d++)
        {
            shape.Lengths[d] = array.GetLength(d);
            shape.LowerBounds[d] = 1;
        }
        return shape;
    }

    /// <summary>The lengths as an array, for <see cref="Array.CreateInstance(Type, int[])"/>.</summary>
    public readonly int[] LengthArray()
    {
        var lengths = new int[Rank];
        for (int d = 0; d < Rank; d++) lengths[d] = Lengths[d];
        return lengths;
    }
}
