using System.Buffers.Binary;

namespace PgWire.Types;

/// <summary>oid as UInt32; also readable as Int64.</summary>
internal sealed class OidCodec() : PgTypeCodec<uint>(PgOids.Oid, "oid"), IPgReader<long>
{
    public override uint Read(ReadOnlySpan<byte> data, bool binary)
    {
        if (!binary)
            return uint.TryParse(data, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out uint v)
                ? v : throw Conversion.BadText(DataTypeName, data);
        if (data.Length != 4) throw Conversion.BadLength(DataTypeName, data.Length, 4);
        return BinaryPrimitives.ReadUInt32BigEndian(data);
    }

    long IPgReader<long>.Read(ReadOnlySpan<byte> data, bool binary) => Read(data, binary);

    public override int GetLength(uint value) => 4;

    public override void Write(uint value, Span<byte> destination) => BinaryPrimitives.WriteUInt32BigEndian(destination, value);

    protected override uint ConvertFrom(object value) =>
        value is uint u ? u : (uint)Conversion.ToInt64(value, uint.MinValue, uint.MaxValue, DataTypeName);
}
