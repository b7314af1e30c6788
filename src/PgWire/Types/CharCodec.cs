namespace PgWire.Types;

/// <summary>"char" (the one-byte internal type, not char(n)) as Char; also readable as String and Byte.</summary>
internal sealed class CharCodec() : PgTypeCodec<char>(PgOids.Char, "\"char\""), IPgReader<string>, IPgReader<byte>
{
    public override char Read(ReadOnlySpan<byte> data, bool binary) => data.Length switch
    {
        0 => '\0',
        1 => (char)data[0],
        // In text format a byte >= 128 arrives as a backslash and three octal digits.
        4 when !binary && data[0] == '\\' => (char)((data[1] - '0') * 64 + (data[2] - '0') * 8 + (data[3] - '0')),
        _ => throw Conversion.BadLength(DataTypeName, data.Length, 1),
    };

    string IPgReader<string>.Read(ReadOnlySpan<byte> data, bool binary)
    {
        char c = Read(data, binary);
        return c == '\0' ? "" : c.ToString();
    }

    byte IPgReader<byte>.Read(ReadOnlySpan<byte> data, bool binary) => (byte)Read(data, binary);

    public override int GetLength(char value) => value <= 0xFF ? 1 : throw Conversion.OutOfRange(value, DataTypeName);

    public override void Write(char value, Span<byte> destination) => destination[0] = (byte)value;

    protected override char ConvertFrom(object value)
    {
        char c = value switch
        {
            char ch => ch,
            byte b => (char)b,
            string { Length: 1 } s => s[0],
            string { Length: 0 } => '\0',
            _ => throw Conversion.CannotWrite(value, DataTypeName),
        };
        return c <= 0xFF ? c : throw Conversion.OutOfRange(value, DataTypeName);
    }
}
