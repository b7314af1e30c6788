namespace PgWire.Sql;

/// <summary>
/// What a COPY command reads or writes, taken from its text so that the columns' types can be looked up before the
/// copy starts (binary COPY carries no types): a table with or without a column list, or a query (COPY (...) TO).
/// Text that is not plainly one of these forms yields null, and the copy then goes on without the columns' types.
/// </summary>
internal sealed record CopyStatement(string? Table, string? Columns, string? Query, bool FromStdin)
{
    public static CopyStatement? Parse(string sql)
    {
        var text = sql.AsSpan();
        var scanner = new SqlScanner(text);
        if (!scanner.Next(out var token) || !IsWord(text, token, "COPY") || !scanner.Next(out token)) return null;
        if (token.Kind == SqlTokenKind.OpenParenthesis)
        {
            int start = token.End, depth = 1;
            while (scanner.Next(out token))
            {
                if (token.Kind == SqlTokenKind.OpenParenthesis) depth++;
                else if (token.Kind == SqlTokenKind.CloseParenthesis && --depth == 0) break;
            }
            if (depth != 0) return null;
            string query = sql[start..token.Start];
            return scanner.Next(out token) && IsWord(text, token, "TO") ? new CopyStatement(null, null, query, false) : null;
        }
        if (!IsName(text, token)) return null;
        int tableStart = token.Start, tableEnd = token.End;
        while (true)
        {
            if (!scanner.Next(out token)) return null;
            if (token.Kind != SqlTokenKind.Other || text[token.Start] != '.') break;
            if (!scanner.Next(out token) || !IsName(text, token)) return null;
            tableEnd = token.End;
        }
        string? columns = null;
        if (token.Kind == SqlTokenKind.OpenParenthesis)
        {
            int start = token.End;
            bool expectName = true;
            while (true)
            {
                if (!scanner.Next(out token)) return null;
                if (token.Kind == SqlTokenKind.CloseParenthesis && !expectName) break;
                if (expectName ? !IsName(text, token) : token.Kind != SqlTokenKind.Other || text[token.Start] != ',') return null;
                expectName = !expectName;
            }
            columns = sql[start..token.Start];
            if (!scanner.Next(out token)) return null;
        }
        bool from = IsWord(text, token, "FROM");
        if (!from && !IsWord(text, token, "TO")) return null;
        return new CopyStatement(sql[tableStart..tableEnd], columns, null, from);
    }

    /// <summary>
    /// Whether <paramref name="sql"/> is a COPY that reads from the client (FROM STDIN): cheap for any other text,
    /// which is refused on its first word.
    /// </summary>
    public static bool IsFromStdin(string sql)
    {
        var text = sql.AsSpan();
        if (!text.TrimStart().StartsWith("COPY", StringComparison.OrdinalIgnoreCase)) return false;
        var scanner = new SqlScanner(text);
        if (!scanner.Next(out var token) || !IsWord(text, token, "COPY")) return false;
        bool afterFrom = false;
        int depth = 0;
        while (scanner.Next(out token))
        {
            if (token.Kind == SqlTokenKind.OpenParenthesis) depth++;
            else if (token.Kind == SqlTokenKind.CloseParenthesis) depth--;
            else if (depth == 0 && afterFrom && IsWord(text, token, "STDIN")) return true;
            afterFrom = depth == 0 && IsWord(text, token, "FROM");
        }
        return false;
    }

    private static bool IsWord(ReadOnlySpan<char> text, SqlToken token, string word) =>
        token.Kind == SqlTokenKind.Word && text[token.Start..token.End].Equals(word, StringComparison.OrdinalIgnoreCase);

    private static bool IsName(ReadOnlySpan<char> text, SqlToken token) =>
        token.Kind == SqlTokenKind.Word || (token.Kind == SqlTokenKind.Quoted && text[token.Start] == '"');
}
