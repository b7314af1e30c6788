using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Integration;

/// <summary>
/// A statement the server rejects surfaces as PgServerException with the ErrorResponse's fields, and the same
/// connection runs the next statement. Tables live in the errors_ schema prefix of this class.
/// </summary>
[Collection("Database")]
public sealed class ServerErrorTests(DatabaseFixture db) : IAsyncLifetime
{
    private PgConnection _conn = null!;

    public async Task InitializeAsync()
    {
        _conn = await db.OpenAsync();
        await _conn.ExecuteAsync("DROP TABLE IF EXISTS errors_people");
        await _conn.ExecuteAsync(
            "CREATE TABLE errors_people (id int4 CONSTRAINT errors_people_pkey PRIMARY KEY, name text NOT NULL)");
        await _conn.ExecuteAsync("INSERT INTO errors_people VALUES (1, 'alice')");
    }

    public async Task DisposeAsync()
    {
        await _conn.ExecuteAsync("DROP TABLE IF EXISTS errors_people");
        await _conn.DisposeAsync();
    }

    [Fact]
    public async Task A_syntax_error_has_sqlstate_42601_and_a_position_pointing_at_the_offending_token()
    {
        const string sql = "SELECT 1 FROM WHERE";

        var e = await Assert.ThrowsAsync<PgServerException>(() => _conn.QueryAsync(sql).AsTask());

        Assert.Equal(PgErrorCodes.SyntaxError, e.SqlState);
        Assert.Equal(sql.IndexOf("WHERE", StringComparison.Ordinal) + 1, e.Position);
        Assert.Equal("ERROR", e.InvariantSeverity);
        Assert.Contains("WHERE", e.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_message_of_a_server_error_starts_with_its_sqlstate()
    {
        var e = await Assert.ThrowsAsync<PgServerException>(() => _conn.QueryAsync("SELEKT 1").AsTask());

        Assert.StartsWith("42601", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_division_by_zero_has_sqlstate_22012() =>
        Assert.Equal(PgErrorCodes.DivisionByZero,
            (await Assert.ThrowsAsync<PgServerException>(() => _conn.QueryAsync("SELECT 1 / $1", 0).AsTask())).SqlState);

    [Fact]
    public async Task A_unique_violation_names_the_key_constraint_table_and_schema()
    {
        // The key is in Detail, which the server's row values make secret unless Include Error Detail says otherwise.
        await using var detailed = await db.OpenAsync(db.ConnectionString + ";Include Error Detail=true");
        var e = await Assert.ThrowsAsync<PgServerException>(() =>
            detailed.ExecuteAsync("INSERT INTO errors_people VALUES ($1, $2)", 1, "again").AsTask());

        Assert.Equal(PgErrorCodes.UniqueViolation, e.SqlState);
        Assert.Contains("(id)=(1)", e.Detail, StringComparison.Ordinal);
        Assert.Equal("errors_people_pkey", e.ConstraintName);
        Assert.Equal("errors_people", e.TableName);
        Assert.Equal("public", e.SchemaName);
    }

    [Fact]
    public async Task A_unique_violation_keeps_the_duplicate_key_out_of_the_exception_message()
    {
        var e = await Assert.ThrowsAsync<PgServerException>(() =>
            _conn.ExecuteAsync("INSERT INTO errors_people VALUES ($1, $2)", 1, "again").AsTask());

        Assert.DoesNotContain("(id)=(1)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_not_null_violation_names_the_column()
    {
        var e = await Assert.ThrowsAsync<PgServerException>(() =>
            _conn.ExecuteAsync("INSERT INTO errors_people VALUES ($1, $2)", 2, null).AsTask());

        Assert.Equal(PgErrorCodes.NotNullViolation, e.SqlState);
        Assert.Equal("name", e.ColumnName);
        Assert.Equal("errors_people", e.TableName);
    }

    [Fact]
    public async Task A_datatype_error_names_the_data_type()
    {
        var e = await Assert.ThrowsAsync<PgServerException>(() =>
            _conn.ExecuteAsync("DO $$BEGIN RAISE EXCEPTION USING ERRCODE = 'invalid_text_representation', DATATYPE = 'my_type'; END$$").AsTask());

        Assert.Equal(PgErrorCodes.InvalidTextRepresentation, e.SqlState);
        Assert.Equal("my_type", e.DataTypeName);
    }

    [Fact]
    public async Task RAISE_EXCEPTION_carries_its_message_detail_hint_and_sqlstate()
    {
        await using var detailed = await db.OpenAsync(db.ConnectionString + ";Include Error Detail=true");
        var e = await Assert.ThrowsAsync<PgServerException>(() => detailed.ExecuteAsync(
            "DO $$BEGIN RAISE EXCEPTION 'custom failure %', 42 USING DETAIL = 'the detail', HINT = 'the hint', ERRCODE = 'P0001'; END$$").AsTask());

        Assert.Equal(PgErrorCodes.RaiseException, e.SqlState);
        Assert.Equal("custom failure 42", e.MessageText);
        Assert.Equal("the detail", e.Detail);
        Assert.Equal("the hint", e.Hint);
        Assert.Contains("PL/pgSQL", e.Where, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_error_is_a_DbException_with_the_sqlstate()
    {
        System.Data.Common.DbException e = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() =>
            _conn.QueryAsync("SELECT * FROM errors_no_such_table").AsTask());

        Assert.Equal(PgErrorCodes.UndefinedTable, e.SqlState);
    }

    [Theory]
    [InlineData("SELECT 1 FROM WHERE")]
    [InlineData("SELECT 1 / 0")]
    [InlineData("INSERT INTO errors_people VALUES (1, 'dup')")]
    [InlineData("INSERT INTO errors_people VALUES (3, NULL)")]
    [InlineData("SELECT * FROM errors_no_such_table")]
    [InlineData("DO $$BEGIN RAISE EXCEPTION 'boom'; END$$")]
    public async Task After_a_server_error_the_same_connection_runs_the_next_query(string failingSql)
    {
        int pid = _conn.ProcessId;
        await Assert.ThrowsAsync<PgServerException>(() => _conn.ExecuteAsync(failingSql).AsTask());

        var rows = await _conn.QueryAsync("SELECT id, name FROM errors_people ORDER BY id");

        Assert.Equal("alice", Assert.Single(rows)["name"]);
        Assert.Equal(System.Data.ConnectionState.Open, _conn.State);
        Assert.Equal(pid, _conn.ProcessId);
    }

    [Fact]
    public async Task After_a_server_error_the_same_failing_statement_fails_the_same_way_again()
    {
        const string sql = "SELECT 10 / $1";
        Assert.Equal(5, await _conn.QueryScalarAsync<int>(sql, 2));

        await Assert.ThrowsAsync<PgServerException>(() => _conn.QueryScalarAsync<int>(sql, 0).AsTask());
        await Assert.ThrowsAsync<PgServerException>(() => _conn.QueryScalarAsync<int>(sql, 0).AsTask());

        Assert.Equal(2, await _conn.QueryScalarAsync<int>(sql, 5));
    }

    [Fact]
    public void A_server_error_through_the_synchronous_api_leaves_the_connection_usable()
    {
        var e = Assert.Throws<PgServerException>(() => _conn.Execute("SELECT 1 / 0"));

        Assert.Equal(PgErrorCodes.DivisionByZero, e.SqlState);
        Assert.Equal(3L, _conn.Query("SELECT 3::int8")[0][0]);
    }

    [Fact]
    public async Task An_error_in_the_middle_of_a_result_comes_after_the_rows_before_it_and_the_connection_stays_usable()
    {
        await using var cmd = new PgCommand("SELECT g, 10 / (5 - g) FROM generate_series(1, 10) g", _conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        var seen = new List<int>();

        var e = await Assert.ThrowsAsync<PgServerException>(async () =>
        {
            while (await reader.ReadAsync()) seen.Add(reader.GetInt32(0));
        });

        Assert.Equal(PgErrorCodes.DivisionByZero, e.SqlState);
        Assert.Equal([1, 2, 3, 4], seen);
        await reader.DisposeAsync();
        Assert.Equal(7, await _conn.QueryScalarAsync<int>("SELECT 7"));
    }

    [Fact]
    public void An_error_in_the_middle_of_a_result_read_synchronously_leaves_the_connection_usable()
    {
        using (var cmd = new PgCommand("SELECT 10 / (5 - g) FROM generate_series(1, 10) g", _conn))
        using (var reader = cmd.ExecuteReader())
        {
            Assert.True(reader.Read());
            Assert.Throws<PgServerException>(() =>
            {
                while (reader.Read()) { }
            });
        }

        Assert.Equal(8L, _conn.Query("SELECT 8::int8")[0][0]);
    }

    [Fact]
    public async Task A_reader_whose_result_failed_reports_no_more_rows()
    {
        await using var cmd = new PgCommand("SELECT 1 / (2 - g) FROM generate_series(1, 3) g", _conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        await Assert.ThrowsAsync<PgServerException>(() => reader.ReadAsync());

        Assert.False(await reader.ReadAsync());
    }
}
