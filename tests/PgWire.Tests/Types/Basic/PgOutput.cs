using System.Globalization;
using System.Text;

namespace PgWire.Tests.Types.Basic;

/// <summary>
/// The text PostgreSQL prints for values of the basic and per-database types, computed here from the rules of the
/// server's output functions and casts, so a property test compares the server against something PgWire did not produce.
/// </summary>
internal static class PgOutput
{
    /// <summary>int2out, int4out, int8out, oidout: plain decimal digits with a leading "-".</summary>
    public static string Integer<T>(T value) where T : IFormattable => value.ToString(null, CultureInfo.InvariantCulture);

    /// <summary>The cast bool::text (booltext) spells the words out; boolout, inside a record, prints t or f.</summary>
    public static string BoolText(bool value) => value ? "true" : "false";

    public static string BoolOut(bool value) => value ? "t" : "f";

    /// <summary>
    /// A double as .NET prints it round-trip ("R"). float8out prints the same shortest digits that read back exactly, but
    /// in its own notation (1e+20 against 1E+20), so the server's text is compared through <see cref="Float8Canonical"/>.
    /// "R" keeps -0 apart from 0, and prints any NaN as NaN, as float8out does.
    /// </summary>
    public static string Float8(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The server's float8 text, read back as the double it denotes and printed as <see cref="Float8"/>.</summary>
    public static string Float8Canonical(string serverText) => Float8(double.Parse(serverText, NumberStyles.Float, CultureInfo.InvariantCulture));

    public static string Float4(float value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Float4Canonical(string serverText) => Float4(float.Parse(serverText, NumberStyles.Float, CultureInfo.InvariantCulture));

    /// <summary>
    /// numeric_out: the digits with as many fraction digits as the value's display scale, which a decimal's scale becomes.
    /// Neither numeric nor .NET's decimal formatting has a negative zero.
    /// </summary>
    public static string Numeric(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>byteaout with bytea_output = hex: "\x" and two lower-case hex digits a byte.</summary>
    public static string Bytea(byte[] bytes) => "\\x" + Convert.ToHexStringLower(bytes);

    /// <summary>
    /// The cast "char"::text (char_text, PostgreSQL 15+): a byte with the high bit set as a backslash and three octal
    /// digits, NUL as the empty string, any other byte as itself.
    /// </summary>
    public static string InternalChar(char value) => value switch
    {
        '\0' => "",
        < (char)128 => value.ToString(),
        _ => "\\" + Convert.ToString(value, 8).PadLeft(3, '0'),
    };

    /// <summary>The longest prefix of whole characters that fits <paramref name="maxBytes"/> bytes of UTF-8 (pg_mbcliplen).</summary>
    public static string ClipBytes(string value, int maxBytes)
    {
        var sb = new StringBuilder();
        int bytes = 0;
        foreach (var rune in value.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > maxBytes) break;
            bytes += rune.Utf8SequenceLength;
            sb.Append(rune.ToString());
        }
        return sb.ToString();
    }

    /// <summary>namein: a name longer than NAMEDATALEN - 1 = 63 bytes is cut at a character boundary.</summary>
    public static string Name(string value) => ClipBytes(value, 63);

    /// <summary>The first <paramref name="length"/> characters (code points, not UTF-16 units), as char(n) keeps them.</summary>
    public static string ClipCharacters(string value, int length) => string.Concat(value.EnumerateRunes().Take(length).Select(r => r.ToString()));

    /// <summary>
    /// A cast to char(n) cuts the value to n characters and pads it with spaces; the cast on to text (rtrim1) takes off
    /// every trailing space, the padding and the value's own.
    /// </summary>
    public static string CharNAsText(string value, int length) => ClipCharacters(value, length).TrimEnd(' ');

    /// <summary>
    /// record_out: the fields' texts between parentheses, separated by commas; NULL as nothing; a field that is empty or
    /// holds a double quote, backslash, parenthesis, comma or white space is double-quoted, with " and \ doubled inside.
    /// </summary>
    public static string Record(params string?[] fields)
    {
        var sb = new StringBuilder("(");
        for (int i = 0; i < fields.Length; i++)
        {
            if (i > 0) sb.Append(',');
            if (fields[i] is not { } field) continue;
            bool quote = field.Length == 0 || field.Any(c => c is '"' or '\\' or '(' or ')' or ',' or ' ' or '\t' or '\n' or '\r' or '\v' or '\f');
            if (quote) sb.Append('"');
            foreach (char c in field)
            {
                if (c is '"' or '\\') sb.Append(c);
                sb.Append(c);
            }
            if (quote) sb.Append('"');
        }
        return sb.Append(')').ToString();
    }

    /// <summary>
    /// hstore_out: pairs in the order hstore keeps them (shorter key first, then by the key's bytes), each
    /// <c>"key"=&gt;"value"</c> with " and \ escaped by a backslash, NULL unquoted, separated by ", ".
    /// </summary>
    public static string Hstore(IReadOnlyDictionary<string, string?> pairs)
    {
        static string Quoted(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
        var ordered = pairs.Select(p => (Key: Encoding.UTF8.GetBytes(p.Key), Pair: p))
            .OrderBy(p => p.Key.Length)
            .ThenBy(p => p.Key, Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b)));
        return string.Join(", ", ordered.Select(p => Quoted(p.Pair.Key) + "=>" + (p.Pair.Value is { } v ? Quoted(v) : "NULL")));
    }
}
