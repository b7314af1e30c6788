using System.Buffers.Binary;
using System.Globalization;

namespace PgWire.Types;

/// <summary>float4 (real) as Single; also readable as Double.</summary>
internal sealed class Float4Codec() : PgTypeCodec<float>(PgOids.Float4, "real"), IPgReader<double>
{
    public override float Read(ReadOnlySpan<byte> data, bool binary)
    {
        if (!binary)
            return float.TryParse(data, NumberStyles.Float, CultureInfo.InvariantCulture, out float v) ? v : throw Conversion.BadText(DataTypeName, data);
        if (data.Length != 4) throw Conversion.BadLength(DataTypeName, data.Length, 4);
        return BinaryPrimitives.ReadSingleBigEndian(data);
    }

    double IPgReader<double>.Read(ReadOnlySpan<byte> data, bool binary) => Read(data, binary);

    public override int GetLength(float value) => 4;

    public override void Write(float value, Span<byte> destination) => BinaryPrimitives.WriteSingleBigEndian(destination, value);

    protected override float ConvertFrom(object value)
    {
        if (value is float f) return f;
        double d = Conversion.ToDouble(value, DataTypeName);
        float narrowed = (float)d;
        // Only exact narrowing: 0.1 as a double is not representable as float, so refuse rather than round.
        if (!double.IsNaN(d) && narrowed != d) throw Conversion.OutOfRange(value, DataTypeName);
        return narrowed;
    }
}
