using System.Globalization;
using System.Text;
using CsCheck;

namespace PgWire.Tests.Types.Misc;

/// <summary>
/// A JSON document as plain data, with two renderings written here from the specifications: compact RFC 8259 text
/// (what a client sends) and the text jsonb_out prints (keys ordered by byte length, then bytes; ": " and ", ").
/// </summary>
internal abstract record JsonModel
{
    public sealed record Null : JsonModel;
    public sealed record Bool(bool Value) : JsonModel;
    /// <summary>A number as its text: an optional sign, digits, an optional fraction (no exponent, no "-0").</summary>
    public sealed record Number(string Text) : JsonModel;
    public sealed record Str(string Value) : JsonModel;
    public sealed record Arr(JsonModel[] Items) : JsonModel;
    public sealed record Obj((string Key, JsonModel Value)[] Members) : JsonModel;

    public string Compact()
    {
        var sb = new StringBuilder();
        WriteCompact(sb);
        return sb.ToString();
    }

    private void WriteCompact(StringBuilder sb)
    {
        switch (this)
        {
            case Null: sb.Append("null"); break;
            case Bool b: sb.Append(b.Value ? "true" : "false"); break;
            case Number n: sb.Append(n.Text); break;
            case Str s: Quote(sb, s.Value); break;
            case Arr a:
                sb.Append('[');
                for (int i = 0; i < a.Items.Length; i++)
                {
                    if (i > 0) sb.Append(',');
                    a.Items[i].WriteCompact(sb);
                }
                sb.Append(']');
                break;
            case Obj o:
                sb.Append('{');
                for (int i = 0; i < o.Members.Length; i++)
                {
                    if (i > 0) sb.Append(',');
                    Quote(sb, o.Members[i].Key);
                    sb.Append(':');
                    o.Members[i].Value.WriteCompact(sb);
                }
                sb.Append('}');
                break;
        }
    }

    public string JsonbText()
    {
        var sb = new StringBuilder();
        WriteJsonb(sb);
        return sb.ToString();
    }

    private void WriteJsonb(StringBuilder sb)
    {
        switch (this)
        {
            case Arr a:
                sb.Append('[');
                for (int i = 0; i < a.Items.Length; i++)
                {
                    if (i > 0) sb.Append(", ");
                    a.Items[i].WriteJsonb(sb);
                }
                sb.Append(']');
                break;
            case Obj o:
                sb.Append('{');
                // jsonb keeps the last of duplicate keys and orders keys by UTF-8 length, then bytewise.
                var members = o.Members
                    .GroupBy(m => m.Key, StringComparer.Ordinal).Select(g => g.Last())
                    .OrderBy(m => Encoding.UTF8.GetByteCount(m.Key))
                    .ThenBy(m => Encoding.UTF8.GetBytes(m.Key), ByteComparer.Instance)
                    .ToArray();
                for (int i = 0; i < members.Length; i++)
                {
                    if (i > 0) sb.Append(", ");
                    Quote(sb, members[i].Key);
                    sb.Append(": ");
                    members[i].Value.WriteJsonb(sb);
                }
                sb.Append('}');
                break;
            default:
                WriteCompact(sb);
                break;
        }
    }

    /// <summary>escape_json's rules, which are also valid compact JSON: \" \\ \b \f \n \r \t, \u00xx for other controls.</summary>
    private static void Quote(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case < ' ': sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: sb.Append(c); break;
            }
        }
        sb.Append('"');
    }

    private sealed class ByteComparer : IComparer<byte[]>
    {
        public static readonly ByteComparer Instance = new();
        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }

    // Generators.

    /// <summary>Text with quotes, backslashes, control characters, non-ASCII and astral characters; never U+0000,
    /// which jsonb cannot hold, nor a lone surrogate, which UTF-8 cannot.</summary>
    public static readonly Gen<string> Strings = Gen.OneOf(
            Gen.Char['\u0001', '\u007f'].Select(c => c.ToString()),
            Gen.Char['\u00a0', '\ud7ff'].Select(c => c.ToString()),
            Gen.OneOf("\"", "\\", "\n", "\t", "😀", "é", "𝄞"))
        .Array[0, 8].Select(parts => string.Concat(parts));

    public static readonly Gen<JsonModel> Numbers = Gen.Select(Gen.Long[-1_000_000_000_000, 1_000_000_000_000], Gen.Int[0, 4], Gen.Int[0, 9999],
        (whole, scale, fraction) =>
        {
            string text = scale == 0 ? whole.ToString(CultureInfo.InvariantCulture)
                : (whole < 0 ? "-" : "") + Math.Abs(whole).ToString(CultureInfo.InvariantCulture) + "." +
                  (fraction % (int)Math.Pow(10, scale)).ToString("D" + scale, CultureInfo.InvariantCulture);
            // numeric has no negative zero: "-0.00" prints as "0.00", so the model does not make it.
            if (text.StartsWith("-0", StringComparison.Ordinal) && text.Trim('-', '0', '.').Length == 0) text = text[1..];
            return (JsonModel)new Number(text);
        });

    private static readonly Gen<JsonModel> Leaves = Gen.OneOf(
        Gen.Const((JsonModel)new Null()),
        Gen.Bool.Select(b => (JsonModel)new Bool(b)),
        Numbers,
        Strings.Select(s => (JsonModel)new Str(s)));

    public static Gen<JsonModel> Documents(int depth) => depth == 0
        ? Leaves
        : Gen.OneOf(
            Leaves,
            Documents(depth - 1).Array[0, 4].Select(items => (JsonModel)new Arr(items)),
            Gen.Select(Strings, Documents(depth - 1)).Array[0, 4]
                // Distinct keys: a client-side JsonObject refuses duplicates (the server would keep the last).
                .Select(members => (JsonModel)new Obj(members.DistinctBy(m => m.Item1, StringComparer.Ordinal).ToArray())));

    public override string ToString() => Compact();
}
