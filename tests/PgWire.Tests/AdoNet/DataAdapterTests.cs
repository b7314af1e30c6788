using System.Data;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.AdoNet;

/// <summary>DataTable.Load, PgDataAdapter.Fill and PgCommandBuilder's generated commands saving edits to a real server.</summary>
[Collection("Database")]
public sealed class DataAdapterTests(DatabaseFixture db) : IAsyncLifetime
{
    private PgConnection _conn = null!;

    public async Task InitializeAsync()
    {
        _conn = await db.OpenAsync();
        await _conn.ExecuteAsync("""
            DROP TABLE IF EXISTS adapter_products;
            CREATE TABLE adapter_products (id integer PRIMARY KEY, name text NOT NULL, price numeric(10,2));
            """);
        // Apart: the statements of one command text are all described before the first runs.
        await _conn.ExecuteAsync("INSERT INTO adapter_products VALUES (1, 'apple', 1.20), (2, 'pear', NULL), (3, 'plum', 0.80)");
    }

    public async Task DisposeAsync()
    {
        await _conn.ExecuteAsync("DROP TABLE IF EXISTS adapter_products");
        await _conn.DisposeAsync();
    }

    [Fact]
    public async Task DataTable_Load_reads_every_row_with_the_columns_types()
    {
        await using var cmd = new PgCommand("SELECT id, name, price FROM adapter_products ORDER BY id", _conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        var table = new DataTable();

        table.Load(reader);

        Assert.Equal(3, table.Rows.Count);
        Assert.Equal([typeof(int), typeof(string), typeof(decimal)], table.Columns.Cast<DataColumn>().Select(c => c.DataType));
        Assert.Equal("pear", table.Rows[1]["name"]);
        Assert.Equal(DBNull.Value, table.Rows[1]["price"]);
        Assert.Equal(0.80m, table.Rows[2]["price"]);
        Assert.Empty(table.PrimaryKey);
    }

    [Fact]
    public async Task DataTable_Load_of_a_KeyInfo_reader_sets_the_primary_key_and_the_NOT_NULL_columns()
    {
        await using var cmd = new PgCommand("SELECT id, name, price FROM adapter_products ORDER BY id", _conn);
        await using var reader = await cmd.ExecuteReaderAsync(CommandBehavior.KeyInfo);
        var table = new DataTable();

        table.Load(reader);

        Assert.Equal(["id"], table.PrimaryKey.Select(c => c.ColumnName));
        Assert.False(table.Columns["name"]!.AllowDBNull);
        Assert.True(table.Columns["price"]!.AllowDBNull);
        Assert.Equal(3, table.Rows.Count);
    }

    [Fact]
    public void Fill_with_AddWithKey_gives_the_table_its_primary_key_and_NOT_NULL_columns()
    {
        using var adapter = new PgDataAdapter("SELECT id, name, price FROM adapter_products", _conn)
        {
            MissingSchemaAction = MissingSchemaAction.AddWithKey,
        };
        var table = new DataTable();

        adapter.Fill(table);

        Assert.Equal(["id"], table.PrimaryKey.Select(c => c.ColumnName));
        Assert.False(table.Columns["name"]!.AllowDBNull);
        Assert.Equal("pear", table.Rows.Find(2)!["name"]);
    }

    [Fact]
    public void Fill_then_Update_through_the_command_builder_inserts_updates_and_deletes()
    {
        using var adapter = new PgDataAdapter("SELECT id, name, price FROM adapter_products ORDER BY id", _conn);
        using var builder = new PgCommandBuilder(adapter);
        var table = new DataTable();
        Assert.Equal(3, adapter.Fill(table));

        table.Rows[0]["name"] = "green apple";   // update
        table.Rows[1]["price"] = 2.50m;          // update of a NULL
        table.Rows[2].Delete();                  // delete
        table.Rows.Add(4, "quince", null);       // insert
        int saved = adapter.Update(table);

        Assert.Equal(4, saved);
        var rows = _conn.Query("SELECT id, name, price FROM adapter_products ORDER BY id");
        Assert.Equal(
            [(1, "green apple", (decimal?)1.20m), (2, "pear", 2.50m), (4, "quince", null)],
            rows.Select(r => (r.Get<int>(0), r.Get<string>(1), r.Get<decimal?>(2))));
    }

    [Fact]
    public void Update_of_a_row_changed_by_someone_else_since_Fill_is_a_concurrency_violation()
    {
        using var adapter = new PgDataAdapter("SELECT id, name, price FROM adapter_products", _conn);
        using var builder = new PgCommandBuilder(adapter);
        var table = new DataTable();
        adapter.Fill(table);
        _conn.Execute("UPDATE adapter_products SET price = 9.99 WHERE id = 1");

        table.Select("id = 1")[0]["name"] = "mine";

        Assert.Throws<DBConcurrencyException>(() => adapter.Update(table));
        Assert.Equal("apple", _conn.Query("SELECT name FROM adapter_products WHERE id = 1")[0].Get<string>(0));
    }

    [Fact]
    public void The_command_builder_writes_positional_placeholders_and_quoted_identifiers()
    {
        using var adapter = new PgDataAdapter("SELECT id, name, price FROM adapter_products", _conn);
        using var builder = new PgCommandBuilder(adapter);

        var insert = builder.GetInsertCommand();
        var update = builder.GetUpdateCommand();
        var delete = builder.GetDeleteCommand();

        string table = $"\"{_conn.Database}\".\"public\".\"adapter_products\"";
        Assert.Equal($"INSERT INTO {table} (\"id\", \"name\", \"price\") VALUES ($1, $2, $3)", insert.CommandText);
        Assert.StartsWith($"UPDATE {table} SET \"id\" = $1, \"name\" = $2, \"price\" = $3 WHERE ((\"id\" = $4) AND (\"name\" = $5)", update.CommandText);
        Assert.Equal(3 + 4, update.Parameters.Count);
        Assert.Equal($"DELETE FROM {table} WHERE ((\"id\" = $1) AND (\"name\" = $2) AND (($3 = 1 AND \"price\" IS NULL) OR (\"price\" = $4)))",
            delete.CommandText);
        Assert.All(delete.Parameters, p => Assert.Equal("", p.ParameterName));
    }

    [Fact]
    public void An_identity_column_is_left_to_the_server_on_insert()
    {
        _conn.Execute("CREATE TEMP TABLE adapter_tickets (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, title text)");
        using var adapter = new PgDataAdapter("SELECT id, title FROM adapter_tickets", _conn);
        using var builder = new PgCommandBuilder(adapter);
        var table = new DataTable();
        adapter.Fill(table);

        table.Rows.Add(null, "first");
        table.Rows.Add(null, "second");
        adapter.Update(table);

        Assert.DoesNotContain("\"id\"", builder.GetInsertCommand().CommandText);
        Assert.Equal([(1, "first"), (2, "second")],
            _conn.Query("SELECT id, title FROM adapter_tickets ORDER BY id").Select(r => (r.Get<int>(0), r.Get<string>(1))));
    }

    [Fact]
    public void RowUpdating_and_RowUpdated_are_raised_for_each_saved_row_with_its_command()
    {
        using var adapter = new PgDataAdapter("SELECT id, name, price FROM adapter_products", _conn);
        using var builder = new PgCommandBuilder(adapter);
        var table = new DataTable();
        adapter.Fill(table);
        var seen = new List<string>();
        adapter.RowUpdating += (_, e) => seen.Add($"updating {e.StatementType} {e.Command?.CommandText.Split(' ')[0]}");
        adapter.RowUpdated += (_, e) => seen.Add($"updated {e.StatementType} {e.RecordsAffected}");

        table.Select("id = 2")[0]["name"] = "nashi";
        adapter.Update(table);

        Assert.Equal(["updating Update UPDATE", "updated Update 1"], seen);
    }

    [Fact]
    public void A_select_of_a_table_without_a_key_cannot_have_an_update_command_generated()
    {
        _conn.Execute("CREATE TEMP TABLE adapter_log (line text)");
        using var adapter = new PgDataAdapter("SELECT line FROM adapter_log", _conn);
        using var builder = new PgCommandBuilder(adapter);

        Assert.Throws<InvalidOperationException>(() => builder.GetUpdateCommand());
        Assert.StartsWith("INSERT INTO", builder.GetInsertCommand().CommandText);
    }

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("Mixed Case", "\"Mixed Case\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    public void QuoteIdentifier_and_UnquoteIdentifier_are_inverse(string name, string quoted)
    {
        var builder = new PgCommandBuilder();

        Assert.Equal(quoted, builder.QuoteIdentifier(name));
        Assert.Equal(name, builder.UnquoteIdentifier(quoted));
    }

    [Fact]
    public void Fill_opens_and_closes_a_closed_connection_itself()
    {
        using var conn = new PgConnection(db.ConnectionString);
        using var adapter = new PgDataAdapter("SELECT id FROM adapter_products", conn);
        var set = new DataSet();

        adapter.Fill(set);

        Assert.Equal(3, set.Tables[0].Rows.Count);
        Assert.Equal(ConnectionState.Closed, conn.State);
    }
}
