using System.Data;
using System.Data.Common;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Integration;

/// <summary>PgCommand and PgDataReader: the ADO.NET surface, synchronous and asynchronous.</summary>
[Collection("Database")]
public sealed class DataReaderTests(DatabaseFixture db) : IAsyncLifetime
{
    private PgConnection _conn = null!;

    public async Task InitializeAsync()
    {
        _conn = await db.OpenAsync();
        await _conn.ExecuteAsync("CREATE TEMP TABLE items (id int4 PRIMARY KEY, label text, price numeric)");
        await _conn.ExecuteAsync("INSERT INTO items VALUES (1, 'one', 1.10), (2, NULL, 2.20), (3, 'three', NULL)");
    }

    public async Task DisposeAsync() => await _conn.DisposeAsync();

    [Fact]
    public void ExecuteReader_reads_rows_with_the_synchronous_methods()
    {
        using var cmd = new PgCommand("SELECT id, label FROM items ORDER BY id", _conn);
        using var reader = cmd.ExecuteReader();
        var seen = new List<(int, string?)>();

        while (reader.Read())
            seen.Add((reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetString(1)));

        Assert.Equal([(1, "one"), (2, null), (3, "three")], seen);
    }

    [Fact]
    public async Task ExecuteReaderAsync_reads_rows_with_the_asynchronous_methods()
    {
        await using var cmd = new PgCommand("SELECT id FROM items WHERE id >= $1 ORDER BY id", _conn);
        cmd.Parameters.Add(new PgParameter { Value = 2 });
        await using var reader = await cmd.ExecuteReaderAsync();
        var ids = new List<int>();

        while (await reader.ReadAsync()) ids.Add(reader.GetFieldValue<int>(0));

        Assert.Equal([2, 3], ids);
    }

    [Fact]
    public void A_reader_reports_field_count_names_and_ordinals()
    {
        using var cmd = new PgCommand("SELECT id, label AS name, price FROM items", _conn);
        using var reader = cmd.ExecuteReader();

        Assert.Equal(3, reader.FieldCount);
        Assert.Equal("name", reader.GetName(1));
        Assert.Equal(2, reader.GetOrdinal("price"));
    }

    [Fact]
    public void GetOrdinal_of_an_unknown_column_throws_IndexOutOfRangeException()
    {
        using var cmd = new PgCommand("SELECT id FROM items", _conn);
        using var reader = cmd.ExecuteReader();

        Assert.Throws<IndexOutOfRangeException>(() => reader.GetOrdinal("nope"));
    }

    [Fact]
    public void A_reader_gives_values_by_column_name()
    {
        using var cmd = new PgCommand("SELECT id, label FROM items WHERE id = 1", _conn);
        using var reader = cmd.ExecuteReader();
        Assert.True(reader.Read());

        Assert.Equal("one", reader["label"]);
        Assert.Equal(1, reader["id"]);
    }

    [Fact]
    public void HasRows_is_true_for_a_result_with_rows_and_false_for_an_empty_one()
    {
        using (var cmd = new PgCommand("SELECT id FROM items", _conn))
        using (var reader = cmd.ExecuteReader())
            Assert.True(reader.HasRows);

        using (var cmd = new PgCommand("SELECT id FROM items WHERE false", _conn))
        using (var reader = cmd.ExecuteReader())
            Assert.False(reader.HasRows);
    }

    [Fact]
    public void Reading_a_value_before_Read_throws_InvalidOperationException()
    {
        using var cmd = new PgCommand("SELECT id FROM items", _conn);
        using var reader = cmd.ExecuteReader();

        Assert.Throws<InvalidOperationException>(() => reader.GetInt32(0));
    }

    [Fact]
    public void GetValues_fills_an_array_with_the_row_and_DBNull_for_NULL()
    {
        using var cmd = new PgCommand("SELECT id, label, price FROM items WHERE id = 2", _conn);
        using var reader = cmd.ExecuteReader();
        Assert.True(reader.Read());
        var values = new object[3];

        Assert.Equal(3, reader.GetValues(values));
        Assert.Equal([2, DBNull.Value, 2.20m], values);
    }

    public static TheoryData<string, Type, string> ColumnTypes => new()
    {
        { "SELECT 1::int2", typeof(short), "smallint" },
        { "SELECT 1::int4", typeof(int), "integer" },
        { "SELECT 1::int8", typeof(long), "bigint" },
        { "SELECT true", typeof(bool), "boolean" },
        { "SELECT 1::float4", typeof(float), "real" },
        { "SELECT 1::float8", typeof(double), "double precision" },
        { "SELECT 1::numeric", typeof(decimal), "numeric" },
        { "SELECT 'a'::text", typeof(string), "text" },
        { "SELECT 'a'::varchar", typeof(string), "character varying" },
        { "SELECT 'a'::bpchar", typeof(string), "character" },
        { "SELECT 'a'::name", typeof(string), "name" },
        { "SELECT 'a'::\"char\"", typeof(char), "\"char\"" },
        { "SELECT '\\x01'::bytea", typeof(byte[]), "bytea" },
        { "SELECT 1::oid", typeof(uint), "oid" },
        { "SELECT pg_sleep(0)", typeof(DBNull), "void" },
    };

    [Theory]
    [MemberData(nameof(ColumnTypes))]
    public void GetFieldType_and_GetDataTypeName_report_the_column_type(string sql, Type fieldType, string dataTypeName)
    {
        using var cmd = new PgCommand(sql, _conn);
        using var reader = cmd.ExecuteReader();

        Assert.Equal(fieldType, reader.GetFieldType(0));
        Assert.Equal(dataTypeName, reader.GetDataTypeName(0));
    }

    public static TheoryData<string, Type> ColumnFieldTypes()
    {
        var data = new TheoryData<string, Type>();
        foreach (var row in ColumnTypes) data.Add((string)row[0], (Type)row[1]);
        return data;
    }

    [Theory]
    [MemberData(nameof(ColumnFieldTypes))]
    public void GetValue_returns_an_instance_of_GetFieldType(string sql, Type fieldType)
    {
        using var cmd = new PgCommand(sql, _conn);
        using var reader = cmd.ExecuteReader();
        Assert.True(reader.Read());

        Assert.IsType(fieldType, reader.GetValue(0));
    }

    [Theory]
    [InlineData("SELECT 42", typeof(int), 42)]
    [InlineData("SELECT 42::int8", typeof(long), 42L)]
    [InlineData("SELECT 42::int2", typeof(short), (short)42)]
    [InlineData("SELECT 'x'::text", typeof(string), "x")]
    [InlineData("SELECT true", typeof(bool), true)]
    [InlineData("SELECT 0.5::float8", typeof(double), 0.5)]
    public void ExecuteScalar_returns_the_value_boxed_as_its_default_type(string sql, Type type, object expected)
    {
        using var cmd = new PgCommand(sql, _conn);

        object? value = cmd.ExecuteScalar();

        Assert.IsType(type, value);
        Assert.Equal(expected, value);
    }

    [Fact]
    public void ExecuteScalar_of_a_numeric_returns_a_boxed_decimal() =>
        Assert.Equal(1.10m, Assert.IsType<decimal>(new PgCommand("SELECT price FROM items WHERE id = 1", _conn).ExecuteScalar()));

    [Fact]
    public async Task ExecuteScalarAsync_of_NULL_returns_DBNull() =>
        Assert.Same(DBNull.Value, await new PgCommand("SELECT label FROM items WHERE id = 2", _conn).ExecuteScalarAsync());

    [Fact]
    public async Task ExecuteScalarAsync_of_no_row_returns_null() =>
        Assert.Null(await new PgCommand("SELECT label FROM items WHERE false", _conn).ExecuteScalarAsync());

    [Fact]
    public async Task ExecuteNonQueryAsync_returns_rows_affected()
    {
        await using var cmd = new PgCommand("UPDATE items SET label = $1 WHERE id <= $2", _conn);
        cmd.Parameters.AddWithValue("new");
        cmd.Parameters.AddWithValue(2);

        Assert.Equal(2, await cmd.ExecuteNonQueryAsync());
    }

    [Fact]
    public void ExecuteNonQuery_returns_rows_affected() =>
        Assert.Equal(3, new PgCommand("DELETE FROM items", _conn).ExecuteNonQuery());

    [Fact]
    public void RecordsAffected_of_a_reader_over_an_UPDATE_is_its_row_count()
    {
        using var cmd = new PgCommand("UPDATE items SET price = 0", _conn);
        using var reader = cmd.ExecuteReader();
        while (reader.Read()) { }

        Assert.Equal(3, reader.RecordsAffected);
    }

    [Fact]
    public async Task Running_a_second_command_while_a_reader_is_open_throws_InvalidOperationException()
    {
        await using var cmd = new PgCommand("SELECT id FROM items ORDER BY id", _conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());

        await Assert.ThrowsAsync<InvalidOperationException>(() => _conn.QueryAsync("SELECT 1").AsTask());
    }

    [Fact]
    public async Task A_reader_keeps_its_rows_after_a_second_command_was_refused()
    {
        await using var cmd = new PgCommand("SELECT id FROM items ORDER BY id", _conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        await Assert.ThrowsAsync<InvalidOperationException>(() => new PgCommand("SELECT 1", _conn).ExecuteScalarAsync());

        var rest = new List<int>();
        while (await reader.ReadAsync()) rest.Add(reader.GetInt32(0));

        Assert.Equal([2, 3], rest);
    }

    [Fact]
    public async Task After_disposing_a_reader_left_open_mid_result_the_connection_runs_the_next_command()
    {
        var cmd = new PgCommand("SELECT id FROM items ORDER BY id", _conn);
        var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        await Assert.ThrowsAsync<InvalidOperationException>(() => _conn.QueryAsync("SELECT 1").AsTask());

        await reader.DisposeAsync();

        Assert.Equal(3L, await _conn.QueryScalarAsync<long>("SELECT count(*) FROM items"));
    }

    [Fact]
    public void SchemaOnly_returns_the_column_names_and_no_rows()
    {
        using var cmd = new PgCommand("SELECT 1 AS a", _conn);
        using var reader = cmd.ExecuteReader(CommandBehavior.SchemaOnly);

        Assert.Equal(1, reader.FieldCount);
        Assert.Equal("a", reader.GetName(0));
        Assert.Equal(typeof(int), reader.GetFieldType(0));
        Assert.False(reader.Read());
    }

    [Fact]
    public async Task SchemaOnly_does_not_execute_the_statement()
    {
        await using (var cmd = new PgCommand("INSERT INTO items VALUES (99, 'schema only', 0) RETURNING id, label", _conn))
        await using (var reader = await cmd.ExecuteReaderAsync(CommandBehavior.SchemaOnly))
        {
            Assert.Equal(["id", "label"], Enumerable.Range(0, reader.FieldCount).Select(reader.GetName));
        }

        Assert.Equal(0L, await _conn.QueryScalarAsync<long>("SELECT count(*) FROM items WHERE id = 99"));
    }

    [Fact]
    public void CloseConnection_closes_the_connection_when_the_reader_is_disposed()
    {
        using (var cmd = new PgCommand("SELECT id FROM items", _conn))
        using (var reader = cmd.ExecuteReader(CommandBehavior.CloseConnection))
        {
            Assert.True(reader.Read());
        }

        Assert.Equal(ConnectionState.Closed, _conn.State);
    }

    [Fact]
    public void SingleRow_returns_at_most_one_row_and_leaves_the_connection_ready()
    {
        using (var cmd = new PgCommand("SELECT id FROM items ORDER BY id", _conn))
        using (var reader = cmd.ExecuteReader(CommandBehavior.SingleRow))
        {
            Assert.True(reader.Read());
            Assert.Equal(1, reader.GetInt32(0));
            Assert.False(reader.Read());
        }

        Assert.Equal(1, _conn.Query("SELECT 1")[0][0]);
    }

    [Fact]
    public void Generic_ADO_NET_code_works_through_the_DbConnection_abstractions()
    {
        DbConnection connection = _conn;
        using DbCommand cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT label FROM items WHERE id = $1";
        DbParameter p = cmd.CreateParameter();
        p.Value = 3;
        cmd.Parameters.Add(p);

        Assert.Equal("three", cmd.ExecuteScalar());
    }

    [Fact]
    public async Task A_parameter_with_DbType_Int64_is_sent_as_bigint()
    {
        await using var cmd = new PgCommand("SELECT pg_typeof($1)::text", _conn);
        cmd.Parameters.Add(new PgParameter { Value = 5, DbType = DbType.Int64 });

        Assert.Equal("bigint", await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_command_can_run_again_with_new_parameter_values()
    {
        await using var cmd = new PgCommand("SELECT label FROM items WHERE id = $1", _conn);
        var p = cmd.Parameters.Add(new PgParameter { Value = 1 });
        Assert.Equal("one", await cmd.ExecuteScalarAsync());

        p.Value = 3;

        Assert.Equal("three", await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public void A_command_without_a_connection_throws_InvalidOperationException() =>
        Assert.Throws<InvalidOperationException>(() => new PgCommand("SELECT 1").ExecuteScalar());

    [Fact]
    public void A_command_on_a_closed_connection_throws_InvalidOperationException()
    {
        using var closed = new PgConnection(db.ConnectionString);

        Assert.Throws<InvalidOperationException>(() => new PgCommand("SELECT 1", closed).ExecuteScalar());
    }
}
