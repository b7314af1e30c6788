using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Integration;

/// <summary>
/// A connection remembers the description of each SQL text it ran; running it again must still follow the server
/// when the parameter types or the tables underneath have changed.
/// </summary>
[Collection("Database")]
public sealed class StatementCacheTests(DatabaseFixture db) : IAsyncLifetime
{
    private PgConnection _conn = null!;

    public async Task InitializeAsync() => _conn = await db.OpenAsync();

    public async Task DisposeAsync() => await _conn.DisposeAsync();

    [Fact]
    public async Task The_same_sql_with_parameters_of_different_types_sends_each_type()
    {
        const string sql = "SELECT pg_typeof($1)::text";

        Assert.Equal("integer", await _conn.QueryScalarAsync<string>(sql, 1));
        Assert.Equal("bigint", await _conn.QueryScalarAsync<string>(sql, 1L));
        Assert.Equal("double precision", await _conn.QueryScalarAsync<string>(sql, 1.0));
        Assert.Equal("integer", await _conn.QueryScalarAsync<string>(sql, 2));
    }

    [Fact]
    public async Task A_statement_run_again_after_its_table_gained_a_column_returns_the_new_column()
    {
        await _conn.ExecuteAsync("CREATE TEMP TABLE cache_widen (a int4)");
        await _conn.ExecuteAsync("INSERT INTO cache_widen VALUES (1)");
        Assert.Equal(["a"], (await _conn.QueryAsync("SELECT * FROM cache_widen"))[0].ColumnNames);

        await _conn.ExecuteAsync("ALTER TABLE cache_widen ADD b text DEFAULT 'bee'");
        var row = (await _conn.QueryAsync("SELECT * FROM cache_widen"))[0];

        Assert.Equal(["a", "b"], row.ColumnNames);
        Assert.Equal("bee", row["b"]);
    }

    [Fact]
    public async Task A_statement_run_again_after_its_column_changed_type_reads_the_new_type()
    {
        await _conn.ExecuteAsync("CREATE TEMP TABLE cache_retype (a int4)");
        await _conn.ExecuteAsync("INSERT INTO cache_retype VALUES (1)");
        Assert.Equal(1, (await _conn.QueryAsync("SELECT a FROM cache_retype"))[0]["a"]);

        await _conn.ExecuteAsync("ALTER TABLE cache_retype ALTER a TYPE text");

        Assert.Equal("1", (await _conn.QueryAsync("SELECT a FROM cache_retype"))[0]["a"]);
    }

    [Fact]
    public async Task A_statement_keeps_working_after_DISCARD_ALL()
    {
        Assert.Equal(1, await _conn.QueryScalarAsync<int>("SELECT $1::int4", 1));

        await _conn.ExecuteAsync("DISCARD ALL");

        Assert.Equal(2, await _conn.QueryScalarAsync<int>("SELECT $1::int4", 2));
    }

    [Fact]
    public async Task Two_statements_in_one_command_run_as_a_batch_and_a_syntax_error_in_one_leaves_the_connection_usable()
    {
        var rows = await _conn.QueryAsync("SELECT 1; SELECT 2");
        Assert.Equal([1, 2], rows.Select(r => r.Get<int>(0)));

        var e = await Assert.ThrowsAsync<PgServerException>(() => _conn.QueryAsync("SELECT 1; SELEC 2").AsTask());

        Assert.Equal(PgErrorCodes.SyntaxError, e.SqlState);
        Assert.Equal(3, await _conn.QueryScalarAsync<int>("SELECT 3"));
    }

    [Fact]
    public async Task A_run_time_parameter_the_session_changes_is_reported_by_GetServerParameter()
    {
        await _conn.ExecuteAsync("SET application_name = 'changed_by_set'");

        Assert.Equal("changed_by_set", _conn.GetServerParameter("application_name"));
    }
}
