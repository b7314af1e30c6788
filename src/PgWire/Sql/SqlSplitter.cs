using System.Globalization;
using System.Text;

namespace PgWire.Sql;

/// <summary>
/// Splits a command text of several statements into its statements, so that each can go through the extended query
/// protocol as a Parse/Bind/Execute of its own: Parse takes one statement, and the simple Query message, which takes
/// many, carries no parameters.
/// </summary>
/// <remarks>
/// A ';' ends a statement unless it lies in a quote or comment (see <see cref="SqlScanner"/>), inside parentheses
/// (CREATE RULE ... DO ALSO (...; ...)), or inside the SQL-standard body of a function or procedure,
/// BEGIN ATOMIC ... END (PostgreSQL 14 and later). A plain BEGIN or END is a transaction statement and splits as any other.
/// </remarks>
internal static class SqlSplitter
{
    /// <summary>
    /// Null when <paramref name="sql"/> holds at most one non-empty statement (the common case: then nothing is
    /// allocated and the text goes as is, a trailing ';' included). Otherwise its non-empty statements in order, each
    /// with its own placeholders renumbered from $1 (see <see cref="SqlStatement"/>).
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The text has to be split and a statement has a placeholder that stands for no parameter: $0, or a number
    /// too large for an int. (A single statement goes unchanged, so the server reports such a placeholder itself.)
    /// </exception>
    public static IReadOnlyList<SqlStatement>? Split(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        if (sql.IndexOf(';') < 0) return null;

        var statements = new TextRangeList(stackalloc int[8]);
        var placeholders = new TextRangeList(stackalloc int[16]);
        try
        {
            FindStatements(sql, ref statements, ref placeholders);
            return statements.Count < 2 ? null : Build(sql, statements, placeholders);
        }
        finally
        {
            statements.Dispose();
            placeholders.Dispose();
        }
    }

    /// <summary>One pass over the text: the range of each non-empty statement (its ';' excluded) and of each placeholder.</summary>
    private static void FindStatements(string sql, ref TextRangeList statements, ref TextRangeList placeholders)
    {
        var scanner = new SqlScanner(sql);
        int statementStart = 0;
        bool hasContent = false;
        int parenthesisDepth = 0;
        // Open BEGIN ATOMIC bodies and, inside them, CASE expressions: both end with END.
        int atomicDepth = 0;
        bool afterBegin = false;

        while (scanner.Next(out SqlToken token))
        {
            if (token.Kind == SqlTokenKind.Semicolon && parenthesisDepth == 0 && atomicDepth == 0)
            {
                if (hasContent) statements.Add(statementStart, token.Start);
                statementStart = token.End;
                hasContent = false;
                afterBegin = false;
                continue;
            }

            hasContent = true;
            bool isBegin = false;
            switch (token.Kind)
            {
                case SqlTokenKind.OpenParenthesis:
                    parenthesisDepth++;
                    break;
                case SqlTokenKind.CloseParenthesis:
                    // A stray ')' is the server's to report; it must not stop the statements after it from splitting.
                    if (parenthesisDepth > 0) parenthesisDepth--;
                    break;
                case SqlTokenKind.Placeholder:
                    placeholders.Add(token.Start, token.End);
                    break;
                case SqlTokenKind.Word:
                    ReadOnlySpan<char> word = sql.AsSpan(token.Start, token.Length);
                    if (afterBegin && Ascii.EqualsIgnoreCase(word, "ATOMIC")) atomicDepth++;
                    else if (atomicDepth > 0 && Ascii.EqualsIgnoreCase(word, "CASE")) atomicDepth++;
                    else if (atomicDepth > 0 && Ascii.EqualsIgnoreCase(word, "END")) atomicDepth--;
                    isBegin = Ascii.EqualsIgnoreCase(word, "BEGIN");
                    break;
            }
            afterBegin = isBegin;
        }
        if (hasContent) statements.Add(statementStart, sql.Length);
    }

    private static SqlStatement[] Build(string sql, in TextRangeList statements, in TextRangeList placeholders)
    {
        var result = new SqlStatement[statements.Count];
        var renumbering = new Renumbering();
        int placeholder = 0;
        for (int i = 0; i < result.Length; i++)
        {
            int start = statements.StartOf(i);
            int end = statements.EndOf(i);
            while (SqlScanner.IsWhiteSpace(sql[start])) start++;
            while (SqlScanner.IsWhiteSpace(sql[end - 1])) end--;

            // Placeholders are content, so they all lie in statements that were kept, in the same order.
            int firstPlaceholder = placeholder;
            while (placeholder < placeholders.Count && placeholders.StartOf(placeholder) < end) placeholder++;

            result[i] = placeholder == firstPlaceholder
                ? new SqlStatement(sql.Substring(start, end - start), [])
                : renumbering.Rewrite(sql, start, end, placeholders, firstPlaceholder, placeholder);
        }
        return result;
    }

    /// <summary>Rewrites a statement's placeholders as $1..$k in order of first appearance; reused across the statements of one text.</summary>
    private sealed class Renumbering
    {
        // Past a few distinct parameters a linear search for one already seen would make a large INSERT quadratic.
        private const int LinearSearchLimit = 8;

        private readonly StringBuilder _text = new();
        private readonly List<int> _parameterIndexes = [];
        private readonly Dictionary<int, int> _slotOfIndex = [];

        public SqlStatement Rewrite(string sql, int start, int end, in TextRangeList placeholders, int first, int last)
        {
            _text.Clear();
            _parameterIndexes.Clear();
            _slotOfIndex.Clear();
            int copied = start;
            for (int p = first; p < last; p++)
            {
                int at = placeholders.StartOf(p);
                int after = placeholders.EndOf(p);
                int slot = SlotOf(ParameterIndex(sql, at, after));
                _text.Append(sql, copied, at - copied).Append('$').Append(slot + 1);
                copied = after;
            }
            _text.Append(sql, copied, end - copied);
            return new SqlStatement(_text.ToString(), _parameterIndexes.ToArray());
        }

        private int SlotOf(int parameterIndex)
        {
            if (_parameterIndexes.Count <= LinearSearchLimit)
            {
                int seen = _parameterIndexes.IndexOf(parameterIndex);
                if (seen >= 0) return seen;
            }
            else if (_slotOfIndex.TryGetValue(parameterIndex, out int seen))
            {
                return seen;
            }

            int slot = _parameterIndexes.Count;
            _parameterIndexes.Add(parameterIndex);
            if (slot == LinearSearchLimit)
            {
                // Crossing the limit: the dictionary takes over the slots the linear search knew.
                for (int s = 0; s <= slot; s++) _slotOfIndex[_parameterIndexes[s]] = s;
            }
            else if (slot > LinearSearchLimit)
            {
                _slotOfIndex[parameterIndex] = slot;
            }
            return slot;
        }

        /// <summary>The zero-based parameter index that the placeholder $n at [<paramref name="at"/>, <paramref name="after"/>) stands for: n - 1.</summary>
        private static int ParameterIndex(string sql, int at, int after)
        {
            ReadOnlySpan<char> placeholder = sql.AsSpan(at, after - at);
            if (!int.TryParse(placeholder[1..], NumberStyles.None, CultureInfo.InvariantCulture, out int number))
            {
                throw new ArgumentException(
                    $"{placeholder} (at character {at + 1} of the command text) is not a valid parameter placeholder: its number is too large.",
                    nameof(sql));
            }
            if (number == 0)
            {
                throw new ArgumentException(
                    $"$0 (at character {at + 1} of the command text) is not a valid parameter placeholder; parameters are numbered from $1.",
                    nameof(sql));
            }
            return number - 1;
        }
    }
}
