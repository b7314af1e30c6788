namespace PgWire.Protocol.Frontend;

/// <summary>
/// The parameter values of a Bind, already resolved to their wire form by the layer above, so that the
/// protocol layer can size the message exactly before it writes a byte and needs no knowledge of types.
/// </summary>
internal interface IBindParameters
{
    int Count { get; }

    /// <summary>0 for text, 1 for binary.</summary>
    short GetFormatCode(int index);

    /// <summary>The encoded length in bytes, or -1 for NULL.</summary>
    int GetLength(int index);

    /// <summary>Writes exactly <see cref="GetLength"/> bytes.</summary>
    void Write(int index, Span<byte> destination);
}
