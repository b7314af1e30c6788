using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Integration;

/// <summary>The native surface: QueryAsync, ExecuteAsync, QueryScalarAsync and their synchronous twins, and PgRow.</summary>
[Collection("Database")]
public sealed class NativeApiTests(DatabaseFixture db) : IAsyncLifetime
{
    private PgConnection _conn = null!;

    public async Task InitializeAsync()
    {
        _conn = await db.OpenAsync();
        await _conn.ExecuteAsync("CREATE TEMP TABLE people (id int4 PRIMARY KEY, name text, is_active bool)");
        await _conn.ExecuteAsync("INSERT INTO people VALUES (1, 'Alice', true), (2, 'Bob', false), (3, 'Carol', true)");
    }

    public async Task DisposeAsync() => await _conn.DisposeAsync();

    [Fact]
    public async Task QueryAsync_returns_every_row_with_the_result_column_names()
    {
        var rows = await _conn.QueryAsync("SELECT id, name, is_active FROM people ORDER BY id");

        Assert.Equal(3, rows.Count);
        Assert.Equal(["id", "name", "is_active"], rows[0].ColumnNames);
    }

    [Fact]
    public async Task A_row_gives_its_values_by_column_name_and_by_ordinal()
    {
        var row = (await _conn.QueryAsync("SELECT id, name, is_active FROM people WHERE id = $1", 2))[0];

        Assert.Equal(2, row["id"]);
        Assert.Equal("Bob", row["name"]);
        Assert.Equal(false, row["is_active"]);
        Assert.Equal(2, row[0]);
        Assert.Equal("Bob", row[1]);
        Assert.Equal(false, row[2]);
    }

    [Fact]
    public async Task A_column_name_matches_ignoring_case_when_there_is_no_exact_match()
    {
        var row = (await _conn.QueryAsync("SELECT name FROM people WHERE id = 1"))[0];

        Assert.Equal("Alice", row["NAME"]);
    }

    [Fact]
    public async Task An_exact_column_name_match_wins_over_a_case_insensitive_one()
    {
        var row = (await _conn.QueryAsync("SELECT 1 AS \"Value\", 2 AS value"))[0];

        Assert.Equal(1, row["Value"]);
        Assert.Equal(2, row["value"]);
    }

    [Fact]
    public async Task A_row_asked_for_a_column_it_does_not_have_throws_ArgumentException_listing_its_columns()
    {
        var row = (await _conn.QueryAsync("SELECT id, name FROM people WHERE id = 1"))[0];

        var e = Assert.Throws<ArgumentException>(() => row["nickname"]);

        Assert.Contains("id, name", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_converts_an_int_column_to_long()
    {
        var row = (await _conn.QueryAsync("SELECT id FROM people WHERE id = 3"))[0];

        Assert.Equal(3L, row.Get<long>("id"));
        Assert.Equal(3L, row.Get<long>(0));
    }

    [Fact]
    public async Task Get_refuses_to_narrow_a_value_that_does_not_fit()
    {
        var row = (await _conn.QueryAsync("SELECT 3000000000::int8 AS big"))[0];

        Assert.Throws<PgConversionException>(() => row.Get<int>("big"));
    }

    [Fact]
    public async Task Get_of_a_NULL_column_is_null_for_a_nullable_type_and_InvalidCastException_for_a_value_type()
    {
        var row = (await _conn.QueryAsync("SELECT NULL::int4 AS n"))[0];

        Assert.Null(row.Get<int?>("n"));
        Assert.Throws<InvalidCastException>(() => row.Get<int>("n"));
    }

    [Fact]
    public async Task QueryAsync_of_no_rows_returns_an_empty_list() =>
        Assert.Empty(await _conn.QueryAsync("SELECT id FROM people WHERE id = $1", 99));

    [Fact]
    public async Task QueryAsync_returns_the_rows_of_INSERT_RETURNING()
    {
        var rows = await _conn.QueryAsync("INSERT INTO people VALUES ($1, $2, $3) RETURNING id, name", 4, "Dave", true);

        Assert.Equal("Dave", Assert.Single(rows)["name"]);
    }

    [Fact]
    public async Task A_parameter_can_be_used_several_times_in_one_statement() =>
        Assert.Equal(14, await _conn.QueryScalarAsync<int>("SELECT $1::int4 + $1 * $2", 2, 6));

    [Fact]
    public async Task QueryScalarAsync_returns_the_first_column_of_the_first_row() =>
        Assert.Equal("Alice", await _conn.QueryScalarAsync<string>("SELECT name, id FROM people ORDER BY id"));

    [Fact]
    public async Task QueryScalarAsync_of_NULL_as_a_nullable_int_is_null() =>
        Assert.Null(await _conn.QueryScalarAsync<int?>("SELECT NULL::int4"));

    [Fact]
    public async Task QueryScalarAsync_of_NULL_as_int_throws_InvalidCastException() =>
        await Assert.ThrowsAsync<InvalidCastException>(() => _conn.QueryScalarAsync<int>("SELECT NULL::int4").AsTask());

    [Fact]
    public async Task QueryScalarAsync_of_no_row_is_null_for_a_nullable_type() =>
        Assert.Null(await _conn.QueryScalarAsync<int?>("SELECT id FROM people WHERE false"));

    [Fact]
    public async Task QueryScalarAsync_of_no_row_as_int_throws_InvalidCastException() =>
        await Assert.ThrowsAsync<InvalidCastException>(() => _conn.QueryScalarAsync<int>("SELECT id FROM people WHERE false").AsTask());

    [Fact]
    public async Task The_connection_is_usable_after_QueryScalarAsync_threw_InvalidCastException()
    {
        await Assert.ThrowsAsync<InvalidCastException>(() => _conn.QueryScalarAsync<int>("SELECT NULL::int4").AsTask());

        Assert.Equal(3L, await _conn.QueryScalarAsync<long>("SELECT count(*) FROM people"));
    }

    [Fact]
    public async Task ExecuteAsync_returns_the_number_of_rows_inserted() =>
        Assert.Equal(2L, await _conn.ExecuteAsync("INSERT INTO people VALUES ($1, 'x', true), ($2, 'y', false)", 10, 11));

    [Fact]
    public async Task ExecuteAsync_returns_the_number_of_rows_updated() =>
        Assert.Equal(2L, await _conn.ExecuteAsync("UPDATE people SET name = name || '!' WHERE is_active = $1", true));

    [Fact]
    public async Task ExecuteAsync_returns_the_number_of_rows_deleted() =>
        Assert.Equal(1L, await _conn.ExecuteAsync("DELETE FROM people WHERE id = $1", 2));

    [Fact]
    public async Task ExecuteAsync_returns_zero_when_no_row_matches() =>
        Assert.Equal(0L, await _conn.ExecuteAsync("DELETE FROM people WHERE id = $1", 99));

    [Fact]
    public async Task ExecuteAsync_returns_minus_one_for_a_command_that_reports_no_row_count() =>
        Assert.Equal(-1L, await _conn.ExecuteAsync("CREATE TEMP TABLE scratch (x int4)"));

    [Fact]
    public async Task ExecuteAsync_of_a_SELECT_reads_past_its_rows_and_leaves_the_connection_ready()
    {
        await _conn.ExecuteAsync("SELECT g FROM generate_series(1, 10000) g");

        Assert.Equal(1, await _conn.QueryScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public void The_synchronous_Query_returns_rows()
    {
        var rows = _conn.Query("SELECT name FROM people WHERE id > $1 ORDER BY id", 1);

        Assert.Equal(["Bob", "Carol"], rows.Select(r => (string?)r["name"]));
    }

    [Fact]
    public void The_synchronous_Execute_returns_rows_affected() =>
        Assert.Equal(3L, _conn.Execute("UPDATE people SET is_active = $1", false));

    [Fact]
    public async Task A_row_converts_to_a_dictionary_of_column_names_and_values()
    {
        var row = (await _conn.QueryAsync("SELECT id, name, NULL::text AS note FROM people WHERE id = 1"))[0];

        var d = row.ToDictionary();

        Assert.Equal(1, d["id"]);
        Assert.Equal("Alice", d["name"]);
        Assert.Null(d["note"]);
    }

    [Fact]
    public async Task A_row_reports_the_postgresql_type_name_of_a_column()
    {
        var row = (await _conn.QueryAsync("SELECT id, name FROM people WHERE id = 1"))[0];

        Assert.Equal("integer", row.GetDataTypeName(0));
        Assert.Equal("text", row.GetDataTypeName(1));
    }

    [Fact]
    public async Task An_empty_statement_returns_no_rows() =>
        Assert.Empty(await _conn.QueryAsync(""));
}
