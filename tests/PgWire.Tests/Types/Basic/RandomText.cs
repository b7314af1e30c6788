using System.Globalization;
using System.Text;
using CsCheck;

namespace PgWire.Tests.Types.Basic;

/// <summary>
/// Random Unicode strings, made by CsCheck for parameters and by the server for results, from the same mix of
/// characters: ASCII, the characters that quoting rules care about (quotes, backslash, parentheses, braces, commas,
/// white space), control characters, two-byte letters, combining marks, CJK, emoji and the rest of the code space.
/// Never NUL (PostgreSQL text cannot hold it) nor a lone surrogate (it has no UTF-8 form).
/// </summary>
internal static class RandomText
{
    /// <summary>The characters the output functions of text-like types treat specially, as code points.</summary>
    private static readonly int[] Specials = ['"', '\\', '\'', ',', '(', ')', '{', '}', '=', '>', ' ', '\t', '\n', '\r', '\v', '\f'];

    private static readonly Gen<int> CodePoints = Gen.Frequency(
        (4, Gen.Int[32, 126]),
        (2, Gen.OneOf(Specials)),
        (1, Gen.Int[1, 31]),
        (1, Gen.Int[0x80, 0x7FF]),
        (1, Gen.Int[0x300, 0x36F]),
        (1, Gen.Int[0x4E00, 0x9FFF]),
        (1, Gen.Int[0x1F300, 0x1FAFF]),
        (1, Gen.OneOf(Gen.Int[0x800, 0xD7FF], Gen.Int[0xE000, 0xFFFF], Gen.Int[0x10000, 0x10FFFF])));

    /// <summary>Strings of 0 to <paramref name="maxCodePoints"/> code points.</summary>
    public static Gen<string> Strings(int maxCodePoints) =>
        CodePoints.Array[0, maxCodePoints].Select(cps => string.Concat(cps.Select(char.ConvertFromUtf32)));

    /// <summary>
    /// An SQL expression (ASCII only, so no encoding of the statement is involved) that makes the server build a random
    /// string of 0 to <paramref name="maxCodePoints"/> code points with chr(), from the same mix as <see cref="Strings"/>.
    /// Each evaluation calls random() afresh.
    /// </summary>
    public static string Sql(int maxCodePoints)
    {
        string specials = string.Join(", ", Specials);
        string codePoint = "chr(CASE floor(random() * 12)::int " +
            "WHEN 0 THEN 32 + floor(random() * 95)::int WHEN 1 THEN 32 + floor(random() * 95)::int " +
            "WHEN 2 THEN 32 + floor(random() * 95)::int WHEN 3 THEN 32 + floor(random() * 95)::int " +
            $"WHEN 4 THEN (ARRAY[{specials}])[1 + floor(random() * {Specials.Length})::int] " +
            $"WHEN 5 THEN (ARRAY[{specials}])[1 + floor(random() * {Specials.Length})::int] " +
            "WHEN 6 THEN 1 + floor(random() * 31)::int " +
            "WHEN 7 THEN 128 + floor(random() * 1920)::int " +
            "WHEN 8 THEN 768 + floor(random() * 112)::int " +
            "WHEN 9 THEN 19968 + floor(random() * 20992)::int " +
            "WHEN 10 THEN 127744 + floor(random() * 2048)::int " +
            "ELSE (ARRAY[2048 + floor(random() * 53248)::int, 57344 + floor(random() * 8192)::int, 65536 + floor(random() * 1048576)::int])" +
            "[1 + floor(random() * 3)::int] END)";
        var sb = new StringBuilder("substr(");
        for (int i = 0; i < maxCodePoints; i++)
        {
            if (i > 0) sb.Append(" || ");
            sb.Append(codePoint);
        }
        return sb.Append($", 1, floor(random() * {maxCodePoints + 1})::int)").ToString();
    }

    /// <summary>A string between « and », made <see cref="Visible"/>, so a counterexample prints readably.</summary>
    public static string Print(string? value) => value is null ? "null" : "«" + Visible(value) + "»";

    /// <summary>
    /// The text with each character that does not show itself (controls, combining marks, format characters, separators
    /// other than the space, unassigned code points) written as \u{hex}.
    /// </summary>
    public static string Visible(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var rune in value.EnumerateRunes())
        {
            bool hidden = rune.Value != ' ' && Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.NonSpacingMark
                or UnicodeCategory.EnclosingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.Format
                or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned;
            if (hidden) sb.Append($"\\u{{{rune.Value:X}}}");
            else sb.Append(rune.ToString());
        }
        return sb.ToString();
    }
}
