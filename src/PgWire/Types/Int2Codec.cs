using System.Buffers.Binary;

namespace PgWire.Types;

/// <summary>int2 (smallint) as Int16; also readable as Int32, Int64, Byte (checked), Decimal, Double, Single.</summary>
internal sealed class Int2Codec() : PgTypeCodec<short>(PgOids.Int2, "smallint"),
    IPgReader<int>, IPgReader<long>, IPgReader<byte>, IPgReader<decimal>, IPgReader<double>, IPgReader<float>
{
    public override short Read(ReadOnlySpan<byte> data, bool binary)
    {
        if (!binary) return Conversion.CheckedInt16(Conversion.ParseInt64Text(data, DataTypeName), DataTypeName);
        if (data.Length != 2) throw Conversion.BadLength(DataTypeName, data.Length, 2);
        return BinaryPrimitives.ReadInt16BigEndian(data);
    }

    int IPgReader<int>.Read(ReadOnlySpan<byte> data, bool binary) => Read(data, binary);
    long IPgReader<long>.Read(ReadOnlySpan<byte> data, bool binary) => Read(data, binary);
    byte IPgReader<byte>.Read(ReadOnlySpan<byte> data, bool binary) => Conversion.CheckedByte(Read(data, binary), DataTypeName);
    decimal IPgReader<decimal>.Read(ReadOnlySpan<byte> data, bool binary) => Read(data, binary);
    double IPgReader<double>.Read(ReadOnlySpan<byte> data, bool binary) => Read(data, binary);
    float IPgReader<float>.Read(ReadOnlySpan<byte> data, bool binary) => Read(data, binary);

    public override int GetLength(short value) => 2;

    public override void Write(short value, Span<byte> destination) => BinaryPrimitives.WriteInt16BigEndian(destination, value);

    protected override short ConvertFrom(object value) =>
        value is short s ? s : (short)Conversion.ToInt64(value, short.MinValue, short.MaxValue, DataTypeName);
}
