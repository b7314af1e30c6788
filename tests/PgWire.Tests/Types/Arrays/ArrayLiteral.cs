using System.Globalization;
using System.Text;

namespace PgWire.Tests.Types.Arrays;

/// <summary>
/// The text PostgreSQL's array_out prints for an array, computed independently of PgWire: elements in row-major order,
/// NULL unquoted, and an element in double quotes (with " and \ backslash-escaped) when it is empty, spells NULL in any
/// case, or holds white space, a quote, a backslash, a brace or a comma.
/// </summary>
internal static class ArrayLiteral
{
    public static string Format(IReadOnlyList<string?> elements, params int[] lengths)
    {
        if (elements.Count == 0) return "{}";
        if (lengths.Length == 0) lengths = [elements.Count];
        var blocks = new int[lengths.Length];
        int block = 1;
        for (int d = lengths.Length - 1; d >= 0; d--) blocks[d] = block *= lengths[d];
        var sb = new StringBuilder();
        sb.Append('{', lengths.Length);
        for (int i = 0; i < elements.Count; i++)
        {
            if (i > 0)
            {
                int levels = Enumerable.Range(1, lengths.Length - 1).Count(d => i % blocks[d] == 0);
                sb.Append('}', levels).Append(',').Append('{', levels);
            }
            sb.Append(Quote(elements[i]));
        }
        return sb.Append('}', lengths.Length).ToString();
    }

    public static string Quote(string? element)
    {
        if (element is null) return "NULL";
        bool quote = element.Length == 0 || element.Equals("NULL", StringComparison.OrdinalIgnoreCase)
            || element.Any(c => c is '"' or '\\' or '{' or '}' or ',' or ' ' or '\t' or '\n' or '\r' or '\v' or '\f');
        if (!quote) return element;
        return "\"" + element.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
    }

    public static string? Invariant<T>(T? value) where T : struct, IFormattable =>
        value?.ToString(null, CultureInfo.InvariantCulture);

    public static IReadOnlyList<string?> Elements<T>(Array array) where T : struct, IFormattable =>
        array.Cast<object?>().Select(o => o is null ? null : ((T)o).ToString(null, CultureInfo.InvariantCulture)).ToList();

    /// <summary>numeric_out's text of a decimal: its digits at its scale, and no sign on zero.</summary>
    public static string Numeric(decimal value)
    {
        string text = value.ToString(CultureInfo.InvariantCulture);
        return value == 0 && text.StartsWith('-') ? text[1..] : text;
    }
}
