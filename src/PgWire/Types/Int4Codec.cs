using System.Buffers.Binary;

namespace PgWire.Types;

/// <summary>int4 (integer) as Int32; also readable as Int64, Int16 and Byte (checked), Decimal, Double.</summary>
internal sealed class Int4Codec() : PgTypeCodec<int>(PgOids.Int4, "integer"),
    IPgReader<long>, IPgReader<short>, IPgReader<byte>, IPgReader<decimal>, IPgReader<double>
{
    public override int Read(ReadOnlySpan<byte> data, bool binary)
    {
        if (!binary) return Conversion.CheckedInt32(Conversion.ParseInt64Text(data, DataTypeName), DataTypeName);
        if (data.Length != 4) throw Conversion.BadLength(DataTypeName, data.Length, 4);
        return BinaryPrimitives.ReadInt32BigEndian(data);
    }

    long IPgReader<long>.Read(ReadOnlySpan<byte> data, bool binary) => Read(data, binary);
    short IPgReader<short>.Read(ReadOnlySpan<byte> data, bool binary) => Conversion.CheckedInt16(Read(data, binary), DataTypeName);
    byte IPgReader<byte>.Read(ReadOnlySpan<byte> data, bool binary) => Conversion.CheckedByte(Read(data, binary), DataTypeName);
    decimal IPgReader<decimal>.Read(ReadOnlySpan<byte> data, bool binary) => Read(data, binary);
    double IPgReader<double>.Read(ReadOnlySpan<byte> data, bool binary) => Read(data, binary);

    public override int GetLength(int value) => 4;

    public override void Write(int value, Span<byte> destination) => BinaryPrimitives.WriteInt32BigEndian(destination, value);

    protected override int ConvertFrom(object value) =>
        value is int i ? i : (int)Conversion.ToInt64(value, int.MinValue, int.MaxValue, DataTypeName);
}
