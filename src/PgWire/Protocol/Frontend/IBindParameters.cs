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

    /// <summary>The encoded length in bytes, -1 for NULL, or <see cref="BindParameterLength.SizedWhileWritten"/>.</summary>
    int GetLength(int index);

    /// <summary>Writes exactly <see cref="GetLength"/> bytes.</summary>
    void Write(int index, Span<byte> destination);

    /// <summary>
    /// For a value whose length is known only once it is read (a non-seekable Stream, a TextReader): appends it to
    /// <paramref name="buffer"/> and returns the bytes written, which the Bind then records as its length.
    /// </summary>
    int WriteUnsized(int index, WriteBuffer buffer);
}

internal static class BindParameterLength
{
    /// <summary>The length of a value known only once it is written (<see cref="IBindParameters.WriteUnsized"/>).</summary>
    public const int SizedWhileWritten = -2;
}
