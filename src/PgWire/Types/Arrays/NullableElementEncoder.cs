namespace PgWire.Types.Arrays;

/// <summary>Elements of T? for a value-type element codec: null is a NULL element.</summary>
internal readonly struct NullableElementEncoder<T>(PgTypeCodec<T> codec) : IElementEncoder<T?> where T : struct
{
    public bool IsNull(T? item) => !item.HasValue;

    public int GetLength(T? item) => codec.GetLength(item.GetValueOrDefault());

    public void Write(T? item, Span<byte> destination) => codec.Write(item.GetValueOrDefault(), destination);
}
