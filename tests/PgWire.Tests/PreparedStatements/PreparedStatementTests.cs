using System.Globalization;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.PreparedStatements;

/// <summary>
/// Server-side prepared statements, checked against the server's own view (pg_prepared_statements of the same
/// session): automatic preparation after Auto Prepare Min Usages runs, the Max Auto Prepare limit, explicit Prepare,
/// the settings that turn preparation off, and statements that the server or the user invalidated underneath.
/// Connections are unpooled unless a test is about the pool, so each starts with no prepared statements.
/// </summary>
[Collection("Database")]
public sealed class PreparedStatementTests(DatabaseFixture db)
{
    private async Task<PgConnection> OpenAsync(string settings = "")
    {
        var connection = new PgConnection(db.ConnectionString + ";Pooling=false" + (settings.Length > 0 ? ";" + settings : ""));
        await connection.OpenAsync();
        return connection;
    }

    [Fact]
    public async Task Commands_prepared_on_request_stay_prepared_side_by_side_whatever_Max_Auto_Prepare_says()
    {
        await using var conn = await OpenAsync("Max Auto Prepare=1");
        await using var first = conn.CreateCommand();
        first.CommandText = "SELECT 1 /* requested first */";
        await using var second = conn.CreateCommand();
        second.CommandText = "SELECT 2 /* requested second */";
        await first.PrepareAsync();
        await second.PrepareAsync();

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(1, await first.ExecuteScalarAsync());
            Assert.Equal(2, await second.ExecuteScalarAsync());
        }
        // An automatically prepared statement takes the one automatic place without evicting the requested ones.
        await conn.QueryScalarAsync<int>("SELECT 3 /* automatic */");
        await conn.QueryScalarAsync<int>("SELECT 3 /* automatic */");

        Assert.Equal(["SELECT 1 /* requested first */", "SELECT 2 /* requested second */", "SELECT 3 /* automatic */"],
            await ServerPreparedStatements.OfAsync(conn));
    }

    [Fact]
    public async Task A_statement_run_once_is_not_prepared_on_the_server()
    {
        await using var conn = await OpenAsync();
        const string sql = "SELECT $1::int4 + 1 /* once */";

        Assert.Equal(2, await conn.QueryScalarAsync<int>(sql, 1));

        Assert.DoesNotContain(sql, await ServerPreparedStatements.OfAsync(conn));
    }

    [Fact]
    public async Task A_statement_run_twice_is_prepared_on_the_server()
    {
        await using var conn = await OpenAsync();
        const string sql = "SELECT $1::int4 + 1 /* twice */";

        await conn.QueryScalarAsync<int>(sql, 1);
        await conn.QueryScalarAsync<int>(sql, 2);

        Assert.Equal([sql], await ServerPreparedStatements.OfAsync(conn));
    }

    [Fact]
    public async Task A_prepared_statement_returns_the_right_results_for_many_runs_and_values()
    {
        await using var conn = await OpenAsync();
        const string sql = "SELECT $1::int4 * 3, 'v' || $2::text";

        for (int i = 0; i < 50; i++)
        {
            var row = (await conn.QueryAsync(sql, i, i.ToString(CultureInfo.InvariantCulture)))[0];
            Assert.Equal(i * 3, row[0]);
            Assert.Equal("v" + i.ToString(CultureInfo.InvariantCulture), row[1]);
        }
        Assert.Equal([sql], await ServerPreparedStatements.OfAsync(conn));
    }

    [Fact]
    public async Task With_Max_Auto_Prepare_2_a_third_statement_closes_the_least_recently_used_on_the_server()
    {
        await using var conn = await OpenAsync("Max Auto Prepare=2");
        const string first = "SELECT $1::int4 /* lru first */", second = "SELECT $1::int4 /* lru second */", third = "SELECT $1::int4 /* lru third */";
        for (int i = 0; i < 2; i++)
        {
            await conn.QueryScalarAsync<int>(first, i);
            await conn.QueryScalarAsync<int>(second, i);
        }
        Assert.Equal([first, second], await ServerPreparedStatements.OfAsync(conn));

        await conn.QueryScalarAsync<int>(first, 7); // second is now the least recently used
        await conn.QueryScalarAsync<int>(third, 1);
        await conn.QueryScalarAsync<int>(third, 2);

        Assert.Equal([first, third], await ServerPreparedStatements.OfAsync(conn));
        Assert.Equal(42, await conn.QueryScalarAsync<int>(second, 42));
    }

    [Fact]
    public async Task With_Max_Auto_Prepare_0_nothing_is_prepared_however_often_it_runs()
    {
        await using var conn = await OpenAsync("Max Auto Prepare=0");

        for (int i = 0; i < 10; i++)
            Assert.Equal(i, await conn.QueryScalarAsync<int>("SELECT $1::int4 /* auto off */", i));

        Assert.Empty(await ServerPreparedStatements.OfAsync(conn));
    }

    [Fact]
    public async Task With_Prepared_Statements_false_nothing_is_prepared_however_often_it_runs()
    {
        await using var conn = await OpenAsync("Prepared Statements=false");

        for (int i = 0; i < 10; i++)
            Assert.Equal(i, await conn.QueryScalarAsync<int>("SELECT $1::int4 /* prepared off */", i));

        Assert.Empty(await ServerPreparedStatements.OfAsync(conn));
    }

    [Fact]
    public async Task PrepareAsync_with_Max_Auto_Prepare_0_prepares_the_command_at_its_first_run()
    {
        await using var conn = await OpenAsync("Max Auto Prepare=0");
        await using var cmd = new PgCommand("SELECT $1::int4 * 2 /* explicit */", conn);
        cmd.Parameters.Add(new PgParameter { Value = 4 });

        await cmd.PrepareAsync();
        Assert.Equal(8, await cmd.ExecuteScalarAsync());

        Assert.Equal([cmd.CommandText], await ServerPreparedStatements.OfAsync(conn));
        cmd.Parameters[0].Value = 5;
        Assert.Equal(10, await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task PrepareAsync_with_Prepared_Statements_false_runs_the_command_without_preparing_it()
    {
        await using var conn = await OpenAsync("Prepared Statements=false");
        await using var cmd = new PgCommand("SELECT $1::int4 * 2 /* explicit off */", conn);
        cmd.Parameters.Add(new PgParameter { Value = 4 });

        await cmd.PrepareAsync();
        Assert.Equal(8, await cmd.ExecuteScalarAsync());
        Assert.Equal(8, await cmd.ExecuteScalarAsync());

        Assert.Empty(await ServerPreparedStatements.OfAsync(conn));
    }

    [Fact]
    public async Task PrepareAsync_reports_a_syntax_error_and_the_connection_stays_usable()
    {
        await using var conn = await OpenAsync();
        await using var cmd = new PgCommand("SELEC 1", conn);

        var e = await Assert.ThrowsAsync<PgServerException>(() => cmd.PrepareAsync());

        Assert.Equal(PgErrorCodes.SyntaxError, e.SqlState);
        Assert.Equal(3, await conn.QueryScalarAsync<int>("SELECT 3"));
    }

    [Fact]
    public async Task PrepareAsync_reports_a_missing_table_and_the_connection_stays_usable()
    {
        await using var conn = await OpenAsync();
        await using var cmd = new PgCommand("SELECT * FROM prepared_no_such_table", conn);

        var e = await Assert.ThrowsAsync<PgServerException>(() => cmd.PrepareAsync());

        Assert.Equal(PgErrorCodes.UndefinedTable, e.SqlState);
        Assert.Equal(3, await conn.QueryScalarAsync<int>("SELECT 3"));
        Assert.Empty(await ServerPreparedStatements.OfAsync(conn));
    }

    [Theory]
    [InlineData("DISCARD ALL")]
    [InlineData("DEALLOCATE ALL")]
    public async Task A_prepared_statement_runs_and_is_prepared_again_after_the_user_drops_all_statements(string drop)
    {
        await using var conn = await OpenAsync();
        const string sql = "SELECT $1::int4 + 100 /* dropped */";
        await conn.QueryScalarAsync<int>(sql, 1);
        await conn.QueryScalarAsync<int>(sql, 2);
        Assert.Equal([sql], await ServerPreparedStatements.OfAsync(conn));

        await conn.ExecuteAsync(drop);
        Assert.Empty(await ServerPreparedStatements.OfAsync(conn));

        Assert.Equal(103, await conn.QueryScalarAsync<int>(sql, 3));
        Assert.Equal(104, await conn.QueryScalarAsync<int>(sql, 4));
        Assert.Equal([sql], await ServerPreparedStatements.OfAsync(conn));
    }

    [Fact]
    public async Task A_prepared_select_star_returns_the_added_column_when_run_outside_a_transaction()
    {
        await using var conn = await OpenAsync();
        await conn.ExecuteAsync("CREATE TEMP TABLE prepared_widen (a int4)");
        await conn.ExecuteAsync("INSERT INTO prepared_widen VALUES (1)");
        const string sql = "SELECT * FROM prepared_widen";
        await conn.QueryAsync(sql);
        await conn.QueryAsync(sql);
        Assert.Contains(sql, await ServerPreparedStatements.OfAsync(conn));

        await conn.ExecuteAsync("ALTER TABLE prepared_widen ADD COLUMN b text DEFAULT 'bee'");
        var row = (await conn.QueryAsync(sql))[0];

        Assert.Equal(["a", "b"], row.ColumnNames);
        Assert.Equal(1, row["a"]);
        Assert.Equal("bee", row["b"]);
    }

    [Fact]
    public async Task A_prepared_select_star_reads_the_new_column_type_when_run_outside_a_transaction()
    {
        await using var conn = await OpenAsync();
        await conn.ExecuteAsync("CREATE TEMP TABLE prepared_retype (a int4)");
        await conn.ExecuteAsync("INSERT INTO prepared_retype VALUES (7)");
        await using var cmd = new PgCommand("SELECT * FROM prepared_retype", conn);
        Assert.Equal(7, await cmd.ExecuteScalarAsync());
        Assert.Equal(7, await cmd.ExecuteScalarAsync());
        Assert.Contains(cmd.CommandText, await ServerPreparedStatements.OfAsync(conn));

        await conn.ExecuteAsync("ALTER TABLE prepared_retype ALTER COLUMN a TYPE text");

        Assert.Equal("7", await cmd.ExecuteScalarAsync());
        Assert.Equal("7", await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_prepared_select_star_whose_table_changed_fails_inside_a_transaction_and_works_after_rollback()
    {
        await using var conn = await OpenAsync();
        await conn.ExecuteAsync("CREATE TEMP TABLE prepared_widen_tx (a int4)");
        await conn.ExecuteAsync("INSERT INTO prepared_widen_tx VALUES (1)");
        const string sql = "SELECT * FROM prepared_widen_tx";
        await conn.QueryAsync(sql);
        await conn.QueryAsync(sql);

        await using (var tx = await conn.BeginTransactionAsync())
        {
            await conn.ExecuteAsync("ALTER TABLE prepared_widen_tx ADD COLUMN b int4 DEFAULT 2");
            var e = await Assert.ThrowsAsync<PgServerException>(() => conn.QueryAsync(sql).AsTask());
            Assert.Equal(PgErrorCodes.FeatureNotSupported, e.SqlState);
            Assert.Contains("changed", e.Message, StringComparison.Ordinal);
            await tx.RollbackAsync();
        }
        await conn.ExecuteAsync("ALTER TABLE prepared_widen_tx ADD COLUMN c text DEFAULT 'cee'");
        var row = (await conn.QueryAsync(sql))[0];

        Assert.Equal(["a", "c"], row.ColumnNames);
        Assert.Equal("cee", row["c"]);
    }

    [Fact]
    public async Task A_pooled_connection_reopened_on_the_same_backend_keeps_its_prepared_statements_but_not_its_session_state()
    {
        string applicationName = "pgwire_prep_" + Guid.NewGuid().ToString("N")[..10];
        await using var dataSource = PgDataSource.Create($"{db.ConnectionString};Application Name={applicationName};Maximum Pool Size=1");
        const string sql = "SELECT $1::int4 - 1 /* pooled */";
        int pid;
        await using (var first = await dataSource.OpenConnectionAsync())
        {
            pid = first.ProcessId;
            await first.QueryScalarAsync<int>(sql, 1);
            await first.QueryScalarAsync<int>(sql, 2);
            await first.ExecuteAsync("SET search_path = prepared_elsewhere");
            await first.ExecuteAsync("CREATE TEMP TABLE prepared_session_temp (id int4)");
        }

        await using var next = await dataSource.OpenConnectionAsync();

        Assert.Equal(pid, next.ProcessId);
        Assert.Contains(sql, await ServerPreparedStatements.OfAsync(next));
        Assert.Equal(9, await next.QueryScalarAsync<int>(sql, 10));
        Assert.Equal("\"$user\", public", await next.QueryScalarAsync<string>("SHOW search_path"));
        Assert.True(await next.QueryScalarAsync<bool>("SELECT to_regclass('pg_temp.prepared_session_temp') IS NULL"));
    }

    [Fact]
    public async Task A_prepared_statement_with_parameters_of_many_types_returns_what_an_unprepared_run_returns()
    {
        await using var prepared = await OpenAsync();
        await using var unprepared = await OpenAsync("Prepared Statements=false");
        const string sql = "SELECT $1::int4, $2::text, $3::timestamptz, $4::uuid, $5::int4[], $6::text, $7::int8";
        var stamp = new DateTime(2024, 2, 29, 13, 14, 15, DateTimeKind.Utc);
        var id = Guid.Parse("6f1c1c3e-8a43-4c5e-9a10-0b2b8f1d2e3f");
        object?[] args = [42, "grüße ' \" \\", stamp, id, new[] { 1, 2, 3 }, null, 5_000_000_000L];

        for (int i = 0; i < 3; i++)
            await prepared.QueryAsync(sql, args);
        Assert.Contains(sql, await ServerPreparedStatements.OfAsync(prepared));
        var fromPrepared = (await prepared.QueryAsync(sql, args))[0];
        var fromUnprepared = (await unprepared.QueryAsync(sql, args))[0];

        for (int i = 0; i < args.Length; i++)
            Assert.Equal(fromUnprepared[i], fromPrepared[i]);
        Assert.Equal(42, fromPrepared[0]);
        Assert.Equal(args[1], fromPrepared[1]);
        Assert.Equal(stamp, ((DateTime)fromPrepared[2]!).ToUniversalTime());
        Assert.Equal(id, fromPrepared[3]);
        Assert.Equal(new[] { 1, 2, 3 }, fromPrepared[4]);
        Assert.Null(fromPrepared[5]);
        Assert.Equal(5_000_000_000L, fromPrepared[6]);
    }

    [Fact]
    public async Task A_prepared_statement_that_fails_at_execution_stays_prepared_and_usable()
    {
        await using var conn = await OpenAsync();
        const string sql = "SELECT 10 / $1::int4 /* divide */";
        Assert.Equal(5, await conn.QueryScalarAsync<int>(sql, 2));
        Assert.Equal(2, await conn.QueryScalarAsync<int>(sql, 5));

        var e = await Assert.ThrowsAsync<PgServerException>(() => conn.QueryScalarAsync<int>(sql, 0).AsTask());

        Assert.Equal(PgErrorCodes.DivisionByZero, e.SqlState);
        Assert.Equal(10, await conn.QueryScalarAsync<int>(sql, 1));
        Assert.Equal([sql], await ServerPreparedStatements.OfAsync(conn));
    }

    [Fact]
    public async Task The_same_sql_with_int_and_long_parameters_is_prepared_twice_and_each_returns_its_type()
    {
        await using var conn = await OpenAsync();
        const string sql = "SELECT pg_typeof($1)::text || ':' || $1::text /* by type */";

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal($"integer:{i}", await conn.QueryScalarAsync<string>(sql, i));
            Assert.Equal($"bigint:{i}", await conn.QueryScalarAsync<string>(sql, (long)i));
        }

        Assert.Equal([sql, sql], await ServerPreparedStatements.OfAsync(conn));
        var types = await conn.QueryAsync(
            "SELECT parameter_types::text FROM pg_prepared_statements WHERE statement = $1 ORDER BY 1 /* types probe */", sql);
        Assert.Equal(["{bigint}", "{integer}"], types.Select(r => (string)r[0]!));
    }

    [Fact]
    public async Task A_data_reader_over_a_prepared_statement_reads_every_row_with_its_names_and_types()
    {
        await using var conn = await OpenAsync();
        await using var cmd = new PgCommand("SELECT n, 'row ' || n AS label FROM generate_series(1, $1::int4) AS n", conn);
        cmd.Parameters.Add(new PgParameter { Value = 3 });
        for (int i = 0; i < 2; i++)
        {
            await using var warmUp = await cmd.ExecuteReaderAsync();
            while (await warmUp.ReadAsync()) { }
        }
        cmd.Parameters[0].Value = 5;

        var seen = new List<(int, string)>();
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            Assert.Equal("n", reader.GetName(0));
            Assert.Equal("label", reader.GetName(1));
            Assert.Equal(typeof(int), reader.GetFieldType(0));
            Assert.Equal(typeof(string), reader.GetFieldType(1));
            while (await reader.ReadAsync())
                seen.Add((reader.GetInt32(0), reader.GetString(1)));
        }

        Assert.Equal([(1, "row 1"), (2, "row 2"), (3, "row 3"), (4, "row 4"), (5, "row 5")], seen);
        Assert.Equal([cmd.CommandText], await ServerPreparedStatements.OfAsync(conn));
    }
}
