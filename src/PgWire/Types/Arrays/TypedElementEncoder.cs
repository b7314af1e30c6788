namespace PgWire.Types.Arrays;

/// <summary>Elements of exactly the element codec's default type: straight to its typed GetLength and Write.</summary>
internal readonly struct TypedElementEncoder<T>(PgTypeCodec<T> codec) : IElementEncoder<T> where T : notnull
{
    // Tested first so a value-type element is never boxed for the null test, not even by unoptimized (tier-0) JIT code.
    private static readonly bool CanBeNull = !typeof(T).IsValueType;

    public bool IsNull(T item) => CanBeNull && item is null;

    public int GetLength(T item) => codec.GetLength(item);

    public void Write(T item, Span<byte> destination) => codec.Write(item, destination);
}
