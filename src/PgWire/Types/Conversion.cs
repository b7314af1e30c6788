using System.Globalization;

namespace PgWire.Types;

/// <summary>Checked conversions between .NET numeric types and the errors codecs raise.</summary>
internal static class Conversion
{
    public static PgConversionException CannotWrite(object value, string dataTypeName) =>
        new($"A parameter value of .NET type {value.GetType().Name} cannot be sent as PostgreSQL type {dataTypeName}.",
            PgErrorCodes.DatatypeMismatch);

    public static PgConversionException OutOfRange(object value, string dataTypeName) =>
        new($"The value {Convert.ToString(value, CultureInfo.InvariantCulture)} does not fit PostgreSQL type {dataTypeName}.",
            PgErrorCodes.NumericValueOutOfRange)
        {
            MessageWithoutValue = $"The {value.GetType().Name} value does not fit PostgreSQL type {dataTypeName}.",
        };

    public static InvalidCastException CannotRead(string dataTypeName, Type target) =>
        new($"A PostgreSQL {dataTypeName} value cannot be read as {target.Name}.");

    public static PgProtocolException BadLength(string dataTypeName, int actual, int expected) =>
        new($"The server sent {actual} byte(s) for a binary {dataTypeName} value, which takes {expected}; the connection was closed.");

    public static PgProtocolException BadText(string dataTypeName, ReadOnlySpan<byte> text) =>
        new($"The server sent a text {dataTypeName} value PgWire cannot parse: '{System.Text.Encoding.UTF8.GetString(text)}'.");

    /// <summary>An integral value from any .NET numeric type, refusing fractions and values out of range.</summary>
    public static long ToInt64(object value, long min, long max, string dataTypeName)
    {
        long result;
        try
        {
            result = value switch
            {
                int i => i,
                long l => l,
                short s => s,
                byte b => b,
                sbyte sb => sb,
                ushort us => us,
                uint ui => ui,
                ulong ul => checked((long)ul),
                decimal d when decimal.Truncate(d) == d => decimal.ToInt64(d),
                double db when Math.Floor(db) == db && db >= long.MinValue && db < 9.2233720368547758E18 => (long)db,
                float f when MathF.Floor(f) == f && f >= long.MinValue && f < 9.2233720368547758E18f => (long)f,
                bool => throw CannotWrite(value, dataTypeName),
                Enum => throw CannotWrite(value, dataTypeName),
                IConvertible => throw CannotWrite(value, dataTypeName),
                _ => throw CannotWrite(value, dataTypeName),
            };
        }
        catch (OverflowException)
        {
            throw OutOfRange(value, dataTypeName);
        }
        if (value is decimal or double or float && result == 0 && !IsZero(value))
            throw OutOfRange(value, dataTypeName);
        if (result < min || result > max)
            throw OutOfRange(value, dataTypeName);
        return result;
    }

    private static bool IsZero(object value) => value switch
    {
        decimal d => d == 0,
        double d => d == 0,
        float f => f == 0,
        _ => true,
    };

    public static double ToDouble(object value, string dataTypeName) => value switch
    {
        double d => d,
        float f => f,
        int i => i,
        long l => l,
        short s => s,
        byte b => b,
        sbyte sb => sb,
        ushort us => us,
        uint ui => ui,
        decimal d => (double)d,
        _ => throw CannotWrite(value, dataTypeName),
    };

    /// <summary>A narrowing read: the column's value must fit the requested type.</summary>
    public static int CheckedInt32(long value, string dataTypeName) =>
        value is >= int.MinValue and <= int.MaxValue
            ? (int)value
            : throw new PgConversionException($"The {dataTypeName} value {value} does not fit Int32; read it as Int64.",
                PgErrorCodes.NumericValueOutOfRange);

    public static short CheckedInt16(long value, string dataTypeName) =>
        value is >= short.MinValue and <= short.MaxValue
            ? (short)value
            : throw new PgConversionException($"The {dataTypeName} value {value} does not fit Int16; read it as Int32 or Int64.",
                PgErrorCodes.NumericValueOutOfRange);

    public static byte CheckedByte(long value, string dataTypeName) =>
        value is >= byte.MinValue and <= byte.MaxValue
            ? (byte)value
            : throw new PgConversionException($"The {dataTypeName} value {value} does not fit Byte; read it as Int16 or wider.",
                PgErrorCodes.NumericValueOutOfRange);

    public static long ParseInt64Text(ReadOnlySpan<byte> text, string dataTypeName) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) ? v : throw BadText(dataTypeName, text);
}
