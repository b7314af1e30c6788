namespace PgWire.Connection;

/// <summary>
/// The statements a connection has described, keyed by SQL text and parameter types, least recently used
/// evicted first. Lookups use the caller's OID span, so a hit allocates nothing; statements of one SQL text with other
/// parameter types are chained through the statement itself, and a full cache gives the evicted statement's recency
/// node to the new one, so a connection that runs a new text each time (scripts, ORMs) adds one dictionary entry and no
/// list per statement.
/// </summary>
internal sealed class StatementCache(int capacity, Action<CachedStatement>? evicted = null)
{
    private readonly Dictionary<string, CachedStatement> _bySql = new(StringComparer.Ordinal);
    private readonly LinkedList<CachedStatement> _recency = new();

    public int Count => _recency.Count;

    /// <summary>
    /// The text looked up last (the very string) and its chain: a command or batch that runs one text again and again
    /// (a batch of 100 INSERTs is 100 lookups of one string) skips hashing and comparing it. Reset whenever a chain changes.
    /// </summary>
    private string? _lastSql;
    private CachedStatement? _lastChain;

    public CachedStatement? Find(string sql, ReadOnlySpan<uint> parameterTypes)
    {
        CachedStatement? statement;
        if (ReferenceEquals(sql, _lastSql)) statement = _lastChain;
        else
        {
            if (!_bySql.TryGetValue(sql, out statement)) return null;
            _lastSql = sql;
            _lastChain = statement;
        }
        for (; statement is not null; statement = statement.NextWithSameSql)
        {
            if (statement.ParameterTypes.AsSpan().SequenceEqual(parameterTypes))
            {
                var node = statement.CacheNode!;
                if (node != _recency.First)
                {
                    _recency.Remove(node);
                    _recency.AddFirst(node);
                }
                return statement;
            }
        }
        return null;
    }

    public void Add(CachedStatement statement)
    {
        ForgetLast();
        LinkedListNode<CachedStatement>? reused = null;
        CachedStatement? victim = null;
        if (_recency.Count >= capacity && _recency.Last is { } last)
        {
            victim = last.Value;
            Remove(victim);
            reused = last;
        }
        if (reused is null) statement.CacheNode = _recency.AddFirst(statement);
        else
        {
            reused.Value = statement;
            _recency.AddFirst(reused);
            statement.CacheNode = reused;
        }
        // Appended to its text's chain: a lookup finds the statement of those parameter types that was cached first.
        statement.NextWithSameSql = null;
        if (_bySql.TryGetValue(statement.Sql, out var first))
        {
            var tail = first;
            while (tail.NextWithSameSql is { } next) tail = next;
            tail.NextWithSameSql = statement;
        }
        else _bySql[statement.Sql] = statement;
        if (victim is not null) evicted?.Invoke(victim);
    }

    /// <summary>Every cached statement.</summary>
    public IEnumerable<CachedStatement> All => _recency;

    /// <summary>The least recently used statement that satisfies <paramref name="predicate"/>, or null.</summary>
    public CachedStatement? LeastRecentlyUsed(Func<CachedStatement, bool> predicate)
    {
        for (var node = _recency.Last; node is not null; node = node.Previous)
            if (predicate(node.Value)) return node.Value;
        return null;
    }

    public void Invalidate(CachedStatement statement)
    {
        if (statement.CacheNode is { } node && node.List == _recency && node.Value == statement) Remove(statement);
    }

    public void Clear()
    {
        ForgetLast();
        foreach (var statement in _recency)
        {
            statement.CacheNode = null;
            statement.NextWithSameSql = null;
        }
        _bySql.Clear();
        _recency.Clear();
    }

    private void ForgetLast()
    {
        _lastSql = null;
        _lastChain = null;
    }

    /// <summary>Takes <paramref name="statement"/> out of the recency list and out of its text's chain.</summary>
    private void Remove(CachedStatement statement)
    {
        ForgetLast();
        _recency.Remove(statement.CacheNode!);
        statement.CacheNode = null;
        if (_bySql.TryGetValue(statement.Sql, out var first))
        {
            if (first == statement)
            {
                if (statement.NextWithSameSql is { } next) _bySql[statement.Sql] = next;
                else _bySql.Remove(statement.Sql);
            }
            else
            {
                var previous = first;
                while (previous.NextWithSameSql is { } candidate && candidate != statement) previous = candidate;
                if (previous.NextWithSameSql == statement) previous.NextWithSameSql = statement.NextWithSameSql;
            }
        }
        statement.NextWithSameSql = null;
    }
}
