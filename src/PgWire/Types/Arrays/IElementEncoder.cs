namespace PgWire.Types.Arrays;

/// <summary>
/// Encodes the elements of a collection of <typeparamref name="TItem"/>. Implemented by structs and passed as a generic
/// argument, so the element calls are direct: no boxing, no virtual dispatch beyond the element codec's own.
/// </summary>
internal interface IElementEncoder<in TItem>
{
    bool IsNull(TItem item);

    int GetLength(TItem item);

    void Write(TItem item, Span<byte> destination);
}
