using System.Data;
using System.Data.Common;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.AdoNet;

/// <summary>
/// PgDataReader.GetColumnSchema and GetSchemaTable on a real server: the RowDescription's facts always, the catalog's
/// facts (base names, nullability, keys...) with CommandBehavior.KeyInfo, checked against information_schema.
/// </summary>
[Collection("Database")]
public sealed class ColumnSchemaTests(DatabaseFixture db) : IAsyncLifetime
{
    private PgConnection _conn = null!;

    public async Task InitializeAsync()
    {
        _conn = await db.OpenAsync();
        await _conn.ExecuteAsync("""
            DROP TABLE IF EXISTS colschema_items;
            DROP DOMAIN IF EXISTS colschema_quantity;
            CREATE DOMAIN colschema_quantity AS integer CHECK (VALUE >= 0);
            CREATE TABLE colschema_items (
                id integer PRIMARY KEY,
                code varchar(12) NOT NULL UNIQUE,
                price numeric(10,2),
                quantity colschema_quantity,
                note text);
            """);
        // Apart: the statements of one command text are all described before the first runs.
        await _conn.ExecuteAsync("INSERT INTO colschema_items VALUES (1, 'a', 1.50, 3, 'x'), (2, 'b', NULL, NULL, NULL)");
    }

    public async Task DisposeAsync()
    {
        await _conn.ExecuteAsync("DROP TABLE IF EXISTS colschema_items; DROP DOMAIN IF EXISTS colschema_quantity");
        await _conn.DisposeAsync();
    }

    [Fact]
    public async Task With_KeyInfo_the_schema_table_agrees_with_information_schema()
    {
        await AssertSchemaTableAgreesWithInformationSchema(_conn, "colschema_items");
    }

    [Fact]
    public async Task A_table_and_a_domain_created_after_the_connection_opened_are_described_without_ReloadTypes()
    {
        await using var early = await db.OpenAsync();
        await using (var other = await db.OpenAsync())
        {
            await other.ExecuteAsync("""
                DROP TABLE IF EXISTS colschema_late;
                DROP DOMAIN IF EXISTS colschema_late_amount;
                CREATE DOMAIN colschema_late_amount AS numeric(8,3) NOT NULL;
                CREATE TABLE colschema_late (
                    late_id bigint PRIMARY KEY,
                    label varchar(5) NOT NULL,
                    ratio numeric(10,2),
                    amount colschema_late_amount)
                """);
        }
        try
        {
            var schema = await AssertSchemaTableAgreesWithInformationSchema(early, "colschema_late");

            var amount = schema.Rows.Cast<DataRow>().Single(r => (string)r["ColumnName"] == "amount");
            Assert.Equal(typeof(decimal), amount["DataType"]);
            // The domain's own precision and scale: the server sends its base type with the domain's modifier.
            Assert.Equal(8, amount["NumericPrecision"]);
            Assert.Equal(3, amount["NumericScale"]);
        }
        finally
        {
            await early.ExecuteAsync("DROP TABLE colschema_late; DROP DOMAIN colschema_late_amount");
        }
    }

    /// <summary>
    /// Reads <c>SELECT * FROM table</c> with KeyInfo and checks every column's schema row against information_schema:
    /// names, nullability, type name, length, precision and scale, and (for a domain column) the base type's .NET type.
    /// </summary>
    private static async Task<DataTable> AssertSchemaTableAgreesWithInformationSchema(PgConnection conn, string table)
    {
        var expected = await conn.QueryAsync("""
            SELECT c.column_name, c.is_nullable, c.data_type, c.character_maximum_length, c.numeric_precision, c.numeric_scale,
                   c.table_catalog, c.table_schema, c.table_name, c.domain_name, c.ordinal_position,
                   EXISTS (SELECT FROM information_schema.table_constraints tc
                           JOIN information_schema.key_column_usage k USING (constraint_catalog, constraint_schema, constraint_name)
                           WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_name = c.table_name
                             AND tc.table_schema = c.table_schema AND k.column_name = c.column_name) AS is_key
            FROM information_schema.columns c
            WHERE c.table_name = $1 AND c.table_schema = current_schema()
            ORDER BY c.ordinal_position
            """, table);
        Assert.NotEmpty(expected);

        await using var cmd = new PgCommand($"SELECT * FROM {table}", conn);
        await using var reader = await cmd.ExecuteReaderAsync(CommandBehavior.KeyInfo);
        var schema = reader.GetSchemaTable()!;

        Assert.Equal(expected.Count, schema.Rows.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            var info = expected[i];
            var row = schema.Rows[i];
            string name = (string)info["column_name"]!;
            Assert.Equal(name, row["ColumnName"]);
            Assert.Equal(name, row["BaseColumnName"]);
            Assert.Equal(i, row["ColumnOrdinal"]);
            Assert.Equal(info["table_name"], row["BaseTableName"]);
            Assert.Equal(info["table_schema"], row["BaseSchemaName"]);
            Assert.Equal(info["table_catalog"], row["BaseCatalogName"]);
            Assert.Equal((string)info["is_nullable"]! == "YES", row["AllowDBNull"]);
            Assert.Equal(info["is_key"], row["IsKey"]);
            Assert.Equal(info["data_type"], row["DataTypeName"]);
            if (info["character_maximum_length"] is int length) Assert.Equal(length, row["ColumnSize"]);
            if ((string)info["data_type"]! == "numeric")
            {
                Assert.Equal(info["numeric_precision"] ?? DBNull.Value, row["NumericPrecision"]);
                Assert.Equal(info["numeric_scale"] ?? DBNull.Value, row["NumericScale"]);
            }
            Assert.Equal(ExpectedClrType((string)info["data_type"]!), row["DataType"]);
            Assert.False((bool)row["IsExpression"]);
            Assert.False((bool)row["IsAliased"]);
        }
        return schema;
    }

    private static Type ExpectedClrType(string dataType) => dataType switch
    {
        "integer" => typeof(int),
        "bigint" => typeof(long),
        "numeric" => typeof(decimal),
        "character varying" or "text" => typeof(string),
        _ => throw new ArgumentOutOfRangeException(nameof(dataType), dataType, "not used by these tables"),
    };

    [Fact]
    public async Task A_domain_column_has_its_base_types_dotnet_type_and_the_domains_column_is_nullable()
    {
        await using var cmd = new PgCommand("SELECT quantity FROM colschema_items", _conn);
        await using var reader = await cmd.ExecuteReaderAsync(CommandBehavior.KeyInfo);
        var column = reader.GetColumnSchema().Single();

        Assert.Equal(typeof(int), column.DataType);
        Assert.Equal("integer", column.DataTypeName);
        Assert.True(column.AllowDBNull);
        Assert.Equal(4, column.ColumnSize);
    }

    [Fact]
    public async Task Varchar_length_numeric_precision_and_scale_come_from_the_type_modifier()
    {
        await using var cmd = new PgCommand("SELECT code, price, note, id FROM colschema_items", _conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        var columns = reader.GetColumnSchema();

        Assert.Equal(12, columns[0].ColumnSize);
        Assert.Equal((-1, 10, 2), (columns[1].ColumnSize, columns[1].NumericPrecision, columns[1].NumericScale));
        Assert.Equal((-1, (int?)null), (columns[2].ColumnSize, columns[2].NumericPrecision));
        Assert.Equal(4, columns[3].ColumnSize);
    }

    [Fact]
    public async Task Without_KeyInfo_the_catalogs_facts_are_unknown_and_the_RowDescriptions_are_given()
    {
        await using var cmd = new PgCommand("SELECT id, code, 1 + 1 AS two FROM colschema_items", _conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        var columns = reader.GetColumnSchema();

        var id = columns[0];
        Assert.Equal(("id", typeof(int), "integer"), (id.ColumnName, id.DataType, id.DataTypeName));
        Assert.NotEqual(0u, id.TableOid);
        Assert.Equal(1, id.ColumnAttributeNumber);
        Assert.Null(id.AllowDBNull);
        Assert.Null(id.IsKey);
        Assert.Null(id.BaseTableName);
        Assert.False(id.IsExpression);

        var two = columns[2];
        Assert.True(two.IsExpression);
        Assert.True(two.IsReadOnly);
        Assert.True(two.AllowDBNull);
        Assert.Equal(0u, two.TableOid);
    }

    [Fact]
    public async Task The_schema_table_is_read_while_rows_are_being_read_and_reading_goes_on()
    {
        await using var cmd = new PgCommand("SELECT id, code FROM colschema_items ORDER BY id", _conn);
        await using var reader = await cmd.ExecuteReaderAsync(CommandBehavior.KeyInfo);
        Assert.True(await reader.ReadAsync());
        Assert.Equal(1, reader.GetInt32(0));

        var schema = reader.GetSchemaTable()!;

        Assert.Equal(new object[] { true, false }, schema.Rows.Cast<DataRow>().Select(r => r["IsKey"]).ToArray());
        Assert.True(await reader.ReadAsync());
        Assert.Equal(2, reader.GetInt32(0));
        Assert.False(await reader.ReadAsync());
    }

    [Fact]
    public async Task A_second_KeyInfo_reader_over_the_same_table_runs_no_catalog_query()
    {
        await using var conn = await db.OpenAsync();
        for (int i = 0; i < 2; i++)
        {
            await using var cmd = new PgCommand("SELECT id, price FROM colschema_items WHERE id > $1", conn);
            cmd.Parameters.Add(new PgParameter(i));
            await using var reader = await cmd.ExecuteReaderAsync(CommandBehavior.KeyInfo);
            Assert.Equal("colschema_items", reader.GetColumnSchema()[0].BaseTableName);
        }
        await using (var cmd = new PgCommand("SELECT code FROM colschema_items", conn))
        await using (var reader = await cmd.ExecuteReaderAsync(CommandBehavior.KeyInfo))
            Assert.False(reader.GetColumnSchema()[0].AllowDBNull);

        Assert.Equal(1, conn.TableFacts.QueriesRun);
    }

    [Fact]
    public async Task DDL_on_the_connection_makes_it_look_the_table_up_again()
    {
        await using var conn = await db.OpenAsync();
        await conn.ExecuteAsync("CREATE TEMP TABLE colschema_changing (a int, b int)");
        Assert.Equal(new[] { false, false }, await KeysOf(conn, "SELECT a, b FROM colschema_changing"));

        await conn.ExecuteAsync("ALTER TABLE colschema_changing ADD PRIMARY KEY (a)");

        Assert.Equal(new[] { true, false }, await KeysOf(conn, "SELECT a, b FROM colschema_changing"));
    }

    [Fact]
    public async Task A_table_created_in_the_open_transaction_is_described_from_the_same_connection()
    {
        await using var conn = await db.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await conn.ExecuteAsync("CREATE TABLE colschema_uncommitted (k text PRIMARY KEY, v int NOT NULL)");

        await using var cmd = new PgCommand("SELECT k, v FROM colschema_uncommitted", conn);
        await using var reader = await cmd.ExecuteReaderAsync(CommandBehavior.KeyInfo);
        var columns = reader.GetColumnSchema();

        Assert.Equal(("colschema_uncommitted", true, false), (columns[0].BaseTableName, columns[0].IsKey, columns[0].AllowDBNull));
        Assert.Equal((false, false), (columns[1].IsKey, columns[1].AllowDBNull));
    }

    [Fact]
    public async Task Identity_serial_generated_unique_and_aliased_columns_are_described_as_such()
    {
        await using var conn = await db.OpenAsync();
        await conn.ExecuteAsync("""
            CREATE TEMP TABLE colschema_kinds (
                ident int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                ser serial,
                plain int UNIQUE,
                doubled int GENERATED ALWAYS AS (plain * 2) STORED)
            """);
        await using var cmd = new PgCommand("SELECT ident, ser, plain AS renamed, doubled FROM colschema_kinds", conn);
        await using var reader = await cmd.ExecuteReaderAsync(CommandBehavior.KeyInfo);
        var c = reader.GetColumnSchema();

        Assert.Equal((true, true, true, false), (c[0].IsAutoIncrement, c[0].IsIdentity, c[0].IsKey, c[0].IsReadOnly));
        Assert.Equal((true, false, false), (c[1].IsAutoIncrement, c[1].IsIdentity, c[1].IsKey));
        Assert.Equal((true, true, "plain", false), (c[2].IsUnique, c[2].IsAliased, c[2].BaseColumnName, c[2].IsAutoIncrement));
        Assert.Equal((true, false), (c[3].IsReadOnly, c[3].IsAliased));
    }

    [Fact]
    public async Task Columns_of_a_view_are_read_only_when_the_view_cannot_be_updated()
    {
        await using var conn = await db.OpenAsync();
        await conn.ExecuteAsync("CREATE TEMP VIEW colschema_simple AS SELECT id, code FROM colschema_items");
        await conn.ExecuteAsync("CREATE TEMP VIEW colschema_counted AS SELECT id, count(*) OVER () AS n FROM colschema_items");

        try
        {
            await using (var cmd = new PgCommand("SELECT id, code FROM colschema_simple", conn))
            await using (var reader = await cmd.ExecuteReaderAsync(CommandBehavior.KeyInfo))
            {
                var columns = reader.GetColumnSchema();
                Assert.Equal(["colschema_simple", "colschema_simple"], columns.Select(c => c.BaseTableName));
                Assert.Equal([false, false], columns.Select(c => c.IsReadOnly!.Value));
            }
            await using (var cmd = new PgCommand("SELECT id, n FROM colschema_counted", conn))
            await using (var reader = await cmd.ExecuteReaderAsync(CommandBehavior.KeyInfo))
                Assert.Equal([true, true], reader.GetColumnSchema().Select(c => c.IsReadOnly!.Value));
        }
        finally
        {
            // Temporary views outlive the connection's return to the pool; the table they read is dropped after the test.
            await conn.ExecuteAsync("DROP VIEW colschema_simple, colschema_counted");
        }
    }

    [Fact]
    public async Task Part_of_a_composite_primary_key_is_not_reported_as_a_key()
    {
        await using var conn = await db.OpenAsync();
        await conn.ExecuteAsync("CREATE TEMP TABLE colschema_pair (a int, b int, c int, PRIMARY KEY (a, b))");

        Assert.Equal(new[] { true, true, false }, await KeysOf(conn, "SELECT a, b, c FROM colschema_pair"));
        Assert.Equal(new[] { false, false }, await KeysOf(conn, "SELECT a, c FROM colschema_pair"));
    }

    [Fact]
    public async Task SchemaOnly_with_KeyInfo_describes_without_rows()
    {
        await using var cmd = new PgCommand("SELECT id, code FROM colschema_items", _conn);
        await using var reader = await cmd.ExecuteReaderAsync(CommandBehavior.SchemaOnly | CommandBehavior.KeyInfo);

        var columns = reader.GetColumnSchema();

        Assert.Equal([true, false], columns.Select(c => c.IsKey!.Value));
        Assert.False(await reader.ReadAsync());
    }

    [Fact]
    public async Task A_batch_opened_with_KeyInfo_describes_each_result()
    {
        await using var batch = new PgBatch(_conn);
        batch.BatchCommands.Add(new PgBatchCommand("SELECT id FROM colschema_items"));
        batch.BatchCommands.Add(new PgBatchCommand("SELECT code, note FROM colschema_items"));
        await using var reader = await batch.ExecuteReaderAsync(CommandBehavior.KeyInfo);

        Assert.True(reader.GetColumnSchema()[0].IsKey);
        Assert.True(await reader.NextResultAsync());
        var second = reader.GetColumnSchema();
        Assert.Equal([false, true], second.Select(c => c.AllowDBNull!.Value));
    }

    [Fact]
    public async Task A_command_without_rows_has_no_schema_table_and_a_closed_reader_refuses()
    {
        await using var cmd = new PgCommand("UPDATE colschema_items SET note = note WHERE id = -1", _conn);
        var reader = await cmd.ExecuteReaderAsync();

        Assert.Null(reader.GetSchemaTable());
        Assert.Empty(reader.GetColumnSchema());
        await reader.DisposeAsync();
        Assert.Throws<InvalidOperationException>(() => reader.GetSchemaTable());
    }

    [Fact]
    public async Task The_extension_method_GetColumnSchema_returns_PgDbColumns()
    {
        await using var cmd = new PgCommand("SELECT id FROM colschema_items", _conn);
        await using DbDataReader reader = await cmd.ExecuteReaderAsync(CommandBehavior.KeyInfo);

        Assert.True(reader.CanGetColumnSchema());
        var column = Assert.IsType<PgDbColumn>(Assert.Single(await reader.GetColumnSchemaAsync()));
        Assert.True(column.IsKey);
    }

    private static async Task<bool[]> KeysOf(PgConnection conn, string sql)
    {
        await using var cmd = new PgCommand(sql, conn);
        await using var reader = await cmd.ExecuteReaderAsync(CommandBehavior.KeyInfo);
        return reader.GetColumnSchema().Select(c => c.IsKey!.Value).ToArray();
    }
}
