using System.Buffers.Binary;
using System.Globalization;

namespace PgWire.Types;

/// <summary>
/// money as Decimal. The binary form is an int64 count of the currency's smallest unit (cash_send in cash.c);
/// PgWire takes it as hundredths, the fraction digits of lc_monetary's default C locale (and of most currencies).
/// Under a locale with another number of fraction digits, read money::numeric instead. A parameter with more than
/// two fraction digits is refused, not rounded.
/// </summary>
internal sealed class MoneyCodec() : PgTypeCodec<decimal>(MiscOids.Money, "money"), IPgReader<string>
{
    private const int FractionDigits = 2;

    public override decimal Read(ReadOnlySpan<byte> data, bool binary)
    {
        if (!binary) return ParseText(data);
        if (data.Length != 8) throw Conversion.BadLength(DataTypeName, data.Length, 8);
        return new decimal(BinaryPrimitives.ReadInt64BigEndian(data)) / 100m;
    }

    /// <summary>The amount in invariant notation ("-1234.56"), not the locale's currency format.</summary>
    string IPgReader<string>.Read(ReadOnlySpan<byte> data, bool binary) => Read(data, binary).ToString("F2", CultureInfo.InvariantCulture);

    // Text only arrives when binary was not asked for; cash_out in the C locale prints "-$1,234.56".
    private decimal ParseText(ReadOnlySpan<byte> data)
    {
        string text = System.Text.Encoding.UTF8.GetString(data).Replace("$", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal);
        bool negative = text.StartsWith('(') && text.EndsWith(')');
        if (negative) text = text[1..^1];
        return decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal v)
            ? negative ? -v : v
            : throw Conversion.BadText(DataTypeName, data);
    }

    public override int GetLength(decimal value)
    {
        ToCents(value);
        return 8;
    }

    public override void Write(decimal value, Span<byte> destination) => BinaryPrimitives.WriteInt64BigEndian(destination, ToCents(value));

    private long ToCents(decimal value)
    {
        decimal cents;
        try
        {
            cents = value * 100m;
        }
        catch (OverflowException)
        {
            throw Conversion.OutOfRange(value, DataTypeName);
        }
        if (decimal.Truncate(cents) != cents)
            throw new PgConversionException(
                $"The value {value.ToString(CultureInfo.InvariantCulture)} has more than {FractionDigits} fraction digits, which money cannot hold; " +
                "round it first (PgWire does not round silently).", PgErrorCodes.NumericValueOutOfRange)
            {
                MessageWithoutValue = $"The Decimal value has more than {FractionDigits} fraction digits, which money cannot hold; " +
                                      "round it first (PgWire does not round silently).",
            };
        if (cents < long.MinValue || cents > long.MaxValue) throw Conversion.OutOfRange(value, DataTypeName);
        return (long)cents;
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
        // Binary floating point has no exact cents: refuse double and float rather than guess.
        _ => throw Conversion.CannotWrite(value, DataTypeName),
    };
}
