using System.Collections.Concurrent;

namespace PgWire.Sql;

/// <summary>
/// The <see cref="ParsedSql"/> of recently run command texts, shared by every command and connection of the process, so
/// that code creating a command per call (Dapper does) reads each text once, not once per call.
/// </summary>
/// <remarks>
/// Bounded in entries and in the length of the texts it keeps, so that it never holds much memory: when full it
/// starts again empty, which costs one scan per text afterwards. A longer text is read anew by each command, once.
/// </remarks>
internal sealed class ParsedSqlCache(bool split)
{
    private const int MaxEntries = 512;
    private const int MaxTextLength = 4096;

    /// <summary>Command texts: several statements are split.</summary>
    public static readonly ParsedSqlCache Commands = new(split: true);

    /// <summary>Batch command texts: each is one statement.</summary>
    public static readonly ParsedSqlCache BatchCommands = new(split: false);

    private readonly ConcurrentDictionary<string, ParsedSql> _entries = new(StringComparer.Ordinal);

    /// <exception cref="ArgumentException">The text's placeholders are not valid (see <see cref="SqlSplitter.Parse"/>).</exception>
    public ParsedSql Get(string sql)
    {
        if (SqlSplitter.IsPlain(sql)) return ParsedSql.NoPlaceholders;
        if (_entries.TryGetValue(sql, out var parsed)) return parsed;
        parsed = SqlSplitter.Parse(sql, split);
        if (sql.Length <= MaxTextLength)
        {
            if (_entries.Count >= MaxEntries) _entries.Clear();
            _entries.TryAdd(sql, parsed);
        }
        return parsed;
    }
}
