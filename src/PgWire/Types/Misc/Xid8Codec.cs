using System.Buffers.Binary;
using System.Globalization;

namespace PgWire.Types;

/// <summary>xid8 (a 64-bit, epoch-extended transaction ID, PostgreSQL 13+) as UInt64. Sent only when a parameter names it.</summary>
internal sealed class Xid8Codec() : PgTypeCodec<ulong>(MiscOids.Xid8, "xid8")
{
    public override ulong Read(ReadOnlySpan<byte> data, bool binary)
    {
        if (!binary)
            return ulong.TryParse(data, NumberStyles.None, CultureInfo.InvariantCulture, out ulong v) ? v : throw Conversion.BadText(DataTypeName, data);
        if (data.Length != 8) throw Conversion.BadLength(DataTypeName, data.Length, 8);
        return BinaryPrimitives.ReadUInt64BigEndian(data);
    }

    public override int GetLength(ulong value) => 8;

    public override void Write(ulong value, Span<byte> destination) => BinaryPrimitives.WriteUInt64BigEndian(destination, value);

    protected override ulong ConvertFrom(object value) => value switch
    {
        ulong u => u,
        uint u => u,
        _ => (ulong)Conversion.ToInt64(value, 0, long.MaxValue, DataTypeName),
    };
}
