namespace PgWire.Types;

/// <summary>
/// Reads a column's bytes as <typeparamref name="T"/>. A codec implements it once per .NET type it can produce,
/// so a typed read is an interface call on a struct path: no boxing, no per-value allocation for value types.
/// </summary>
internal interface IPgReader<T>
{
    /// <param name="data">The column's bytes (never NULL: the caller handles NULL).</param>
    /// <param name="binary">True when the column arrived in binary format, false for text.</param>
    T Read(ReadOnlySpan<byte> data, bool binary);
}
