namespace PgWire.Types.Arrays;

/// <summary>Reads elements through a codec that has no <see cref="IPgReader{T}"/> for its own default type (boxes each element).</summary>
internal sealed class ObjectElementReader<T>(PgTypeCodec codec) : IPgReader<T>
{
    public T Read(ReadOnlySpan<byte> data, bool binary) => (T)codec.ReadObject(data, binary);
}
