using System.Data;
using System.Data.Common;
using Dapper;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Dapper;

/// <summary>
/// Dapper, unmodified, writing through PgWire to a real server: Execute with an object and with a list of objects,
/// IN list expansion and arrays for ANY, QueryMultiple over a text of several statements, transactions, and what
/// happens to a parameter that was forgotten or misspelt.
/// </summary>
[Collection("Database")]
public sealed class DapperCommandTests(DatabaseFixture db) : IAsyncLifetime
{
    /// <summary>
    /// Typed as applications that use Dapper type theirs (DbConnection, IDbConnection): on a PgConnection variable,
    /// PgConnection's own Query and Execute would hide Dapper's extension methods of those names.
    /// </summary>
    private DbConnection _conn = null!;

    public async Task InitializeAsync()
    {
        DapperTypeHandlers.Register();
        _conn = await db.OpenAsync();
        await _conn.ExecuteAsync("CREATE TEMP TABLE items (id int4 PRIMARY KEY, name text NOT NULL, price numeric(8, 2))");
        await _conn.ExecuteAsync("INSERT INTO items SELECT g, 'item ' || g, g * 1.5 FROM generate_series(1, 10) g");
    }

    public async Task DisposeAsync() => await _conn.DisposeAsync();

    private long Count(string where = "true") => _conn.ExecuteScalar<long>($"SELECT count(*) FROM items WHERE {where}");

    [Fact]
    public void Execute_with_an_anonymous_object_binds_its_properties_by_name()
    {
        int rows = _conn.Execute("INSERT INTO items (id, name, price) VALUES (@Id, @Name, @Price)", new { Id = 11, Name = "new", Price = 2.25m });

        Assert.Equal(1, rows);
        Assert.Equal(("new", 2.25m), _conn.QuerySingle<(string, decimal)>("SELECT name, price FROM items WHERE id = 11"));
    }

    [Fact]
    public void Execute_with_a_list_of_objects_runs_the_command_for_each()
    {
        var added = Enumerable.Range(20, 5).Select(i => new Item { Id = i, Name = "bulk " + i }).ToList();

        int rows = _conn.Execute("INSERT INTO items (id, name) VALUES (@Id, @Name)", added);

        Assert.Equal(5, rows);
        Assert.Equal(added.Select(i => i.Name), _conn.Query<string>("SELECT name FROM items WHERE id >= 20 ORDER BY id"));
    }

    [Fact]
    public async Task ExecuteAsync_with_a_list_of_objects_updates_each()
    {
        int rows = await _conn.ExecuteAsync("UPDATE items SET price = @price WHERE id = @id",
            new[] { new { id = 1, price = 100m }, new { id = 2, price = 200m } });

        Assert.Equal(2, rows);
        Assert.Equal([100m, 200m], await _conn.QueryAsync<decimal>("SELECT price FROM items WHERE id <= 2 ORDER BY id"));
    }

    [Fact]
    public void IN_with_a_list_expands_to_one_parameter_per_element()
    {
        Assert.Equal([2, 4, 9], _conn.Query<int>("SELECT id FROM items WHERE id IN @ids ORDER BY id", new { ids = new[] { 9, 2, 4 } }));
        Assert.Equal([3], _conn.Query<int>("SELECT id FROM items WHERE name IN @names", new { names = new List<string> { "item 3", "none" } }));
    }

    [Fact]
    public void A_long_IN_list_binds_every_element()
    {
        var ids = Enumerable.Range(-2000, 2005).ToArray();

        Assert.Equal([1, 2, 3, 4], _conn.Query<int>("SELECT id FROM items WHERE id IN @ids ORDER BY id", new { ids }));
    }

    [Fact]
    public void ANY_takes_an_array_added_as_DbType_Object_even_an_empty_one()
    {
        // Dapper turns any collection into a list, (@ids1, @ids2); added as DbType.Object it goes as one array.
        var some = new DynamicParameters();
        some.Add("ids", new[] { 5, 7 }, DbType.Object);
        var none = new DynamicParameters();
        none.Add("ids", Array.Empty<int>(), DbType.Object);

        Assert.Equal([5, 7], _conn.Query<int>("SELECT id FROM items WHERE id = ANY(@ids) ORDER BY id", some));
        Assert.Empty(_conn.Query<int>("SELECT id FROM items WHERE id = ANY(@ids)", none));
    }

    [Fact]
    public void QueryMultiple_reads_the_result_of_each_statement()
    {
        using var results = _conn.QueryMultiple("""
            SELECT id, name FROM items WHERE id = @id;
            SELECT count(*) FROM items;
            SELECT name FROM items WHERE id IN @ids ORDER BY id
            """, new { id = 3, ids = new[] { 1, 2 } });

        var item = results.ReadSingle<Item>();
        long count = results.ReadSingle<long>();
        var names = results.Read<string>().ToList();

        Assert.Equal((3, "item 3"), (item.Id, item.Name));
        Assert.Equal(10L, count);
        Assert.Equal(["item 1", "item 2"], names);
    }

    [Fact]
    public async Task QueryMultipleAsync_reads_each_result_in_turn()
    {
        await using var results = await _conn.QueryMultipleAsync("""
            SELECT name FROM items WHERE id = @id;
            SELECT id, name FROM items WHERE id > @id ORDER BY id LIMIT 2
            """, new { id = 8 });

        Assert.Equal("item 8", await results.ReadSingleAsync<string>());
        Assert.Equal([9, 10], (await results.ReadAsync<Item>()).Select(i => i.Id));
        Assert.True(results.IsConsumed);
    }

    [Fact]
    public void A_committed_transaction_keeps_its_writes()
    {
        using (var tx = _conn.BeginTransaction())
        {
            _conn.Execute("DELETE FROM items WHERE id = @id", new { id = 1 }, tx);
            _conn.Execute("UPDATE items SET name = @name WHERE id = @id", new { id = 2, name = "changed" }, tx);
            tx.Commit();
        }

        Assert.Equal(9L, Count());
        Assert.Equal("changed", _conn.QuerySingle<string>("SELECT name FROM items WHERE id = 2"));
    }

    [Fact]
    public async Task A_rolled_back_transaction_leaves_nothing()
    {
        await using (var tx = await _conn.BeginTransactionAsync())
        {
            await _conn.ExecuteAsync("INSERT INTO items (id, name) VALUES (@id, @name)", new { id = 40, name = "temporary" }, tx);
            Assert.Equal(1L, await _conn.ExecuteScalarAsync<long>("SELECT count(*) FROM items WHERE id = 40", transaction: tx));
            await tx.RollbackAsync();
        }

        Assert.Equal(0L, Count("id = 40"));
    }

    [Fact]
    public void A_forgotten_parameter_object_is_an_error_not_a_query_on_abs()
    {
        // Sent as it is, @id would be abs(id): the DELETE would remove every row with a non-negative id.
        var e = Assert.Throws<ArgumentException>(() => _conn.Execute("DELETE FROM items WHERE id = @id"));

        Assert.Contains("@id", e.Message);
        Assert.Equal(10L, Count());
    }

    [Fact]
    public async Task Dapper_called_on_a_PgConnection_variable_reaches_PgConnection_s_own_Execute_which_says_so()
    {
        PgConnection conn = (PgConnection)_conn;

        // C# picks PgConnection's own Execute(string, params object?[]) over Dapper's extension method.
        var e = Assert.Throws<ArgumentException>(() => conn.Execute("DELETE FROM items WHERE id = @id", new { id = 1 }));
        await Assert.ThrowsAsync<ArgumentException>(async () => await conn.ExecuteAsync("DELETE FROM items WHERE id = @id"));

        Assert.Contains("Dapper", e.Message);
        Assert.Equal(10L, Count());
        Assert.Equal(1, SqlMapper.Execute(conn, "DELETE FROM items WHERE id = @id", new { id = 1 }));
        Assert.Equal(9L, Count());
    }

    [Fact]
    public void A_misspelt_placeholder_is_an_error_naming_it()
    {
        // Dapper sends only the properties the text names, so the text's @idd finds no parameter at all.
        var e = Assert.Throws<ArgumentException>(() => _conn.Query<Item>("SELECT * FROM items WHERE id = @idd", new { id = 1 }));

        Assert.Contains("@idd", e.Message);
    }
}
