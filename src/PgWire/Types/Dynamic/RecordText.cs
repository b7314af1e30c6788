namespace PgWire.Types.Dynamic;

/// <summary>
/// The text form of a composite (record_out): <c>(f1,f2,...)</c>, a NULL field empty, a field quoted with <c>"</c> when
/// it is empty or holds quotes, backslashes, parentheses, commas or spaces, quotes and backslashes inside doubled.
/// A value a first run of a statement reads as text (see the connector's one-round-trip first execution).
/// </summary>
internal static class RecordText
{
    /// <summary>The fields of a record's text, each unquoted (null for NULL).</summary>
    public static List<byte[]?> Split(ReadOnlySpan<byte> text, string dataTypeName)
    {
        if (text.Length < 2 || text[0] != '(' || text[^1] != ')') throw Conversion.BadText(dataTypeName, text);
        var fields = new List<byte[]?>();
        var field = new List<byte>();
        int pos = 1;
        while (true)
        {
            if (text[pos] is (byte)',' or (byte)')')
            {
                fields.Add(null);
            }
            else
            {
                field.Clear();
                bool quoted = false;
                while (pos < text.Length - 1 || quoted)
                {
                    if (pos >= text.Length) throw Conversion.BadText(dataTypeName, text);
                    byte c = text[pos];
                    if (c == '\\')
                    {
                        if (pos + 1 >= text.Length) throw Conversion.BadText(dataTypeName, text);
                        field.Add(text[pos + 1]);
                        pos += 2;
                    }
                    else if (c == '"')
                    {
                        if (quoted && pos + 1 < text.Length && text[pos + 1] == '"')
                        {
                            field.Add((byte)'"');
                            pos += 2;
                        }
                        else
                        {
                            quoted = !quoted;
                            pos++;
                        }
                    }
                    else if (!quoted && c == ',') break;
                    else
                    {
                        field.Add(c);
                        pos++;
                    }
                }
                fields.Add(field.ToArray());
            }
            if (pos >= text.Length - 1) break;
            if (text[pos] != ',') throw Conversion.BadText(dataTypeName, text);
            pos++;
        }
        return fields;
    }
}
