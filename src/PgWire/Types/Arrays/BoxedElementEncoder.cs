namespace PgWire.Types.Arrays;

/// <summary>
/// Elements of any other .NET type (a List&lt;long&gt; sent as integer[], an object[]): each goes through the element
/// codec's checked conversion, which refuses a value the element type cannot hold. null and DBNull are NULL elements.
/// </summary>
internal readonly struct BoxedElementEncoder(PgTypeCodec codec) : IElementEncoder<object?>
{
    public bool IsNull(object? item) => item is null or DBNull;

    public int GetLength(object? item) => codec.GetLength(item!);

    public void Write(object? item, Span<byte> destination) => codec.Write(item!, destination);
}
