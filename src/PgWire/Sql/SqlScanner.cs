namespace PgWire.Sql;

/// <summary>
/// Reads command text token by token the way PostgreSQL's lexer does, as far as a client needs to: it skips white
/// space and comments, and takes string constants, quoted identifiers and dollar-quoted strings as whole tokens, so
/// that every ';', parenthesis, word and $n it reports is one the server sees as such.
/// See "Lexical Structure" in the PostgreSQL documentation (sql-syntax-lexical.html).
/// </summary>
/// <remarks>
/// <para>A scanner of its own, apart from <see cref="SqlSplitter"/>, so that splitting statements and rewriting named
/// placeholders (@name, :name) read the text with one lexer, never two that could disagree.</para>
/// <para>Assumes standard_conforming_strings = on (the default since PostgreSQL 9.1): a backslash is an ordinary
/// character in '...' and escapes only in E'...'.</para>
/// <para>Text the server would refuse (an unterminated quote or comment) is never an error here: it is read in the
/// way that keeps it inside one token, for the server to report with its position.</para>
/// </remarks>
internal ref struct SqlScanner(ReadOnlySpan<char> sql)
{
    private readonly ReadOnlySpan<char> _sql = sql;
    private int _position;

    /// <summary>The next token after white space and comments; false at the end of the text.</summary>
    public bool Next(out SqlToken token)
    {
        int start = _position;
        while (start < _sql.Length)
        {
            char c = _sql[start];
            if (IsWhiteSpace(c))
            {
                start++;
                continue;
            }
            if (c == '-' && CharAt(start + 1) == '-')
            {
                start = EndOfLineComment(start + 2);
                continue;
            }
            if (c == '/' && CharAt(start + 1) == '*')
            {
                int end = EndOfBlockComment(start + 2);
                if (end < 0) return Emit(SqlTokenKind.Other, start, _sql.Length, out token);
                start = end;
                continue;
            }

            (SqlTokenKind kind, int tokenEnd) = c switch
            {
                ';' => (SqlTokenKind.Semicolon, start + 1),
                '(' => (SqlTokenKind.OpenParenthesis, start + 1),
                ')' => (SqlTokenKind.CloseParenthesis, start + 1),
                '[' => (SqlTokenKind.OpenBracket, start + 1),
                ']' => (SqlTokenKind.CloseBracket, start + 1),
                '@' or ':' => AfterNamePrefix(start),
                '\'' => (SqlTokenKind.Quoted, EndOfQuoted(start + 1, '\'')),
                '"' => (SqlTokenKind.Quoted, EndOfQuoted(start + 1, '"')),
                '$' => AfterDollar(start),
                _ when IsIdentifierStart(c) => AfterIdentifierStart(start),
                _ => (SqlTokenKind.Other, start + 1),
            };
            return Emit(kind, start, tokenEnd, out token);
        }
        _position = start;
        token = default;
        return false;
    }

    private bool Emit(SqlTokenKind kind, int start, int end, out SqlToken token)
    {
        _position = end;
        token = new SqlToken(kind, start, end);
        return true;
    }

    /// <summary>PostgreSQL's white space: space, tab, newline, carriage return, form feed, vertical tab.</summary>
    public static bool IsWhiteSpace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\f' or '\v';

    // The lexer takes every byte of 0x80 and up as a letter, so every non-ASCII character is one here.
    private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_' || c >= '\u0080';

    // A dollar-quote tag is made of these: an identifier's characters without '$'.
    private static bool IsLetterOrDigit(char c) => IsIdentifierStart(c) || char.IsAsciiDigit(c);

    private static bool IsIdentifierPart(char c) => IsLetterOrDigit(c) || c == '$';

    private readonly char CharAt(int index) => index < _sql.Length ? _sql[index] : '\0';

    private readonly (SqlTokenKind, int) AfterIdentifierStart(int start)
    {
        // Of the prefixed constants only E'...' needs a case of its own. U&'...', U&"...", B'...', X'...' and N'...'
        // end as '...' and "..." do, so reading the prefix as a word (and '&' as an operator) finds the same end.
        if (_sql[start] is 'e' or 'E' && CharAt(start + 1) == '\'')
        {
            return (SqlTokenKind.Quoted, EndOfEscapeString(start + 2));
        }

        // An identifier takes in every '$' that follows it: "a$1" and "a$b$" are names, not a placeholder or a dollar quote.
        int end = start + 1;
        while (IsIdentifierPart(CharAt(end))) end++;
        return (SqlTokenKind.Word, end);
    }

    /// <summary>
    /// A named placeholder when a name follows the '@' or ':' at <paramref name="start"/> at once and the character
    /// is not the end of an operator: "::" (a cast), "&lt;@" (is contained by), "@@" (text search match, center) and
    /// "?@" (ltree) stay operators, as PostgreSQL's lexer reads a run of operator characters as one operator.
    /// Otherwise the character alone, as any operator character.
    /// </summary>
    private readonly (SqlTokenKind, int) AfterNamePrefix(int start)
    {
        char prefix = _sql[start];
        char before = start > 0 ? _sql[start - 1] : '\0';
        bool endsOperator = prefix == ':' ? before == ':' : before is '<' or '@' or '?';
        if (endsOperator || !IsIdentifierStart(CharAt(start + 1))) return (SqlTokenKind.Other, start + 1);

        // A name is letters, digits and '_'. One with a '$' in it (no .NET name has one) is the operator followed by
        // an identifier, as the server reads "@a$1": the identifier a$1, no placeholder $1.
        int end = start + 2;
        while (IsIdentifierPart(CharAt(end))) end++;
        return _sql[(start + 1)..end].Contains('$') ? (SqlTokenKind.Other, start + 1) : (SqlTokenKind.NamedPlaceholder, end);
    }

    private readonly (SqlTokenKind, int) AfterDollar(int start)
    {
        if (char.IsAsciiDigit(CharAt(start + 1)))
        {
            int end = start + 2;
            while (char.IsAsciiDigit(CharAt(end))) end++;
            return (SqlTokenKind.Placeholder, end);
        }

        // A tag cannot start with a digit, and that case is a placeholder above.
        int tagEnd = start + 1;
        while (IsLetterOrDigit(CharAt(tagEnd))) tagEnd++;
        if (CharAt(tagEnd) != '$')
        {
            // "$name" without a closing '$' opens no quote; the server reads the name as a token of its own.
            return (SqlTokenKind.Other, start + 1);
        }

        // The body ends at the first exact (case-sensitive) repeat of the opening delimiter; that is also where the
        // server's lexer ends it, since it tries each '$' in the body as the start of a delimiter.
        ReadOnlySpan<char> delimiter = _sql[start..(tagEnd + 1)];
        int bodyStart = tagEnd + 1;
        int found = _sql[bodyStart..].IndexOf(delimiter);
        return (SqlTokenKind.Quoted, found < 0 ? _sql.Length : bodyStart + found + delimiter.Length);
    }

    /// <summary>The end of a '...' string or "..." identifier whose inside starts at <paramref name="index"/>; a doubled quote stands for one.</summary>
    private readonly int EndOfQuoted(int index, char quote)
    {
        while (true)
        {
            int found = _sql[index..].IndexOf(quote);
            if (found < 0) return _sql.Length;
            index += found + 1;
            if (CharAt(index) != quote) return index;
            index++;
        }
    }

    /// <summary>The end of an E'...' string whose inside starts at <paramref name="index"/>: a backslash escapes the character after it.</summary>
    private readonly int EndOfEscapeString(int index)
    {
        while (true)
        {
            int found = _sql[index..].IndexOfAny('\'', '\\');
            if (found < 0) return _sql.Length;
            index += found;
            if (_sql[index] == '\\')
            {
                index += 2;
                if (index > _sql.Length) return _sql.Length;
                continue;
            }
            index++;
            if (CharAt(index) == '\'')
            {
                index++;
                continue;
            }
            // 'a' <newline> 'b' is one constant, and its second part is still an escape string: "\'" there escapes.
            int continuation = ContinuationQuote(index);
            if (continuation < 0) return index;
            index = continuation + 1;
        }
    }

    /// <summary>
    /// Where the quote that continues a string constant ending at <paramref name="index"/> stands, or -1 when none does.
    /// Two constants separated only by white space holding at least one newline (line comments allowed) are one
    /// (sql-syntax-lexical.html, "String Constants").
    /// </summary>
    private readonly int ContinuationQuote(int index)
    {
        bool newline = false;
        while (index < _sql.Length)
        {
            char c = _sql[index];
            if (IsWhiteSpace(c))
            {
                newline |= c is '\n' or '\r';
                index++;
            }
            else if (c == '-' && CharAt(index + 1) == '-')
            {
                index = EndOfLineComment(index + 2);
            }
            else
            {
                break;
            }
        }
        return newline && CharAt(index) == '\'' ? index : -1;
    }

    /// <summary>Where the newline that ends a -- comment stands (it is white space, read next), or the end of the text.</summary>
    private readonly int EndOfLineComment(int index)
    {
        int found = _sql[index..].IndexOfAny('\n', '\r');
        return found < 0 ? _sql.Length : index + found;
    }

    /// <summary>The end of a block comment whose inside starts at <paramref name="index"/>, or -1 when it never closes. Block comments nest.</summary>
    private readonly int EndOfBlockComment(int index)
    {
        int depth = 1;
        while (true)
        {
            int found = _sql[index..].IndexOfAny('*', '/');
            if (found < 0) return -1;
            index += found;
            if (_sql[index] == '*' && CharAt(index + 1) == '/')
            {
                index += 2;
                if (--depth == 0) return index;
            }
            else if (_sql[index] == '/' && CharAt(index + 1) == '*')
            {
                index += 2;
                depth++;
            }
            else
            {
                index++;
            }
        }
    }
}
