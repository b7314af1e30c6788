namespace PgWire.Sql;

/// <summary>
/// An ADO.NET command text as the scanner read it: the statements to send, and whether its parameters are bound by
/// position ($1, $2, ...) or by name (@name, :name). Depends on the text alone, so one is shared by every command
/// with the same text (<see cref="ParsedSqlCache"/>); matching the names with a command's parameters is the caller's.
/// </summary>
internal sealed class ParsedSql
{
    /// <summary>A text without any placeholder, sent as it is.</summary>
    public static readonly ParsedSql NoPlaceholders = new(null, [], [], hasPlaceholders: false);

    /// <summary>One statement with positional placeholders, sent as it is, the parameters bound in order.</summary>
    public static readonly ParsedSql Positional = new(null, [], [], hasPlaceholders: true);

    private readonly Dictionary<string, int>? _slotOfName;

    public ParsedSql(IReadOnlyList<SqlStatement>? statements, string[] names, string[] placeholders, bool hasPlaceholders)
    {
        Statements = statements;
        Names = names;
        Placeholders = placeholders;
        HasPlaceholders = hasPlaceholders;
        // Past a few names a linear search per parameter would make a long IN list (@ids1, @ids2, ...) quadratic.
        if (names.Length > 8)
        {
            _slotOfName = new Dictionary<string, int>(names.Length, StringComparer.OrdinalIgnoreCase);
            for (int i = 0; i < names.Length; i++) _slotOfName[names[i]] = i;
        }
    }

    /// <summary>
    /// The statements with their placeholders renumbered $1..$k, each with the parameters they stand for; null when
    /// the text goes as one statement unchanged (positional placeholders, or none) and the parameters in order.
    /// </summary>
    public IReadOnlyList<SqlStatement>? Statements { get; }

    /// <summary>
    /// The distinct names of the named placeholders, without their prefix, in order of first appearance; a
    /// statement's <see cref="SqlStatement.ParameterIndexes"/> index into it. Empty when the text has none.
    /// </summary>
    public string[] Names { get; }

    /// <summary>Each name's first placeholder as the text writes it (<c>@id</c> or <c>:id</c>), for messages.</summary>
    public string[] Placeholders { get; }

    /// <summary>True when the parameters are bound by name.</summary>
    public bool IsNamed => Names.Length > 0;

    /// <summary>False when the text has no placeholder of either kind.</summary>
    public bool HasPlaceholders { get; }

    /// <summary>Which of <see cref="Names"/> <paramref name="name"/> is, ignoring case (as PostgreSQL matches unquoted names), or -1.</summary>
    public int SlotOf(ReadOnlySpan<char> name)
    {
        if (_slotOfName is not null)
            return _slotOfName.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out int slot) ? slot : -1;
        for (int i = 0; i < Names.Length; i++)
            if (name.Equals(Names[i], StringComparison.OrdinalIgnoreCase)) return i;
        return -1;
    }
}
