namespace PgWire.Connection;

/// <summary>
/// The statements a connection has described, keyed by SQL text and parameter types, least recently used
/// evicted first. Lookups use the caller's OID span, so a hit allocates nothing.
/// </summary>
internal sealed class StatementCache(int capacity, Action<CachedStatement>? evicted = null)
{
    private readonly Dictionary<string, List<LinkedListNode<CachedStatement>>> _bySql = new(StringComparer.Ordinal);
    private readonly LinkedList<CachedStatement> _recency = new();

    public int Count => _recency.Count;

    public CachedStatement? Find(string sql, ReadOnlySpan<uint> parameterTypes)
    {
        if (!_bySql.TryGetValue(sql, out var nodes)) return null;
        foreach (var node in nodes)
        {
            if (node.Value.ParameterTypes.AsSpan().SequenceEqual(parameterTypes))
            {
                if (node != _recency.First)
                {
                    _recency.Remove(node);
                    _recency.AddFirst(node);
                }
                return node.Value;
            }
        }
        return null;
    }

    public void Add(CachedStatement statement)
    {
        var node = _recency.AddFirst(statement);
        if (!_bySql.TryGetValue(statement.Sql, out var nodes))
            _bySql[statement.Sql] = nodes = new List<LinkedListNode<CachedStatement>>(1);
        nodes.Add(node);
        if (_recency.Count > capacity)
        {
            var last = _recency.Last!;
            Remove(last);
            evicted?.Invoke(last.Value);
        }
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
        if (_bySql.TryGetValue(statement.Sql, out var nodes))
        {
            var node = nodes.Find(n => n.Value == statement);
            if (node is not null) Remove(node);
        }
    }

    public void Clear()
    {
        _bySql.Clear();
        _recency.Clear();
    }

    private void Remove(LinkedListNode<CachedStatement> node)
    {
        _recency.Remove(node);
        var nodes = _bySql[node.Value.Sql];
        nodes.Remove(node);
        if (nodes.Count == 0) _bySql.Remove(node.Value.Sql);
    }
}
