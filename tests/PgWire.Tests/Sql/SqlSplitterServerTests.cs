using PgWire.Sql;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Sql;

/// <summary>
/// The server as the oracle for <see cref="SqlSplitter"/>: every piece of a tricky multi-statement text, run alone in
/// a Parse of its own with the values its renumbered placeholders map to, is one valid statement that does its part.
/// </summary>
[Collection("Database")]
public sealed class SqlSplitterServerTests(DatabaseFixture db)
{
    /// <summary>Splits <paramref name="sql"/> and runs its statements in order on one connection; the rows of each.</summary>
    private async Task<List<IReadOnlyList<PgRow>>> RunEachAsync(string sql, params object?[] args)
    {
        var statements = SqlSplitter.Split(sql);
        Assert.NotNull(statements);
        await using var conn = await db.OpenAsync();
        var results = new List<IReadOnlyList<PgRow>>();
        foreach (var statement in statements)
        {
            object?[] values = statement.ParameterIndexes.Select(i => args[i]).ToArray();
            results.Add(await conn.QueryAsync(statement.Sql, values));
        }
        return results;
    }

    [Fact]
    public async Task Semicolons_and_placeholders_in_quotes_and_comments_stay_in_their_statements()
    {
        var results = await RunEachAsync("""
            SELECT ';' AS a, $2::int AS b;
            SELECT E'it\'s; $1' AS c, $1::text AS d /* ; $2 */ -- ; $1
            ;
            SELECT $$ ; $1 $$ AS e, "x;$1" FROM (SELECT 1 AS "x;$1") s WHERE $2::int = 5;
            SELECT E'a' -- the constant goes on
              '\'; b /* $1' AS f
            """, "t", 5);

        Assert.Equal(4, results.Count);
        Assert.Equal(5, results[0][0]["b"]);
        Assert.Equal("it's; $1", results[1][0]["c"]);
        Assert.Equal("t", results[1][0]["d"]);
        Assert.Equal(" ; $1 ", results[2][0]["e"]);
        Assert.Equal("a'; b /* $1", results[3][0]["f"]);
    }

    [Fact]
    public async Task A_BEGIN_ATOMIC_body_with_a_CASE_is_one_statement()
    {
        var results = await RunEachAsync("""
            CREATE FUNCTION pg_temp.sign_of(x int) RETURNS int LANGUAGE sql
            BEGIN ATOMIC
              SELECT 0;
              SELECT CASE WHEN x > 0 THEN 1 WHEN x < 0 THEN -1 ELSE 0 END;
            END;
            SELECT pg_temp.sign_of($1) AS s
            """, -7);

        Assert.Equal(2, results.Count);
        Assert.Equal(-1, results[1][0]["s"]);
    }

    [Fact]
    public async Task A_rule_with_several_actions_in_parentheses_is_one_statement()
    {
        var results = await RunEachAsync("""
            CREATE TEMP TABLE a (x int);
            CREATE TEMP TABLE b (x int);
            CREATE RULE copy_twice AS ON INSERT TO a DO ALSO (INSERT INTO b VALUES (NEW.x); INSERT INTO b VALUES (NEW.x + 1));
            INSERT INTO a VALUES ($1);
            SELECT sum(x)::int AS total FROM b
            """, 10);

        Assert.Equal(5, results.Count);
        Assert.Equal(21, results[4][0]["total"]);
    }

    [Fact]
    public async Task Transaction_statements_a_dollar_quoted_DO_block_and_dollar_identifiers_split_as_the_server_reads_them()
    {
        var results = await RunEachAsync("""
            BEGIN;
            DO $body$ BEGIN PERFORM 1; END $body$;
            SELECT 1 AS a$b$, 2 AS x$1, 3 AS atomic;
            SELECT $3::int + 1 AS "END";
            END
            """, null, null, 41);

        Assert.Equal(5, results.Count);
        Assert.Equal(2, results[2][0]["x$1"]);
        Assert.Equal(42, results[3][0]["END"]);
    }
}
