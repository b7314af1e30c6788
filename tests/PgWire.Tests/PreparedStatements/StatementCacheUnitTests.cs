using PgWire.Connection;
using PgWire.Types;

namespace PgWire.Tests.PreparedStatements;

/// <summary>
/// The statement cache on its own (no server): lookups by text and parameter types, least recently used eviction, and
/// the shortcut for a text looked up again as the very same string, which must never return a statement that left.
/// </summary>
public sealed class StatementCacheUnitTests
{
    private static readonly uint[] Int4 = [23];
    private static readonly uint[] Text = [25];

    private static CachedStatement Statement(string sql, uint[] types) => new(sql, types, types, null, PgTypeRegistry.Default);

    [Fact]
    public void The_same_string_looked_up_again_finds_its_statement_for_each_parameter_type()
    {
        var cache = new StatementCache(10);
        string sql = "SELECT $1";
        var byInt = Statement(sql, Int4);
        var byText = Statement(sql, Text);
        cache.Add(byInt);
        cache.Add(byText);

        Assert.Same(byInt, cache.Find(sql, Int4));
        Assert.Same(byText, cache.Find(sql, Text));
        Assert.Same(byInt, cache.Find(sql, Int4));
        Assert.Null(cache.Find(sql, [20]));
    }

    [Fact]
    public void An_equal_text_in_another_string_finds_the_same_statement()
    {
        var cache = new StatementCache(10);
        var statement = Statement("SELECT $1", Int4);
        cache.Add(statement);

        Assert.Same(statement, cache.Find("SELECT $1", Int4));
        Assert.Same(statement, cache.Find(new string("SELECT $1".AsSpan()), Int4));
    }

    [Fact]
    public void A_statement_invalidated_right_after_a_lookup_of_its_text_is_not_found_again()
    {
        var cache = new StatementCache(10);
        string sql = "SELECT $1";
        var statement = Statement(sql, Int4);
        cache.Add(statement);
        Assert.Same(statement, cache.Find(sql, Int4));

        cache.Invalidate(statement);

        Assert.Null(cache.Find(sql, Int4));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void An_evicted_statement_is_not_found_again_even_by_the_string_looked_up_last()
    {
        var evicted = new List<CachedStatement>();
        var cache = new StatementCache(2, evicted.Add);
        string first = "SELECT 1";
        var oldest = Statement(first, []);
        cache.Add(oldest);
        Assert.Same(oldest, cache.Find(first, []));
        cache.Add(Statement("SELECT 2", []));

        cache.Add(Statement("SELECT 3", []));

        Assert.Equal([oldest], evicted);
        Assert.Null(cache.Find(first, []));
    }

    [Fact]
    public void A_statement_added_for_a_text_looked_up_last_is_found_after_it()
    {
        var cache = new StatementCache(10);
        string sql = "SELECT $1";
        var byInt = Statement(sql, Int4);
        cache.Add(byInt);
        Assert.Null(cache.Find(sql, Text));

        var byText = Statement(sql, Text);
        cache.Add(byText);

        Assert.Same(byText, cache.Find(sql, Text));
        Assert.Same(byInt, cache.Find(sql, Int4));
    }

    [Fact]
    public void After_Clear_nothing_is_found()
    {
        var cache = new StatementCache(10);
        string sql = "SELECT $1";
        cache.Add(Statement(sql, Int4));
        Assert.NotNull(cache.Find(sql, Int4));

        cache.Clear();

        Assert.Null(cache.Find(sql, Int4));
    }

    [Fact]
    public void The_head_of_a_text_removed_leaves_the_rest_of_its_chain_findable()
    {
        var cache = new StatementCache(10);
        string sql = "SELECT $1";
        var byInt = Statement(sql, Int4);
        var byText = Statement(sql, Text);
        cache.Add(byInt);
        cache.Add(byText);
        Assert.Same(byInt, cache.Find(sql, Int4));

        cache.Invalidate(byInt);

        Assert.Null(cache.Find(sql, Int4));
        Assert.Same(byText, cache.Find(sql, Text));
    }
}
