using System.Buffers.Binary;

namespace PgWire.Types;

/// <summary>int8 (bigint) as Int64; also readable as Int32 and Int16 (checked), Decimal, Double.</summary>
internal sealed class Int8Codec() : PgTypeCodec<long>(PgOids.Int8, "bigint"),
    IPgReader<int>, IPgReader<short>, IPgReader<byte>, IPgReader<decimal>, IPgReader<double>
{
    public override long Read(ReadOnlySpan<byte> data, bool binary)
    {
        if (!binary) return Conversion.ParseInt64Text(data, DataTypeName);
        if (data.Length != 8) throw Conversion.BadLength(DataTypeName, data.Length, 8);
        return BinaryPrimitives.ReadInt64BigEndian(data);
    }

    int IPgReader<int>.Read(ReadOnlySpan<byte> data, bool binary) => Conversion.CheckedInt32(Read(data, binary), DataTypeName);
    short IPgReader<short>.Read(ReadOnlySpan<byte> data, bool binary) => Conversion.CheckedInt16(Read(data, binary), DataTypeName);
    byte IPgReader<byte>.Read(ReadOnlySpan<byte> data, bool binary) => Conversion.CheckedByte(Read(data, binary), DataTypeName);
    decimal IPgReader<decimal>.Read(ReadOnlySpan<byte> data, bool binary) => Read(data, binary);
    double IPgReader<double>.Read(ReadOnlySpan<byte> data, bool binary) => Read(data, binary);

    public override int GetLength(long value) => 8;

    public override void Write(long value, Span<byte> destination) => BinaryPrimitives.WriteInt64BigEndian(destination, value);

    protected override long ConvertFrom(object value) =>
        value is long l ? l : Conversion.ToInt64(value, long.MinValue, long.MaxValue, DataTypeName);
}
