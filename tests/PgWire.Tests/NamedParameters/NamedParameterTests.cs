using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.NamedParameters;

/// <summary>
/// @name and :name placeholders on a real server: bound by ParameterName through PgCommand and PgBatch, the same name
/// used any number of times, quotes, comments and operators reaching the server as written, and mistakes refused
/// before anything is sent. Each test works on its own session's temporary table.
/// </summary>
[Collection("Database")]
public sealed class NamedParameterTests(DatabaseFixture db) : IAsyncLifetime
{
    private PgConnection _conn = null!;

    public async Task InitializeAsync()
    {
        _conn = await db.OpenAsync();
        await _conn.ExecuteAsync("CREATE TEMP TABLE people (id int4 PRIMARY KEY, name text NOT NULL, tags text[] NOT NULL DEFAULT '{}')");
        await _conn.ExecuteAsync("INSERT INTO people (id, name, tags) VALUES (1, 'alice', '{a,b,c}'), (2, 'bob', '{}'), (-3, 'carol', '{x}')");
    }

    public async Task DisposeAsync() => await _conn.DisposeAsync();

    private PgCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = new PgCommand(sql, _conn);
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value);
        return cmd;
    }

    private async Task<List<object?[]>> RowsAsync(PgCommand cmd)
    {
        var rows = new List<object?[]>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            reader.GetValues(row!);
            rows.Add(row);
        }
        return rows;
    }

    private async Task<long> CountPeopleAsync() => (await _conn.QueryScalarAsync<long>("SELECT count(*) FROM people"))!;

    [Theory]
    [InlineData("SELECT name FROM people WHERE id = @id", "id")]
    [InlineData("SELECT name FROM people WHERE id = :id", "id")]
    [InlineData("SELECT name FROM people WHERE id=@id", "@id")]
    [InlineData("SELECT name FROM people WHERE id = @ID", ":id")]
    public async Task A_named_placeholder_is_bound_to_the_parameter_of_that_name(string sql, string parameterName)
    {
        await using var cmd = Command(sql, (parameterName, 2));

        Assert.Equal("bob", await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task The_same_name_used_several_times_is_sent_as_one_parameter()
    {
        await using var cmd = Command("SELECT @n + 1, @n * 10, :n", ("n", 4));
        await cmd.PrepareAsync();
        await RowsAsync(cmd);

        // The statement the server prepared declares one parameter.
        string types = (await _conn.QueryScalarAsync<string>(
            "SELECT parameter_types::text FROM pg_prepared_statements WHERE statement = 'SELECT $1 + 1, $1 * 10, $1'"))!;
        Assert.Equal("{integer}", types);
        Assert.Equal(new object?[] { 5, 40, 4 }, (await RowsAsync(cmd)).Single());
    }

    [Fact]
    public async Task An_insert_written_for_Dapper_stores_its_values()
    {
        await using var cmd = Command("INSERT INTO people (id, name) VALUES (@id, @name)", ("name", "dave"), ("id", 4));

        Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
        Assert.Equal("dave", await _conn.QueryScalarAsync<string>("SELECT name FROM people WHERE id = 4"));
    }

    [Fact]
    public async Task Placeholders_inside_quotes_and_comments_reach_the_server_as_text()
    {
        await using var cmd = Command("""
            SELECT '@id' AS a, E'\'@id :id' AS b, "@id", $$ @id $$ AS d, $tag$ :id $tag$ AS e, -- @gone
                   /* @gone /* :gone */ */ @id AS id
            FROM (SELECT 1 AS "@id") s
            """, ("id", 7));

        var row = (await RowsAsync(cmd)).Single();

        Assert.Equal(new object?[] { "@id", "'@id :id", 1, " @id ", " :id ", 7 }, row);
    }

    [Fact]
    public async Task Operators_next_to_names_reach_the_server_as_operators()
    {
        await using var cmd = Command("""
            SELECT '[1,5)'::int4range@>@x, @x<@'[1,5)'::int4range, to_tsvector('a fat cat')@@to_tsquery(@q),
                   @ s.neg, s.neg::int8, tags[1:2], tags[:1], tags[2 : 3]
            FROM people p, (SELECT -3 AS neg) s WHERE p.id = @id
            """, ("x", 3), ("q", "cat"), ("id", 1));

        var row = (await RowsAsync(cmd)).Single();

        Assert.Equal(new object?[] { true, true, true, 3, -3L, new[] { "a", "b" }, new[] { "a" }, new[] { "b", "c" } }, row);
    }

    [Fact]
    public async Task Named_placeholders_bind_inside_subscripts_and_array_constructors()
    {
        await using var cmd = Command("SELECT tags[@lo:@hi], ARRAY[:a, :b] FROM people WHERE id = 1", ("lo", 2), ("hi", 3), ("a", 8), ("b", 9));

        Assert.Equal(new object?[] { new[] { "b", "c" }, new[] { 8, 9 } }, (await RowsAsync(cmd)).Single());
    }

    [Fact]
    public async Task Positional_placeholders_keep_working_with_named_parameters()
    {
        await using var cmd = Command("SELECT name FROM people WHERE id = $2 OR id = $1 ORDER BY id", ("ignored", 1), ("names", 2));

        Assert.Equal([["alice"], ["bob"]], await RowsAsync(cmd));
    }

    [Fact]
    public async Task A_parameter_the_text_does_not_use_is_not_sent()
    {
        await using var cmd = Command("SELECT name FROM people WHERE id = @id", ("id", 1), ("extra", Guid.NewGuid()));

        Assert.Equal("alice", await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Each_statement_of_a_command_text_gets_the_names_it_uses()
    {
        await using var cmd = Command("INSERT INTO people (id, name) VALUES (@id, @name); SELECT name, @id FROM people WHERE id = @id",
            ("id", 5), ("name", "erin"));

        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.NextResultAsync());
        Assert.True(await reader.ReadAsync());
        Assert.Equal("erin", reader.GetString(0));
        Assert.Equal(5, reader.GetInt32(1));
    }

    [Fact]
    public async Task Batch_commands_bind_their_own_named_parameters()
    {
        await using var batch = new PgBatch(_conn);
        var insert = batch.BatchCommands.Add("INSERT INTO people (id, name) VALUES (:id, :name)");
        insert.Parameters.AddWithValue("id", 6);
        insert.Parameters.AddWithValue("name", "frank");
        var select = batch.BatchCommands.Add("SELECT name FROM people WHERE id = @id OR id = @other ORDER BY id");
        select.Parameters.AddWithValue("@other", 1);
        select.Parameters.AddWithValue("@id", 6);

        await using var reader = await batch.ExecuteReaderAsync();
        Assert.True(await reader.NextResultAsync());
        var names = new List<string>();
        while (await reader.ReadAsync()) names.Add(reader.GetString(0));

        Assert.Equal(["alice", "frank"], names);
        Assert.Equal(1, insert.RecordsAffected);
    }

    [Fact]
    public async Task Swapping_two_parameters_names_between_runs_swaps_their_values()
    {
        await using var cmd = Command("SELECT @first, @second", ("first", 1), ("second", 2));
        Assert.Equal([[1, 2]], await RowsAsync(cmd));

        cmd.Parameters[0].ParameterName = "second";
        cmd.Parameters[1].ParameterName = "first";

        Assert.Equal([[2, 1]], await RowsAsync(cmd));
    }

    [Fact]
    public async Task A_prepared_command_with_named_placeholders_says_it_is_prepared()
    {
        // A text of its own: the pooled connection may have prepared the other tests' texts automatically.
        await using var cmd = Command($"SELECT name FROM people WHERE id = @id /* {Guid.NewGuid()} */", ("id", 1));
        Assert.False(cmd.IsPrepared);

        await cmd.PrepareAsync();

        Assert.True(cmd.IsPrepared);
        Assert.Equal("alice", await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task The_native_API_refuses_named_placeholders_and_runs_nothing()
    {
        // The native methods bind $1, $2, ... in order; sent as it is, @id would be abs(id) and delete two rows.
        var e = await Assert.ThrowsAsync<ArgumentException>(async () => await _conn.ExecuteAsync("DELETE FROM people WHERE id = @id"));

        Assert.Contains("@id", e.Message);
        Assert.Contains("PgCommand", e.Message);
        Assert.Equal(3L, await CountPeopleAsync());
    }

    [Fact]
    public async Task The_native_API_runs_operators_casts_and_slices_that_look_like_names()
    {
        var rows = await _conn.QueryAsync("SELECT @ id, tags[1:2], id::text, '[1,5)'::int4range @> $1 FROM people WHERE id = -3", 3);

        Assert.Equal(3, rows[0][0]);
        Assert.Equal(new[] { "x" }, rows[0][1]);
        Assert.Equal("-3", rows[0][2]);
        Assert.Equal(true, rows[0][3]);
    }

    // ---- Mistakes are refused before anything is sent ----

    [Fact]
    public async Task A_placeholder_with_no_parameter_fails_before_anything_is_sent()
    {
        await using var tx = await _conn.BeginTransactionAsync();
        await using var cmd = Command("INSERT INTO people (id, name) VALUES (@id, @nmae)", ("id", 9), ("name", "gina"));

        var e = await Assert.ThrowsAsync<ArgumentException>(() => cmd.ExecuteNonQueryAsync());

        Assert.Contains("@nmae", e.Message);
        // Had the INSERT reached the server, it would have stored a row or, failing there, aborted the transaction.
        Assert.Equal(3L, await CountPeopleAsync());
        await tx.CommitAsync();
    }

    [Fact]
    public async Task A_placeholder_in_a_command_without_parameters_fails_instead_of_running_as_an_operator()
    {
        // Sent as it is, "@id" is abs(id): every row with a non-negative id would be deleted.
        await using var cmd = new PgCommand("DELETE FROM people WHERE id = @id", _conn);

        var e = await Assert.ThrowsAsync<ArgumentException>(() => cmd.ExecuteNonQueryAsync());

        Assert.Contains("no parameters", e.Message);
        Assert.Equal(3L, await CountPeopleAsync());
    }

    [Fact]
    public async Task Mixing_positional_and_named_placeholders_fails_before_anything_is_sent()
    {
        await using var tx = await _conn.BeginTransactionAsync();
        await using var cmd = Command("DELETE FROM people WHERE id = $1 OR id = @id", ("id", 1));

        var e = await Assert.ThrowsAsync<ArgumentException>(() => cmd.ExecuteNonQueryAsync());

        Assert.Contains("$1", e.Message);
        Assert.Contains("@id", e.Message);
        Assert.Equal(3L, await CountPeopleAsync());
        await tx.CommitAsync();
    }

    [Fact]
    public async Task A_batch_with_a_missing_name_in_its_last_command_runs_none_of_them()
    {
        await using var batch = new PgBatch(_conn);
        var insert = batch.BatchCommands.Add("INSERT INTO people (id, name) VALUES (@id, 'hank')");
        insert.Parameters.AddWithValue("id", 10);
        batch.BatchCommands.Add("DELETE FROM people WHERE id = @id");

        await Assert.ThrowsAsync<ArgumentException>(() => batch.ExecuteNonQueryAsync());

        Assert.Equal(3L, await CountPeopleAsync());
    }

    [Fact]
    public async Task The_command_runs_once_its_missing_parameter_is_added()
    {
        await using var cmd = Command("SELECT name FROM people WHERE id = @id");
        await Assert.ThrowsAsync<ArgumentException>(() => cmd.ExecuteScalarAsync());

        cmd.Parameters.AddWithValue("id", -3);

        Assert.Equal("carol", await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_fresh_connection_refuses_a_missing_name_without_a_round_trip_for_its_types()
    {
        // A failed bind on a connection that has not read the database's types yet would read them and bind again;
        // a mistake in the names must not take that path.
        // A pool of its own, whose connections have read no types.
        await using var conn = await db.OpenAsync(db.ConnectionString + ";Application Name=named-" + Guid.NewGuid().ToString("N"));
        Assert.False(conn.Connector.Types.IsLoaded);
        await using var cmd = new PgCommand("SELECT @missing", conn);

        await Assert.ThrowsAsync<ArgumentException>(() => cmd.ExecuteScalarAsync());

        Assert.False(conn.Connector.Types.IsLoaded);
        Assert.Equal(1, await conn.QueryScalarAsync<int>("SELECT 1"));
    }
}
