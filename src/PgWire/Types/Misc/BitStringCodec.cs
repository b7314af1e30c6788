using System.Buffers.Binary;
using System.Collections;

namespace PgWire.Types;

/// <summary>
/// bit(n) and bit varying as BitArray; also readable as Boolean (a value of exactly one bit) and String ("0101").
/// The binary form is the bit count (int32) and the bits packed into bytes, the first bit in the most significant
/// bit of the first byte (bit_send in varbit.c). BitArray packs the other way round, so each byte is mirrored.
/// </summary>
internal sealed class BitStringCodec : PgTypeCodec<BitArray>, IPgReader<bool>, IPgReader<string>
{
    private BitStringCodec(uint oid, string dataTypeName) : base(oid, dataTypeName) { }

    public static BitStringCodec Bit() => new(MiscOids.Bit, "bit");

    public static BitStringCodec Varbit() => new(MiscOids.Varbit, "bit varying");

    public override BitArray Read(ReadOnlySpan<byte> data, bool binary)
    {
        if (!binary)
        {
            var fromText = new BitArray(data.Length);
            for (int i = 0; i < data.Length; i++)
                fromText[i] = data[i] switch { (byte)'1' => true, (byte)'0' => false, _ => throw Conversion.BadText(DataTypeName, data) };
            return fromText;
        }
        int length = BitLength(data);
        byte[] bytes = new byte[(length + 7) / 8];
        for (int i = 0; i < bytes.Length; i++)
            bytes[i] = Mirror(data[4 + i]);
        return new BitArray(bytes) { Length = length };
    }

    bool IPgReader<bool>.Read(ReadOnlySpan<byte> data, bool binary)
    {
        int length = binary ? BitLength(data) : data.Length;
        if (length != 1)
            throw new PgConversionException(
                $"The {DataTypeName} value has {length} bits; only a single bit reads as Boolean. Read it as BitArray.",
                PgErrorCodes.DatatypeMismatch);
        return binary ? (data[4] & 0x80) != 0 : data[0] == '1';
    }

    string IPgReader<string>.Read(ReadOnlySpan<byte> data, bool binary)
    {
        if (!binary) return System.Text.Encoding.ASCII.GetString(data);
        int length = BitLength(data);
        return string.Create(length, data[4..].ToArray(), static (chars, bytes) =>
        {
            for (int i = 0; i < chars.Length; i++)
                chars[i] = (bytes[i / 8] & (0x80 >> (i % 8))) != 0 ? '1' : '0';
        });
    }

    private int BitLength(ReadOnlySpan<byte> data)
    {
        if (data.Length < 4) throw Conversion.BadLength(DataTypeName, data.Length, 4);
        int length = BinaryPrimitives.ReadInt32BigEndian(data);
        if (length < 0 || data.Length != 4 + (length + 7) / 8)
            throw Conversion.BadLength(DataTypeName, data.Length, 4 + (Math.Max(length, 0) + 7) / 8);
        return length;
    }

    /// <summary>Reverses the bit order of a byte.</summary>
    private static byte Mirror(byte b) => (byte)((b * 0x0202020202UL & 0x010884422010UL) % 1023);

    // Parameters.

    public override int GetLength(BitArray value) => 4 + (value.Length + 7) / 8;

    public override void Write(BitArray value, Span<byte> destination)
    {
        BinaryPrimitives.WriteInt32BigEndian(destination, value.Length);
        var bits = destination[4..];
        bits.Clear();
        for (int i = 0; i < value.Length; i++)
            if (value[i]) bits[i / 8] |= (byte)(0x80 >> (i % 8));
    }

    protected override BitArray ConvertFrom(object value) => value switch
    {
        BitArray b => b,
        // bool is sent as bit only when the parameter names PgDbType.Bit (or Varbit): inference keeps it boolean.
        bool b => new BitArray(1, b),
        string s when s.All(c => c is '0' or '1') => new BitArray(s.Select(c => c == '1').ToArray()),
        _ => throw Conversion.CannotWrite(value, DataTypeName),
    };
}
