using PgWire.Sql;

namespace PgWire.Tests.Sql;

/// <summary>
/// Reading @name and :name placeholders in an ADO.NET command text (<see cref="SqlSplitter.Parse"/>): which ones are
/// placeholders, how they are rewritten to $n, and what is left as PostgreSQL wrote it. No server: the text the
/// parser produces is the specification (the server-side tests run the same shapes).
/// </summary>
public sealed class NamedPlaceholderTests
{
    /// <summary>The one statement <paramref name="sql"/> sends, and the names its $1..$k stand for.</summary>
    private static (string Sql, string[] Names) Rewrite(string sql)
    {
        var parsed = SqlSplitter.Parse(sql, split: true);
        Assert.True(parsed.IsNamed, "the text should have named placeholders");
        var statement = Assert.Single(parsed.Statements!);
        return (statement.Sql, statement.ParameterIndexes.Select(i => parsed.Names[i]).ToArray());
    }

    // ---- Left alone: each text has one real placeholder, @p, and everything else must come back as it was ----

    [Theory]
    [InlineData("SELECT '@a :b', @p", "SELECT '@a :b', $1")]
    [InlineData("SELECT 'it''s @a', @p", "SELECT 'it''s @a', $1")]
    [InlineData(@"SELECT E'\'@a :b', @p", @"SELECT E'\'@a :b', $1")]
    [InlineData("SELECT 'a'\n'@b', @p", "SELECT 'a'\n'@b', $1")]
    [InlineData("SELECT U&'@a', B'01', X'1F', N':b', @p", "SELECT U&'@a', B'01', X'1F', N':b', $1")]
    [InlineData("SELECT \"@a\", \":b\", @p", "SELECT \"@a\", \":b\", $1")]
    [InlineData("SELECT $$ @a :b $$, @p", "SELECT $$ @a :b $$, $1")]
    [InlineData("SELECT $tag$ @a $x$ :b $tag$, @p", "SELECT $tag$ @a $x$ :b $tag$, $1")]
    [InlineData("SELECT 1 -- @a :b\n, @p", "SELECT 1 -- @a :b\n, $1")]
    [InlineData("SELECT /* @a /* :b */ @c */ @p", "SELECT /* @a /* :b */ @c */ $1")]
    public void Placeholders_inside_quotes_and_comments_are_text(string sql, string expected)
    {
        var (rewritten, names) = Rewrite(sql);

        Assert.Equal(expected, rewritten);
        Assert.Equal(["p"], names);
    }

    [Theory]
    [InlineData("SELECT a@>b, a @> b, @p", "SELECT a@>b, a @> b, $1")]
    [InlineData("SELECT a<@b, a <@ b, @p", "SELECT a<@b, a <@ b, $1")]
    [InlineData("SELECT v@@q, v @@ q, @@b, @p", "SELECT v@@q, v @@ q, @@b, $1")]
    [InlineData("SELECT @ x, @-5, @p", "SELECT @ x, @-5, $1")]
    [InlineData("SELECT path ?@ 'x', path?@y, @p", "SELECT path ?@ 'x', path?@y, $1")]
    [InlineData("SELECT x::int, x ::text, @p::int", "SELECT x::int, x ::text, $1::int")]
    [InlineData("SELECT f(a := 1, b => 2), @p", "SELECT f(a := 1, b => 2), $1")]
    [InlineData("SELECT @a$1, @p", "SELECT @a$1, $1")]
    public void Operators_next_to_names_are_left_alone(string sql, string expected)
    {
        var (rewritten, names) = Rewrite(sql);

        Assert.Equal(expected, rewritten);
        Assert.Equal(["p"], names);
    }

    [Theory]
    [InlineData("SELECT a[1:2], a[lo:hi], a[lo : hi], a[:hi], a[lo:], @p")]
    [InlineData("SELECT (f(x))[1:n], a[b[1]:n], \"a\"[1:n], $$x$$, @p")]
    [InlineData("SELECT a[1][2:n], @p")]
    public void A_colon_inside_an_array_subscript_separates_a_slice_and_is_no_placeholder(string sql)
    {
        var (rewritten, _) = Rewrite(sql);

        Assert.Equal(sql.Replace("@p", "$1"), rewritten);
    }

    [Fact]
    public void Named_placeholders_inside_a_subscript_and_an_array_constructor_are_placeholders()
    {
        var (rewritten, names) = Rewrite("SELECT a[@lo:@hi], a[f(:i)], ARRAY[:x, :y], ARRAY[[:x], [:y]], array[:z]");

        Assert.Equal("SELECT a[$1:$2], a[f($3)], ARRAY[$4, $5], ARRAY[[$4], [$5]], array[$6]", rewritten);
        Assert.Equal(["lo", "hi", "i", "x", "y", "z"], names);
    }

    // ---- Placeholders ----

    [Fact]
    public void At_and_colon_placeholders_become_numbered_in_order_of_first_appearance()
    {
        var (rewritten, names) = Rewrite("UPDATE t SET name = :name WHERE id = @id");

        Assert.Equal("UPDATE t SET name = $1 WHERE id = $2", rewritten);
        Assert.Equal(["name", "id"], names);
    }

    [Fact]
    public void A_name_used_several_times_is_one_parameter_whatever_its_prefix_and_case()
    {
        var (rewritten, names) = Rewrite("SELECT @x, @x + 1, :x, @X WHERE @y = @x");

        Assert.Equal("SELECT $1, $1 + 1, $1, $1 WHERE $2 = $1", rewritten);
        Assert.Equal(["x", "y"], names);
    }

    [Fact]
    public void Placeholders_right_after_an_operator_or_punctuation_are_placeholders()
    {
        // Dapper users write id=@id; PostgreSQL has no =@ operator, so nothing valid is taken from them.
        var (rewritten, names) = Rewrite("SELECT * FROM t WHERE id=@id AND a>@a AND b||@b<>'' AND c IN(@c1,@c2)");

        Assert.Equal("SELECT * FROM t WHERE id=$1 AND a>$2 AND b||$3<>'' AND c IN($4,$5)", rewritten);
        Assert.Equal(["id", "a", "b", "c1", "c2"], names);
    }

    [Fact]
    public void Names_hold_letters_digits_underscores_and_non_ASCII_letters()
    {
        var (rewritten, names) = Rewrite("SELECT @p_1, @p10, @naïve, @_x");

        Assert.Equal("SELECT $1, $2, $3, $4", rewritten);
        Assert.Equal(["p_1", "p10", "naïve", "_x"], names);
    }

    [Fact]
    public void Each_statement_of_a_command_text_binds_the_names_it_uses_from_its_own_first_parameter()
    {
        var parsed = SqlSplitter.Parse("INSERT INTO t VALUES (@a, @b); SELECT @b, @a; SELECT 1", split: true);

        Assert.Equal(["a", "b"], parsed.Names);
        Assert.Equal(["INSERT INTO t VALUES ($1, $2)", "SELECT $1, $2", "SELECT 1"], parsed.Statements!.Select(s => s.Sql));
        Assert.Equal([0, 1], parsed.Statements![0].ParameterIndexes);
        Assert.Equal([1, 0], parsed.Statements![1].ParameterIndexes);
        Assert.Empty(parsed.Statements![2].ParameterIndexes);
    }

    [Fact]
    public void A_batch_command_text_is_one_statement_even_with_a_semicolon()
    {
        var parsed = SqlSplitter.Parse("SELECT @a; SELECT @a", split: false);

        Assert.Equal("SELECT $1; SELECT $1", Assert.Single(parsed.Statements!).Sql);
    }

    // ---- Texts without named placeholders ----

    [Theory]
    [InlineData("SELECT 1")]
    [InlineData("SELECT x::int FROM t WHERE a @> b")]
    [InlineData("SELECT '@a', $$:b$$ -- @c")]
    public void A_text_without_placeholders_goes_unchanged(string sql)
    {
        var parsed = SqlSplitter.Parse(sql, split: true);

        Assert.Same(ParsedSql.NoPlaceholders, parsed);
    }

    [Fact]
    public void A_text_with_positional_placeholders_goes_unchanged()
    {
        Assert.Same(ParsedSql.Positional, SqlSplitter.Parse("SELECT $1::int, a[1:2], '@x' WHERE b @> $2", split: true));
    }

    [Fact]
    public void Positional_placeholders_in_several_statements_are_renumbered_as_before()
    {
        var parsed = SqlSplitter.Parse("SELECT $2; SELECT $1, $2", split: true);

        Assert.False(parsed.IsNamed);
        Assert.Equal(["SELECT $1", "SELECT $1, $2"], parsed.Statements!.Select(s => s.Sql));
        Assert.Equal([1], parsed.Statements![0].ParameterIndexes);
    }

    [Fact]
    public void Mixing_positional_and_named_placeholders_is_an_error_naming_both()
    {
        var e = Assert.Throws<ArgumentException>(() => SqlSplitter.Parse("SELECT @a, $1; SELECT :b", split: true));

        Assert.Contains("$1", e.Message);
        Assert.Contains("@a", e.Message);
    }

    [Fact]
    public void The_native_split_reads_at_names_as_PostgreSQL_does()
    {
        // The native API binds by position: @a there is the absolute-value operator applied to a.
        var statements = SqlSplitter.Split("SELECT @a, $2; SELECT $1");

        Assert.Equal(["SELECT @a, $1", "SELECT $1"], statements!.Select(s => s.Sql));
    }

    // ---- The cache ----

    [Fact]
    public void Commands_with_the_same_text_share_one_reading()
    {
        string sql = "SELECT @shared_" + Guid.NewGuid().ToString("N");

        Assert.Same(ParsedSqlCache.Commands.Get(sql), ParsedSqlCache.Commands.Get(new string(sql.AsSpan())));
    }
}
