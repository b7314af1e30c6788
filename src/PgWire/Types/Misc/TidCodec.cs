using System.Buffers.Binary;

namespace PgWire.Types;

/// <summary>tid as PgTid: a uint32 block number and a uint16 offset (tidsend in tid.c).</summary>
internal sealed class TidCodec() : PgTypeCodec<PgTid>(MiscOids.Tid, "tid"), IPgReader<string>
{
    public override PgTid Read(ReadOnlySpan<byte> data, bool binary)
    {
        if (!binary)
            return PgTid.TryParse(System.Text.Encoding.ASCII.GetString(data), out var parsed) ? parsed : throw Conversion.BadText(DataTypeName, data);
        if (data.Length != 6) throw Conversion.BadLength(DataTypeName, data.Length, 6);
        return new PgTid(BinaryPrimitives.ReadUInt32BigEndian(data), BinaryPrimitives.ReadUInt16BigEndian(data[4..]));
    }

    string IPgReader<string>.Read(ReadOnlySpan<byte> data, bool binary) => Read(data, binary).ToString();

    public override int GetLength(PgTid value) => 6;

    public override void Write(PgTid value, Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, value.BlockNumber);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], value.OffsetNumber);
    }

    protected override PgTid ConvertFrom(object value) => value switch
    {
        PgTid t => t,
        string s when PgTid.TryParse(s, out var parsed) => parsed,
        _ => throw Conversion.CannotWrite(value, DataTypeName),
    };
}
