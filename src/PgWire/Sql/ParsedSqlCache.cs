namespace PgWire.Sql;

/// <summary>
/// The <see cref="ParsedSql"/> of recently run command texts, shared by every command and connection of the process, so
/// that code creating a command per call (Dapper does) reads each text once, not once per call.
/// </summary>
/// <remarks>
/// A fixed table of <see cref="Slots"/> entries in pairs, each text in the pair its hash picks: a new text takes the
/// pair's first place and moves the one there to the second, so two texts in use that share a pair both stay, and a
/// third pushes out the one of the two added earlier. It never grows, needs no lock (an entry is immutable and
/// replaced whole), and a stream of texts each run once (scripts, generated SQL) costs one small entry each, not the
/// growing and clearing of a dictionary. Texts longer than <see cref="MaxTextLength"/> are not kept.
/// </remarks>
internal sealed class ParsedSqlCache(bool split)
{
    private const int Slots = 1024;
    private const int MaxTextLength = 4096;

    /// <summary>Command texts: several statements are split.</summary>
    public static readonly ParsedSqlCache Commands = new(split: true);

    /// <summary>Batch command texts: each is one statement.</summary>
    public static readonly ParsedSqlCache BatchCommands = new(split: false);

    private sealed record Entry(string Sql, ParsedSql Parsed);

    private static bool Holds(Entry? entry, string sql) =>
        entry is not null && (ReferenceEquals(entry.Sql, sql) || string.Equals(entry.Sql, sql, StringComparison.Ordinal));

    private readonly Entry?[] _entries = new Entry?[Slots];

    /// <exception cref="ArgumentException">The text's placeholders are not valid (see <see cref="SqlSplitter.Parse"/>).</exception>
    public ParsedSql Get(string sql)
    {
        if (SqlSplitter.IsPlain(sql)) return ParsedSql.NoPlaceholders;
        int first = (StringComparer.Ordinal.GetHashCode(sql) & (Slots - 1)) & ~1;
        var entry = Volatile.Read(ref _entries[first]);
        if (Holds(entry, sql)) return entry!.Parsed;
        var second = Volatile.Read(ref _entries[first + 1]);
        if (Holds(second, sql)) return second!.Parsed;
        var parsed = SqlSplitter.Parse(sql, split);
        if (sql.Length <= MaxTextLength)
        {
            // Not atomic across the pair: a lookup meanwhile may miss and read its text again, which is all a miss costs.
            Volatile.Write(ref _entries[first + 1], entry);
            Volatile.Write(ref _entries[first], new Entry(sql, parsed));
        }
        return parsed;
    }
}
