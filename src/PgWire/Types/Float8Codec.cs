using System.Buffers.Binary;
using System.Globalization;

namespace PgWire.Types;

/// <summary>float8 (double precision) as Double.</summary>
internal sealed class Float8Codec() : PgTypeCodec<double>(PgOids.Float8, "double precision")
{
    public override double Read(ReadOnlySpan<byte> data, bool binary)
    {
        if (!binary)
            return double.TryParse(data, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : throw Conversion.BadText(DataTypeName, data);
        if (data.Length != 8) throw Conversion.BadLength(DataTypeName, data.Length, 8);
        return BinaryPrimitives.ReadDoubleBigEndian(data);
    }

    public override int GetLength(double value) => 8;

    public override void Write(double value, Span<byte> destination) => BinaryPrimitives.WriteDoubleBigEndian(destination, value);

    protected override double ConvertFrom(object value)
    {
        // The same widenings C# does implicitly (integers, float); decimal as its nearest double.
        return value is double d ? d : Conversion.ToDouble(value, DataTypeName);
    }
}
