using System.Text;

namespace PgWire.Types.Ranges;

/// <summary>
/// A range in PostgreSQL's text form (<c>[1,5)</c>, <c>(,"2024-01-01 00:00:00"]</c>, <c>empty</c>) split into its parts,
/// with the bounds unescaped; and the text form written for a range parameter whose bounds are sent as text.
/// The rules are range_parse and range_parse_bound's (src/backend/utils/adt/rangetypes.c). Cold path.
/// </summary>
internal sealed class RangeText
{
    public bool IsEmpty { get; private init; }

    public bool LowerInclusive { get; private init; }

    public bool UpperInclusive { get; private init; }

    /// <summary>The lower bound's text; null when infinite.</summary>
    public byte[]? Lower { get; private init; }

    /// <summary>The upper bound's text; null when infinite.</summary>
    public byte[]? Upper { get; private init; }

    public static RangeText Parse(ReadOnlySpan<byte> text, string dataTypeName)
    {
        int pos = 0;
        SkipSpace(text, ref pos);
        if (text.Length - pos >= 5 && Ascii.EqualsIgnoreCase(text.Slice(pos, 5), "empty"u8))
        {
            pos += 5;
            SkipSpace(text, ref pos);
            return pos == text.Length ? new RangeText { IsEmpty = true } : throw Bad(text, dataTypeName);
        }
        bool lowerInclusive = Take(text, ref pos, dataTypeName) switch
        {
            (byte)'[' => true,
            (byte)'(' => false,
            _ => throw Bad(text, dataTypeName),
        };
        var lower = ParseBound(text, ref pos, dataTypeName);
        if (Take(text, ref pos, dataTypeName) != ',') throw Bad(text, dataTypeName);
        var upper = ParseBound(text, ref pos, dataTypeName);
        bool upperInclusive = Take(text, ref pos, dataTypeName) switch
        {
            (byte)']' => true,
            (byte)')' => false,
            _ => throw Bad(text, dataTypeName),
        };
        SkipSpace(text, ref pos);
        if (pos != text.Length) throw Bad(text, dataTypeName);
        return new RangeText { LowerInclusive = lowerInclusive, UpperInclusive = upperInclusive, Lower = lower, Upper = upper };
    }

    /// <summary>The length of the range that starts at <paramref name="text"/> (for splitting a multirange).</summary>
    public static int Measure(ReadOnlySpan<byte> text, string dataTypeName)
    {
        if (text.Length >= 5 && Ascii.EqualsIgnoreCase(text[..5], "empty"u8)) return 5;
        if (text.IsEmpty || text[0] is not ((byte)'[' or (byte)'(')) throw Bad(text, dataTypeName);
        bool inQuote = false;
        for (int i = 1; i < text.Length; i++)
        {
            byte c = text[i];
            if (c == '\\') i++;
            else if (c == '"')
            {
                if (!inQuote) inQuote = true;
                else if (i + 1 < text.Length && text[i + 1] == '"') i++;
                else inQuote = false;
            }
            else if (!inQuote && c is (byte)']' or (byte)')') return i + 1;
        }
        throw Bad(text, dataTypeName);
    }

    private static byte[]? ParseBound(ReadOnlySpan<byte> text, ref int pos, string dataTypeName)
    {
        if (pos < text.Length && text[pos] is (byte)',' or (byte)')' or (byte)']') return null;
        var bound = new List<byte>();
        bool inQuote = false;
        while (inQuote || pos >= text.Length || text[pos] is not ((byte)',' or (byte)')' or (byte)']'))
        {
            byte c = Take(text, ref pos, dataTypeName);
            if (c == '\\')
            {
                bound.Add(Take(text, ref pos, dataTypeName));
            }
            else if (c == '"')
            {
                if (!inQuote) inQuote = true;
                else if (pos < text.Length && text[pos] == '"') bound.Add(text[pos++]);
                else inQuote = false;
            }
            else
            {
                bound.Add(c);
            }
        }
        return bound.ToArray();
    }

    /// <summary>The text form of a range whose bounds are given as text (written quoted, so any bound text is safe).</summary>
    public static byte[] Format(IPgRange range, ReadOnlySpan<byte> lower, ReadOnlySpan<byte> upper)
    {
        if (range.IsEmpty) return "empty"u8.ToArray();
        var result = new List<byte>(lower.Length + upper.Length + 8) { range.LowerBoundIsInclusive ? (byte)'[' : (byte)'(' };
        if (!range.LowerBoundInfinite) AppendQuoted(result, lower);
        result.Add((byte)',');
        if (!range.UpperBoundInfinite) AppendQuoted(result, upper);
        result.Add(range.UpperBoundIsInclusive ? (byte)']' : (byte)')');
        return result.ToArray();
    }

    private static void AppendQuoted(List<byte> result, ReadOnlySpan<byte> bound)
    {
        result.Add((byte)'"');
        foreach (byte b in bound)
        {
            if (b is (byte)'"' or (byte)'\\') result.Add(b);
            result.Add(b);
        }
        result.Add((byte)'"');
    }

    private static byte Take(ReadOnlySpan<byte> text, ref int pos, string dataTypeName) =>
        pos < text.Length ? text[pos++] : throw Bad(text, dataTypeName);

    private static void SkipSpace(ReadOnlySpan<byte> text, ref int pos)
    {
        while (pos < text.Length && Arrays.ArrayText.IsSpace(text[pos])) pos++;
    }

    public static PgProtocolException Bad(ReadOnlySpan<byte> text, string dataTypeName) =>
        new($"The server sent a text {dataTypeName} value PgWire cannot parse: " +
            $"'{Encoding.UTF8.GetString(text.Length > 200 ? text[..200] : text)}'.");
}
