namespace PgWire.Types;

/// <summary>
/// A codec that can read its values as .NET types it cannot list as <see cref="IPgReader{T}"/> implementations,
/// because the set is open: json and jsonb deserialize into any class or record through System.Text.Json.
/// The result reader asks it after the closed <see cref="IPgReader{T}"/> readers and before giving up.
/// </summary>
internal interface IPgGenericReader
{
    /// <param name="data">The column's bytes (never NULL: the caller handles NULL).</param>
    /// <param name="binary">True when the column arrived in binary format, false for text.</param>
    /// <param name="value">The value; null when the document itself is JSON null and <typeparamref name="T"/> allows it.</param>
    /// <returns>False when the codec has no way to produce <typeparamref name="T"/> (the caller reports the wrong type).</returns>
    bool TryRead<T>(ReadOnlySpan<byte> data, bool binary, out T value);
}
