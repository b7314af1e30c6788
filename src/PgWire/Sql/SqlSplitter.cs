using System.Buffers;
using System.Globalization;
using System.Text;

namespace PgWire.Sql;

/// <summary>
/// Splits a command text of several statements into its statements, so that each can go through the extended query
/// protocol as a Parse/Bind/Execute of its own: Parse takes one statement, and the simple Query message, which takes
/// many, carries no parameters. For ADO.NET commands it also rewrites named placeholders (@name, :name) to $n
/// (<see cref="Parse"/>), in the same pass, so splitting and naming never read a text differently.
/// </summary>
/// <remarks>
/// A ';' ends a statement unless it lies in a quote or comment (see <see cref="SqlScanner"/>), inside parentheses
/// (CREATE RULE ... DO ALSO (...; ...)), or inside the SQL-standard body of a function or procedure,
/// BEGIN ATOMIC ... END (PostgreSQL 14 and later). A plain BEGIN or END is a transaction statement and splits as any other.
/// </remarks>
internal static class SqlSplitter
{
    /// <summary>The characters without which a text has no placeholder and no second statement.</summary>
    private static readonly SearchValues<char> PlaceholderOrSemicolon = SearchValues.Create(";$@:");

    /// <summary>
    /// Null when <paramref name="sql"/> holds at most one non-empty statement (the common case: then nothing is
    /// allocated and the text goes as is, a trailing ';' included). Otherwise its non-empty statements in order, each
    /// with its own placeholders renumbered from $1 (see <see cref="SqlStatement"/>). Only $n placeholders count:
    /// the native API binds by position, and there @name is PostgreSQL's own (the absolute value of name).
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
            FindStatements(sql, named: false, split: true, ref statements, ref placeholders);
            return statements.Count < 2 ? null : Build(sql, statements, placeholders, names: null);
        }
        finally
        {
            statements.Dispose();
            placeholders.Dispose();
        }
    }

    /// <summary>
    /// Reads an ADO.NET command text, where <c>@name</c> and <c>:name</c> are placeholders as well as <c>$n</c>:
    /// splits it into statements when <paramref name="split"/> (a command's text; a batch command's is one statement)
    /// and rewrites named placeholders to $n, each name bound once per statement however often it appears.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The text mixes positional and named placeholders, or (when split) has $0 or a number too large for an int.
    /// </exception>
    public static ParsedSql Parse(string sql, bool split)
    {
        ArgumentNullException.ThrowIfNull(sql);
        if (IsPlain(sql)) return ParsedSql.NoPlaceholders;

        var statements = new TextRangeList(stackalloc int[8]);
        var placeholders = new TextRangeList(stackalloc int[16]);
        try
        {
            int positional = FindStatements(sql, named: true, split, ref statements, ref placeholders);
            if (positional == placeholders.Count)
            {
                // Positional or none: the text goes as it is unless it has several statements.
                if (split && statements.Count >= 2)
                    return new ParsedSql(Build(sql, statements, placeholders, names: null), [], [], hasPlaceholders: positional > 0);
                return positional > 0 ? ParsedSql.Positional : ParsedSql.NoPlaceholders;
            }
            if (positional > 0) throw MixedPlaceholders(sql, placeholders);

            var names = new NameTable();
            var built = Build(sql, statements, placeholders, names);
            return new ParsedSql(built, names.Names.ToArray(), names.Spellings.ToArray(), hasPlaceholders: true);
        }
        finally
        {
            statements.Dispose();
            placeholders.Dispose();
        }
    }

    /// <summary>True when <paramref name="sql"/> has no character that could start a placeholder or end a statement: nothing to read.</summary>
    public static bool IsPlain(string sql) => sql.AsSpan().IndexOfAny(PlaceholderOrSemicolon) < 0;

    private static ArgumentException MixedPlaceholders(string sql, in TextRangeList placeholders)
    {
        int positional = -1, named = -1;
        for (int p = 0; p < placeholders.Count && (positional < 0 || named < 0); p++)
        {
            if (sql[placeholders.StartOf(p)] == '$') { if (positional < 0) positional = p; }
            else if (named < 0) named = p;
        }
        string positionalText = sql[placeholders.StartOf(positional)..placeholders.EndOf(positional)];
        string namedText = sql[placeholders.StartOf(named)..placeholders.EndOf(named)];
        return new ArgumentException(
            $"The command text mixes a positional placeholder ({positionalText}) with a named one ({namedText}); " +
            "a command binds its parameters either in order ($1, $2, ...) or by name (@name, :name), not both.");
    }

    /// <summary>
    /// One pass over the text: the range of each non-empty statement (its ';' excluded; the whole text when not
    /// <paramref name="split"/>) and of each placeholder ($n, and @name or :name when <paramref name="named"/>).
    /// Returns how many of the placeholders are positional ($n).
    /// </summary>
    private static int FindStatements(string sql, bool named, bool split, ref TextRangeList statements, ref TextRangeList placeholders)
    {
        var scanner = new SqlScanner(sql);
        int statementStart = 0;
        bool hasContent = false;
        int parenthesisDepth = 0;
        // Open BEGIN ATOMIC bodies and, inside them, CASE expressions: both end with END.
        int atomicDepth = 0;
        bool afterBegin = false;
        int positional = 0;
        // The brackets and parentheses open at this point, innermost in bit 0: a set bit is an array subscript, where
        // ':' separates a slice's bounds (a[lo:hi], a[:hi]) and never starts a placeholder. Past 64 levels the
        // outer ones read as parentheses.
        ulong subscripts = 0;
        // A '[' right after an operand (a name, a quoted name, a placeholder, ')' or ']') subscripts it; any other
        // '[' is an array constructor's (ARRAY[...] and the inner brackets of ARRAY[[...], [...]]).
        bool afterOperand = false;

        while (scanner.Next(out SqlToken token))
        {
            if (split && token.Kind == SqlTokenKind.Semicolon && parenthesisDepth == 0 && atomicDepth == 0)
            {
                if (hasContent) statements.Add(statementStart, token.Start);
                statementStart = token.End;
                hasContent = false;
                afterBegin = false;
                afterOperand = false;
                subscripts = 0;
                continue;
            }

            hasContent = true;
            bool isBegin = false;
            bool isOperand = false;
            switch (token.Kind)
            {
                case SqlTokenKind.OpenParenthesis:
                    parenthesisDepth++;
                    subscripts <<= 1;
                    break;
                case SqlTokenKind.CloseParenthesis:
                    // A stray ')' is the server's to report; it must not stop the statements after it from splitting.
                    if (parenthesisDepth > 0) parenthesisDepth--;
                    subscripts >>= 1;
                    isOperand = true;
                    break;
                case SqlTokenKind.OpenBracket:
                    subscripts = (subscripts << 1) | (afterOperand ? 1UL : 0UL);
                    break;
                case SqlTokenKind.CloseBracket:
                    subscripts >>= 1;
                    isOperand = true;
                    break;
                case SqlTokenKind.Placeholder:
                    placeholders.Add(token.Start, token.End);
                    positional++;
                    isOperand = true;
                    break;
                case SqlTokenKind.NamedPlaceholder:
                    if (named && !(sql[token.Start] == ':' && (subscripts & 1) != 0)) placeholders.Add(token.Start, token.End);
                    isOperand = true;
                    break;
                case SqlTokenKind.Quoted:
                    isOperand = true;
                    break;
                case SqlTokenKind.Word:
                    ReadOnlySpan<char> word = sql.AsSpan(token.Start, token.Length);
                    if (afterBegin && Ascii.EqualsIgnoreCase(word, "ATOMIC")) atomicDepth++;
                    else if (atomicDepth > 0 && Ascii.EqualsIgnoreCase(word, "CASE")) atomicDepth++;
                    else if (atomicDepth > 0 && Ascii.EqualsIgnoreCase(word, "END")) atomicDepth--;
                    isBegin = Ascii.EqualsIgnoreCase(word, "BEGIN");
                    isOperand = !Ascii.EqualsIgnoreCase(word, "ARRAY");
                    break;
            }
            afterBegin = isBegin;
            afterOperand = isOperand;
        }
        if (hasContent) statements.Add(statementStart, sql.Length);
        return positional;
    }

    private static SqlStatement[] Build(string sql, in TextRangeList statements, in TextRangeList placeholders, NameTable? names)
    {
        var result = new SqlStatement[statements.Count];
        var renumbering = new Renumbering(names);
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

    /// <summary>
    /// Rewrites a statement's placeholders as $1..$k in order of first appearance; reused across the statements of one
    /// text. What a placeholder stands for is a parameter index ($n: n - 1) or, for @name, the name's slot in <paramref name="names"/>.
    /// </summary>
    private sealed class Renumbering(NameTable? names)
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
                int slot = SlotOf(sql[at] == '$' ? ParameterIndex(sql, at, after) : names!.SlotOf(sql, at, after));
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

    /// <summary>The distinct names of a text's named placeholders, matched ignoring case, each with its slot.</summary>
    private sealed class NameTable
    {
        private readonly Dictionary<string, int> _slots = new(StringComparer.OrdinalIgnoreCase);

        public List<string> Names { get; } = [];

        public List<string> Spellings { get; } = [];

        /// <summary>The slot of the name of the placeholder at [<paramref name="at"/>, <paramref name="after"/>) (its prefix excluded).</summary>
        public int SlotOf(string sql, int at, int after)
        {
            ReadOnlySpan<char> name = sql.AsSpan(at + 1, after - at - 1);
            if (_slots.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out int slot)) return slot;
            slot = Names.Count;
            string text = name.ToString();
            _slots.Add(text, slot);
            Names.Add(text);
            Spellings.Add(sql.Substring(at, after - at));
            return slot;
        }
    }
}
