using System.Text;

namespace PgWire.Types;

/// <summary>
/// text, varchar, bpchar, name, unknown, and any type PgWire does not know: the value's text as String.
/// Binary and text format are the same bytes for these types.
/// </summary>
internal sealed class TextCodec(uint oid, string dataTypeName, bool binaryResults = true, short parameterFormat = 1)
    : PgTypeCodec<string>(oid, dataTypeName), IPgReader<char[]>, IPgReader<char>
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    public override bool BinaryResults { get; } = binaryResults;

    public override short ParameterFormat { get; } = parameterFormat;

    public override string Read(ReadOnlySpan<byte> data, bool binary) => Encoding.UTF8.GetString(data);

    char[] IPgReader<char[]>.Read(ReadOnlySpan<byte> data, bool binary) => Read(data, binary).ToCharArray();

    char IPgReader<char>.Read(ReadOnlySpan<byte> data, bool binary)
    {
        string s = Read(data, binary);
        return s.Length == 1 ? s[0] : throw new InvalidCastException($"A {DataTypeName} value of {s.Length} characters cannot be read as Char.");
    }

    public override int GetLength(string value)
    {
        try
        {
            return StrictUtf8.GetByteCount(value);
        }
        catch (EncoderFallbackException e)
        {
            throw new PgConversionException(
                "A string parameter holds an unpaired UTF-16 surrogate, which has no UTF-8 form; PostgreSQL cannot store it.",
                PgErrorCodes.CharacterNotInRepertoire, e);
        }
    }

    public override void Write(string value, Span<byte> destination) => StrictUtf8.GetBytes(value, destination);

    protected override string ConvertFrom(object value) => value switch
    {
        string s => s,
        char c => c.ToString(),
        char[] chars => new string(chars),
        ReadOnlyMemory<char> m => m.ToString(),
        _ => throw Conversion.CannotWrite(value, DataTypeName),
    };
}
