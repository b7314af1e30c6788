using System.Buffers.Binary;
using System.Globalization;

namespace PgWire.Types;

/// <summary>
/// numeric as Decimal; also readable as String (exact, any size), Double, Int64 and Int32.
/// The binary form is base-10000 digits with a weight and a display scale (src/backend/utils/adt/numeric.c).
/// A value Decimal cannot hold exactly is refused, never rounded.
/// </summary>
internal sealed class NumericCodec() : PgTypeCodec<decimal>(PgOids.Numeric, "numeric"),
    IPgReader<string>, IPgReader<double>, IPgReader<long>, IPgReader<int>
{
    private const ushort SignPositive = 0x0000;
    private const ushort SignNegative = 0x4000;
    private const ushort SignNaN = 0xC000;
    private const ushort SignPositiveInfinity = 0xD000;
    private const ushort SignNegativeInfinity = 0xF000;
    private const int MaxDecimalScale = 28;
    private static readonly UInt128 DecimalMax = (UInt128.One << 96) - 1;

    public override decimal Read(ReadOnlySpan<byte> data, bool binary)
    {
        if (!binary)
        {
            return decimal.TryParse(data, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal parsed)
                ? parsed : throw NotADecimal(System.Text.Encoding.UTF8.GetString(data));
        }
        var header = ReadHeader(data);
        if (header.Sign is not (SignPositive or SignNegative))
            throw NotADecimal(SpecialName(header.Sign));
        if (header.NDigits == 0)
            return new decimal(0, 0, 0, false, (byte)Math.Min(header.DScale, (ushort)MaxDecimalScale));

        // The digits as one integer D, so that value = D * 10^exponent.
        UInt128 d = 0;
        for (int i = 0; i < header.NDigits; i++)
        {
            if (d > UInt128.MaxValue / 10000) throw NotADecimal(ToText(data));
            d = d * 10000 + Digit(data, i);
        }
        int exponent = 4 * (header.Weight - header.NDigits + 1);
        int scale = header.DScale;
        int shift = exponent + scale;
        UInt128 mantissa;
        if (shift >= 0)
        {
            if (shift > 38 || d > UInt128.MaxValue / Pow10(shift)) throw NotADecimal(ToText(data));
            mantissa = d * Pow10(shift);
        }
        else
        {
            // Digits past the display scale are zero padding of the last base-10000 group.
            if (-shift > 38) throw NotADecimal(ToText(data));
            var divisor = Pow10(-shift);
            if (d % divisor != 0) throw NotADecimal(ToText(data));
            mantissa = d / divisor;
        }
        while (scale > MaxDecimalScale)
        {
            if (mantissa % 10 != 0) throw NotADecimal(ToText(data));
            mantissa /= 10;
            scale--;
        }
        if (mantissa > DecimalMax) throw NotADecimal(ToText(data));
        return new decimal((int)(uint)mantissa, (int)(uint)(mantissa >> 32), (int)(uint)(mantissa >> 64),
            header.Sign == SignNegative, (byte)scale);
    }

    string IPgReader<string>.Read(ReadOnlySpan<byte> data, bool binary) =>
        binary ? ToText(data) : System.Text.Encoding.UTF8.GetString(data);

    double IPgReader<double>.Read(ReadOnlySpan<byte> data, bool binary)
    {
        string text = ((IPgReader<string>)this).Read(data, binary);
        return text switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
    }

    long IPgReader<long>.Read(ReadOnlySpan<byte> data, bool binary)
    {
        decimal d = Read(data, binary);
        if (decimal.Truncate(d) != d || d < long.MinValue || d > long.MaxValue)
            throw new PgConversionException($"The numeric value {d} is not an Int64; read it as Decimal or String.", PgErrorCodes.NumericValueOutOfRange);
        return (long)d;
    }

    int IPgReader<int>.Read(ReadOnlySpan<byte> data, bool binary) =>
        Conversion.CheckedInt32(((IPgReader<long>)this).Read(data, binary), DataTypeName);

    private static PgConversionException NotADecimal(string value) =>
        new($"The numeric value {(value.Length > 60 ? value[..60] + "..." : value)} does not fit .NET Decimal " +
            "(28 significant digits, no NaN or infinity) and was not rounded; read it as String (GetFieldValue<string>) " +
            "or as Double.", PgErrorCodes.NumericValueOutOfRange);

    private static string SpecialName(ushort sign) => sign switch
    {
        SignNaN => "NaN",
        SignPositiveInfinity => "Infinity",
        SignNegativeInfinity => "-Infinity",
        _ => $"with sign 0x{sign:X4}",
    };

    private readonly record struct Header(ushort NDigits, short Weight, ushort Sign, ushort DScale);

    private Header ReadHeader(ReadOnlySpan<byte> data)
    {
        if (data.Length < 8) throw Conversion.BadLength(DataTypeName, data.Length, 8);
        var header = new Header(BinaryPrimitives.ReadUInt16BigEndian(data), BinaryPrimitives.ReadInt16BigEndian(data[2..]),
            BinaryPrimitives.ReadUInt16BigEndian(data[4..]), BinaryPrimitives.ReadUInt16BigEndian(data[6..]));
        if (data.Length != 8 + 2 * header.NDigits) throw Conversion.BadLength(DataTypeName, data.Length, 8 + 2 * header.NDigits);
        if (header.Sign is not (SignPositive or SignNegative or SignNaN or SignPositiveInfinity or SignNegativeInfinity))
            throw new PgProtocolException($"The server sent a numeric value with an unknown sign word 0x{header.Sign:X4}.");
        return header;
    }

    private ushort Digit(ReadOnlySpan<byte> data, int index)
    {
        ushort digit = BinaryPrimitives.ReadUInt16BigEndian(data[(8 + 2 * index)..]);
        return digit < 10000 ? digit : throw new PgProtocolException($"The server sent a numeric digit {digit} outside base 10000.");
    }

    private static UInt128 Pow10(int n)
    {
        UInt128 result = 1;
        for (int i = 0; i < n; i++) result *= 10;
        return result;
    }

    /// <summary>The exact text of a binary numeric, as the server's numeric_out would print it.</summary>
    internal string ToText(ReadOnlySpan<byte> data)
    {
        var h = ReadHeader(data);
        if (h.Sign is not (SignPositive or SignNegative)) return SpecialName(h.Sign);
        var sb = new System.Text.StringBuilder();
        if (h.Sign == SignNegative && h.NDigits > 0) sb.Append('-');
        if (h.Weight < 0 || h.NDigits == 0)
        {
            sb.Append('0');
        }
        else
        {
            for (int g = 0; g <= h.Weight; g++)
            {
                int digit = g < h.NDigits ? Digit(data, g) : 0;
                sb.Append(g == 0 ? digit.ToString(CultureInfo.InvariantCulture) : digit.ToString("D4", CultureInfo.InvariantCulture));
            }
        }
        if (h.DScale > 0)
        {
            sb.Append('.');
            for (int k = 0; k < h.DScale; k++)
            {
                int g = h.Weight + 1 + k / 4;
                int digit = g >= 0 && g < h.NDigits ? Digit(data, g) : 0;
                int place = 3 - k % 4;
                sb.Append((char)('0' + digit / (int)Math.Pow(10, place) % 10));
            }
        }
        return sb.ToString();
    }

    public override int GetLength(decimal value)
    {
        Span<short> groups = stackalloc short[MaxGroups];
        return 8 + 2 * ToGroups(value, groups, out _, out _, out _, out _);
    }

    public override void Write(decimal value, Span<byte> destination)
    {
        Span<short> groups = stackalloc short[MaxGroups];
        int count = ToGroups(value, groups, out int first, out short weight, out bool negative, out int scale);
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)count);
        BinaryPrimitives.WriteInt16BigEndian(destination[2..], weight);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], negative ? SignNegative : SignPositive);
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], (ushort)scale);
        // groups[] holds the least significant group first.
        for (int i = 0; i < count; i++)
            BinaryPrimitives.WriteInt16BigEndian(destination[(8 + 2 * i)..], groups[first + count - 1 - i]);
    }

    private const int MaxGroups = 12;

    /// <summary>Splits a decimal into base-10000 groups (least significant first), without trailing zero groups.</summary>
    private static int ToGroups(decimal value, Span<short> groups, out int first, out short weight, out bool negative, out int scale)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        UInt128 mantissa = (uint)bits[0] | ((UInt128)(uint)bits[1] << 32) | ((UInt128)(uint)bits[2] << 64);
        scale = (bits[3] >> 16) & 0xFF;
        negative = bits[3] < 0 && mantissa != 0;
        first = 0;
        weight = 0;
        if (mantissa == 0) return 0;

        // Pad the fraction to whole groups of four digits.
        int pad = (4 - scale % 4) % 4;
        mantissa *= Pow10(pad);
        int fractionGroups = (scale + pad) / 4;
        int n = 0;
        while (mantissa != 0)
        {
            groups[n++] = (short)(ushort)(mantissa % 10000);
            mantissa /= 10000;
        }
        weight = (short)(n - fractionGroups - 1);
        while (groups[first] == 0) first++;
        return n - first;
    }

    protected override decimal ConvertFrom(object value) => value switch
    {
        decimal d => d,
        int i => i,
        long l => l,
        short s => s,
        byte b => b,
        sbyte sb => sb,
        ushort us => us,
        uint ui => ui,
        ulong ul => ul,
        double db when double.IsFinite(db) => DoubleToDecimal(value, db),
        float f when float.IsFinite(f) => DoubleToDecimal(value, f),
        _ => throw Conversion.CannotWrite(value, DataTypeName),
    };

    private decimal DoubleToDecimal(object original, double value)
    {
        try
        {
            return (decimal)value;
        }
        catch (OverflowException)
        {
            throw Conversion.OutOfRange(original, DataTypeName);
        }
    }
}
