using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Integration;

/// <summary>
/// Values travel as parameters, never as SQL text: strings built to break out of a literal are stored as they are
/// and the table they target survives. Each test works on its own session's temporary test_data table.
/// </summary>
[Collection("Database")]
public sealed class ParameterSafetyTests(DatabaseFixture db) : IAsyncLifetime
{
    private PgConnection _conn = null!;

    public async Task InitializeAsync()
    {
        _conn = await db.OpenAsync();
        await _conn.ExecuteAsync("CREATE TEMP TABLE test_data (id int4 PRIMARY KEY, name text NOT NULL)");
        await _conn.ExecuteAsync("INSERT INTO test_data VALUES (1, 'alice'), (2, 'bob')");
    }

    public async Task DisposeAsync() => await _conn.DisposeAsync();

    public static TheoryData<string> TrickyStrings =>
    [
        "'; DROP TABLE test_data; --",
        "Robert'); DROP TABLE test_data;--",
        "$1",
        "$2 $1 $0 $99999",
        "' OR '1'='1",
        "'' OR ''1''=''1",
        @"\'; DROP TABLE test_data; --",
        @"\",
        "$$; DROP TABLE test_data; $$",
        "$tag$ DROP TABLE test_data $tag$",
        "E'\\x41'",
        "\"; DROP TABLE test_data; --",
        "/* unterminated comment",
        "-- a comment",
        ";",
        "?",
        ":name @name {0} %s",
        "line one\r\nline two\ttab",
        "\u2019; DROP TABLE test_data; --",
        "\u02BC OR 1=1",
    ];

    [Theory]
    [MemberData(nameof(TrickyStrings))]
    public async Task A_tricky_string_is_stored_verbatim_and_the_table_survives(string value)
    {
        await _conn.ExecuteAsync("INSERT INTO test_data (id, name) VALUES ($1, $2)", 3, value);

        Assert.Equal(value, await _conn.QueryScalarAsync<string>("SELECT name FROM test_data WHERE id = $1", 3));
        Assert.Equal(3L, await _conn.QueryScalarAsync<long>("SELECT count(*) FROM test_data"));
    }

    [Theory]
    [MemberData(nameof(TrickyStrings))]
    public async Task A_tricky_string_reaches_the_server_with_its_exact_length(string value) =>
        Assert.Equal(value.Length, await _conn.QueryScalarAsync<int>("SELECT char_length($1::text)", value));

    [Theory]
    [MemberData(nameof(TrickyStrings))]
    public async Task A_tricky_string_in_a_WHERE_clause_matches_no_row(string value)
    {
        Assert.Empty(await _conn.QueryAsync("SELECT id FROM test_data WHERE name = $1", value));
        Assert.Equal(2L, await _conn.QueryScalarAsync<long>("SELECT count(*) FROM test_data"));
    }

    [Fact]
    public async Task A_tricky_string_passed_through_PgCommand_is_stored_verbatim()
    {
        const string value = "'); DELETE FROM test_data; --";
        await using var cmd = new PgCommand("INSERT INTO test_data (id, name) VALUES ($1, $2)", _conn);
        cmd.Parameters.Add(new PgParameter { Value = 3 });
        cmd.Parameters.Add(new PgParameter { Value = value });

        Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
        Assert.Equal(value, await _conn.QueryScalarAsync<string>("SELECT name FROM test_data WHERE id = 3"));
        Assert.Equal(3L, await _conn.QueryScalarAsync<long>("SELECT count(*) FROM test_data"));
    }

    [Fact]
    public async Task A_dollar_placeholder_inside_a_string_literal_of_the_sql_is_not_a_parameter() =>
        Assert.Equal("$1 stays", await _conn.QueryScalarAsync<string>("SELECT '$1 stays'"));

    [Fact]
    public async Task A_savepoint_name_that_looks_like_sql_is_only_a_name()
    {
        await using var tx = await _conn.BeginTransactionAsync();
        const string name = "sp\"; DROP TABLE test_data; --";

        await tx.SaveAsync(name);
        await _conn.ExecuteAsync("INSERT INTO test_data VALUES (3, 'carol')");
        await tx.RollbackAsync(name);
        await tx.CommitAsync();

        Assert.Equal(2L, await _conn.QueryScalarAsync<long>("SELECT count(*) FROM test_data"));
    }
}
