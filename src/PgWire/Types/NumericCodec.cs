using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;

namespace PgWire.Types;

/// <summary>
/// numeric as Decimal; also readable as String (exact, any size), BigInteger (whole numbers of any size), Double
/// (NaN and ±Infinity included), Int64, UInt64 and Int32.
/// The binary form is base-10000 digits with a weight and a display scale (src/backend/utils/adt/numeric.c).
/// A value the requested type cannot hold exactly is refused, never rounded.
/// Parameters: decimal, the integer types and BigInteger; double and float only when the parameter names numeric
/// (inference sends them as float8), NaN and ±Infinity included (PostgreSQL 14+ for the infinities).
/// </summary>
internal sealed class NumericCodec() : PgTypeCodec<decimal>(PgOids.Numeric, "numeric"),
    IPgReader<string>, IPgReader<double>, IPgReader<long>, IPgReader<ulong>, IPgReader<int>, IPgReader<BigInteger>
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

        int exponent0 = 4 * (header.Weight - header.NDigits + 1);
        int shift0 = exponent0 + header.DScale;
        if (header.NDigits <= 4 && shift0 >= 0 && shift0 <= 19 && header.DScale <= MaxDecimalScale)
        {
            // The common case (up to 16 significant digits): 64-bit digits and one 128-bit multiply, no division.
            ulong small = 0;
            for (int i = 0; i < header.NDigits; i++) small = small * 10000 + Digit(data, i);
            ulong high = Math.BigMul(small, Pow10Ulong[shift0], out ulong low);
            if (high <= uint.MaxValue)
                return new decimal((int)(uint)low, (int)(uint)(low >> 32), (int)(uint)high,
                    header.Sign == SignNegative, (byte)header.DScale);
        }

        // The digits as one integer D, so that value = D * 10^exponent.
        UInt128 d = 0;
        for (int i = 0; i < header.NDigits; i++)
        {
            if (d > MaxBeforeGroup) throw NotADecimal(ToText(data));
            d = d * 10000 + Digit(data, i);
        }
        int exponent = 4 * (header.Weight - header.NDigits + 1);
        int scale = header.DScale;
        int shift = exponent + scale;
        UInt128 mantissa;
        if (shift >= 0)
        {
            if (shift > 38 || d > UInt128.MaxValue / Pow10Table[shift]) throw NotADecimal(ToText(data));
            mantissa = d * Pow10Table[shift];
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
            _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture) is var d && double.IsFinite(d)
                ? d
                // double.Parse turns a finite value past 1.8e308 into infinity: refuse it rather than change its meaning.
                : throw DoesNotFit(text, nameof(Double), "String or BigInteger"),
        };
    }

    long IPgReader<long>.Read(ReadOnlySpan<byte> data, bool binary) =>
        (long)ReadWhole(data, binary, long.MinValue, long.MaxValue, nameof(Int64), "Decimal or BigInteger");

    ulong IPgReader<ulong>.Read(ReadOnlySpan<byte> data, bool binary) =>
        (ulong)ReadWhole(data, binary, ulong.MinValue, ulong.MaxValue, nameof(UInt64), "Decimal or BigInteger");

    int IPgReader<int>.Read(ReadOnlySpan<byte> data, bool binary) =>
        (int)ReadWhole(data, binary, int.MinValue, int.MaxValue, nameof(Int32), "Int64, Decimal or BigInteger");

    /// <summary>
    /// A whole number within [min, max], straight from the base-10000 digits (no allocation); a fraction, NaN, an
    /// infinity or a value out of range is refused with the types that can hold it.
    /// </summary>
    private Int128 ReadWhole(ReadOnlySpan<byte> data, bool binary, Int128 min, Int128 max, string target, string wider)
    {
        if (!binary)
        {
            var whole = ReadBigInteger(data, binary, target);
            return whole >= min && whole <= max ? (Int128)whole : throw DoesNotFit(System.Text.Encoding.UTF8.GetString(data), target, wider);
        }
        var h = ReadHeader(data);
        if (h.Sign is not (SignPositive or SignNegative)) throw NotWhole(SpecialName(h.Sign), target, "Double or String");
        Int128 magnitude = 0;
        bool overflow = false;
        for (int i = 0; i < h.NDigits; i++)
        {
            ushort digit = Digit(data, i);
            if (h.Weight - i < 0)
            {
                if (digit != 0) throw NotWhole(ToText(data), target, "Decimal, Double or String");
                continue;
            }
            overflow |= !TryAppendGroup(ref magnitude, digit);
        }
        // Trailing zero groups of the integer part are not sent.
        for (int g = h.NDigits; g <= h.Weight && !overflow; g++)
            overflow |= !TryAppendGroup(ref magnitude, 0);
        if (overflow) throw DoesNotFit(ToText(data), target, wider);
        var value = h.Sign == SignNegative ? -magnitude : magnitude;
        return value >= min && value <= max ? value : throw DoesNotFit(ToText(data), target, wider);
    }

    private static bool TryAppendGroup(ref Int128 magnitude, ushort digit)
    {
        // 2^100 comfortably exceeds every target (UInt64 is the widest) and leaves room for the multiplication.
        if (magnitude > (Int128.One << 100)) return false;
        magnitude = magnitude * 10000 + digit;
        return true;
    }

    BigInteger IPgReader<BigInteger>.Read(ReadOnlySpan<byte> data, bool binary) => ReadBigInteger(data, binary, nameof(BigInteger));

    private BigInteger ReadBigInteger(ReadOnlySpan<byte> data, bool binary, string target)
    {
        if (!binary)
        {
            string text = System.Text.Encoding.UTF8.GetString(data);
            int point = text.IndexOf('.');
            if (point >= 0 && text.AsSpan(point + 1).ContainsAnyExcept('0'))
                throw NotWhole(text, target, "Decimal, Double or String");
            return BigInteger.TryParse(point >= 0 ? text.AsSpan(0, point) : text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed)
                ? parsed : throw NotWhole(text, target, "Double or String");
        }
        var h = ReadHeader(data);
        if (h.Sign is not (SignPositive or SignNegative)) throw NotWhole(SpecialName(h.Sign), target, "Double or String");
        for (int i = Math.Max(h.Weight + 1, 0); i < h.NDigits; i++)
            if (Digit(data, i) != 0) throw NotWhole(ToText(data), target, "Decimal, Double or String");
        if (h.Weight < 0) return BigInteger.Zero;

        // The integer part's decimal digits, then one parse: BigInteger parses long inputs faster than
        // multiply-and-add per group.
        int groups = h.Weight + 1;
        char[] digits = new char[1 + 4 * groups];
        int n = 0;
        if (h.Sign == SignNegative) digits[n++] = '-';
        for (int g = 0; g < groups; g++)
        {
            int digit = g < h.NDigits ? Digit(data, g) : 0;
            digits[n++] = (char)('0' + digit / 1000);
            digits[n++] = (char)('0' + digit / 100 % 10);
            digits[n++] = (char)('0' + digit / 10 % 10);
            digits[n++] = (char)('0' + digit % 10);
        }
        return BigInteger.Parse(digits.AsSpan(0, n), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
    }

    private static PgConversionException NotWhole(string value, string target, string instead) =>
        new($"The numeric value {Abbreviate(value)} is not a whole number, which {target} cannot hold; read it as {instead}.",
            PgErrorCodes.NumericValueOutOfRange);

    private static PgConversionException DoesNotFit(string value, string target, string instead) =>
        new($"The numeric value {Abbreviate(value)} does not fit {target}; read it as {instead}.",
            PgErrorCodes.NumericValueOutOfRange);

    private static string Abbreviate(string value) => value.Length > 60 ? value[..60] + "..." : value;

    private static PgConversionException NotADecimal(string value) =>
        new($"The numeric value {Abbreviate(value)} does not fit .NET Decimal " +
            "(28 significant digits, no NaN or infinity) and was not rounded; read it as String (exact), " +
            "BigInteger (whole numbers) or Double.", PgErrorCodes.NumericValueOutOfRange);

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

    private static readonly UInt128 MaxBeforeGroup = UInt128.MaxValue / 10000;

    /// <summary>10^0 .. 10^19.</summary>
    private static readonly ulong[] Pow10Ulong = Enumerable.Range(0, 20).Select(n => (ulong)Pow10(n)).ToArray();

    /// <summary>10^0 .. 10^38.</summary>
    private static readonly UInt128[] Pow10Table = Enumerable.Range(0, 39).Select(Pow10).ToArray();

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

    // BigInteger and the non-finite doubles have no decimal form, so they are written before ConvertFrom is asked.

    public override int GetLength(object value) => value switch
    {
        BigInteger b => 8 + 2 * WholeGroups(b, out _),
        double d when !double.IsFinite(d) => 8,
        float f when !float.IsFinite(f) => 8,
        _ => base.GetLength(value),
    };

    public override void Write(object value, Span<byte> destination)
    {
        switch (value)
        {
            case BigInteger b:
                WriteWhole(b, destination);
                break;
            case double d when !double.IsFinite(d):
                WriteSpecial(double.IsNaN(d) ? SignNaN : d > 0 ? SignPositiveInfinity : SignNegativeInfinity, destination);
                break;
            case float f when !float.IsFinite(f):
                WriteSpecial(float.IsNaN(f) ? SignNaN : f > 0 ? SignPositiveInfinity : SignNegativeInfinity, destination);
                break;
            default:
                base.Write(value, destination);
                break;
        }
    }

    private static void WriteSpecial(ushort sign, Span<byte> destination)
    {
        destination[..8].Clear();
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], sign);
    }

    /// <summary>numeric's limit: 131,072 digits before the decimal point (a weight that fits int16).</summary>
    private const int MaxWholeGroups = short.MaxValue + 1;

    /// <summary>
    /// The base-10000 groups of a whole number without its trailing zero groups (numeric does not send them),
    /// from its decimal digits; <paramref name="digits"/> is the magnitude's text.
    /// </summary>
    private static int WholeGroups(BigInteger value, out string digits)
    {
        // A magnitude of 2^(n-1) or more has at least (n-1)·log10(2) digits: refuse the hopeless before formatting them.
        if ((BigInteger.Abs(value).GetBitLength() - 1) * 0.30103 >= 4 * MaxWholeGroups) throw TooManyDigits("more than 131,072");
        digits = BigInteger.Abs(value).ToString(CultureInfo.InvariantCulture);
        if (value.IsZero) return 0;
        int groups = (digits.Length + 3) / 4;
        if (groups > MaxWholeGroups) throw TooManyDigits(digits.Length.ToString("N0", CultureInfo.InvariantCulture));
        int last = digits.Length - 1;
        while (digits[last] == '0') last--;
        // Groups are counted from the left, where the first is padded to four digits.
        int lead = (4 - digits.Length % 4) % 4;
        return (last + lead) / 4 + 1;
    }

    private static PgConversionException TooManyDigits(string count) =>
        new($"A BigInteger of {count} digits does not fit PostgreSQL numeric (at most 131,072 digits before the point).",
            PgErrorCodes.NumericValueOutOfRange);

    private static void WriteWhole(BigInteger value, Span<byte> destination)
    {
        int count = WholeGroups(value, out string digits);
        int lead = (4 - digits.Length % 4) % 4;
        int weight = (digits.Length + lead) / 4 - 1;
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)count);
        BinaryPrimitives.WriteInt16BigEndian(destination[2..], (short)(count == 0 ? 0 : weight));
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], value.Sign < 0 ? SignNegative : SignPositive);
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], 0);
        for (int g = 0; g < count; g++)
        {
            int digit = 0;
            for (int k = 0; k < 4; k++)
            {
                int index = 4 * g + k - lead;
                digit = digit * 10 + (index >= 0 ? digits[index] - '0' : 0);
            }
            BinaryPrimitives.WriteInt16BigEndian(destination[(8 + 2 * g)..], (short)digit);
        }
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
