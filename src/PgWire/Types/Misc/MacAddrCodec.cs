using System.Globalization;
using System.Net.NetworkInformation;

namespace PgWire.Types;

/// <summary>
/// macaddr (6 bytes) and macaddr8 (8 bytes, EUI-64) as PhysicalAddress; the binary form is the bytes themselves.
/// A 6-byte address sent as macaddr8 gets FF:FE inserted in the middle, as PostgreSQL's own macaddr-to-macaddr8 cast does.
/// </summary>
internal sealed class MacAddrCodec : PgTypeCodec<PhysicalAddress>, IPgReader<string>
{
    private readonly int _length;

    private MacAddrCodec(uint oid, string dataTypeName, int length) : base(oid, dataTypeName) => _length = length;

    public static MacAddrCodec MacAddr() => new(MiscOids.MacAddr, "macaddr", 6);

    public static MacAddrCodec MacAddr8() => new(MiscOids.MacAddr8, "macaddr8", 8);

    public override PhysicalAddress Read(ReadOnlySpan<byte> data, bool binary)
    {
        if (!binary)
        {
            // The server's output is hex pairs separated by colons (PhysicalAddress.TryParse refuses eight of them).
            var bytes = new byte[_length];
            int count = 0, pos = 0;
            while (count < _length)
            {
                if (pos + 2 > data.Length || !byte.TryParse(data.Slice(pos, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[count]))
                    throw Conversion.BadText(DataTypeName, data);
                count++;
                pos += 2;
                if (pos < data.Length && data[pos] is (byte)':' or (byte)'-') pos++;
            }
            return count == _length && pos == data.Length ? new PhysicalAddress(bytes) : throw Conversion.BadText(DataTypeName, data);
        }
        if (data.Length != _length) throw Conversion.BadLength(DataTypeName, data.Length, _length);
        return new PhysicalAddress(data.ToArray());
    }

    /// <summary>The server's text form: lower-case hex pairs separated by colons.</summary>
    string IPgReader<string>.Read(ReadOnlySpan<byte> data, bool binary)
    {
        if (!binary) return System.Text.Encoding.ASCII.GetString(data);
        if (data.Length != _length) throw Conversion.BadLength(DataTypeName, data.Length, _length);
        var text = new System.Text.StringBuilder(3 * _length);
        foreach (byte b in data)
            text.Append(text.Length == 0 ? "" : ":").Append(b.ToString("x2", CultureInfo.InvariantCulture));
        return text.ToString();
    }

    public override int GetLength(PhysicalAddress value)
    {
        Bytes(value);
        return _length;
    }

    public override void Write(PhysicalAddress value, Span<byte> destination) => Bytes(value).CopyTo(destination);

    private byte[] Bytes(PhysicalAddress value)
    {
        byte[] bytes = value.GetAddressBytes();
        if (bytes.Length == _length) return bytes;
        if (_length == 8 && bytes.Length == 6)
            return [bytes[0], bytes[1], bytes[2], 0xFF, 0xFE, bytes[3], bytes[4], bytes[5]];
        throw new PgConversionException(
            $"A PhysicalAddress of {bytes.Length} bytes cannot be sent as {DataTypeName}, which holds {_length}" +
            (_length == 6 ? " (an 8-byte EUI-64 address goes as macaddr8)." : " (or 6, widened with FF:FE)."),
            PgErrorCodes.DatatypeMismatch);
    }

    protected override PhysicalAddress ConvertFrom(object value) => value switch
    {
        PhysicalAddress p => p,
        // Only reached when the parameter names the type: a plain string is otherwise sent untyped.
        string s when PhysicalAddress.TryParse(s, out var parsed) => parsed,
        _ => throw Conversion.CannotWrite(value, DataTypeName),
    };
}
