using System.Buffers.Binary;
using System.Globalization;

namespace PgWire.Types;

/// <summary>
/// The 32-bit unsigned identifier types (xid, cid, regclass, regtype) as UInt32; also readable as Int64.
/// regclass and regtype travel as the bare OID in binary: the name is their text form (cast to text to get it).
/// Sent only when a parameter names the type: a uint otherwise goes as oid.
/// </summary>
internal sealed class UInt32IdCodec(uint oid, string dataTypeName) : PgTypeCodec<uint>(oid, dataTypeName), IPgReader<long>
{
    public override uint Read(ReadOnlySpan<byte> data, bool binary)
    {
        if (!binary)
            return uint.TryParse(data, NumberStyles.None, CultureInfo.InvariantCulture, out uint v)
                ? v
                : throw new PgConversionException(
                    $"The {DataTypeName} value '{System.Text.Encoding.UTF8.GetString(data)}' arrived as text and is not a number; read it as String.",
                    PgErrorCodes.InvalidTextRepresentation);
        if (data.Length != 4) throw Conversion.BadLength(DataTypeName, data.Length, 4);
        return BinaryPrimitives.ReadUInt32BigEndian(data);
    }

    long IPgReader<long>.Read(ReadOnlySpan<byte> data, bool binary) => Read(data, binary);

    public override int GetLength(uint value) => 4;

    public override void Write(uint value, Span<byte> destination) => BinaryPrimitives.WriteUInt32BigEndian(destination, value);

    protected override uint ConvertFrom(object value) =>
        value is uint u ? u : (uint)Conversion.ToInt64(value, uint.MinValue, uint.MaxValue, DataTypeName);
}
