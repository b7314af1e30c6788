using CsCheck;
using PgWire.Sql;

namespace PgWire.Tests.Sql;

/// <summary>
/// Splitting a multi-statement command text as PostgreSQL's lexer reads it (sql-syntax-lexical.html): where a ';'
/// ends a statement and where it is only text, and how each statement's placeholders are renumbered.
/// </summary>
public sealed class SqlSplitterTests
{
    /// <summary>The statements' texts; fails when the text was not split.</summary>
    private static string[] Statements(string sql)
    {
        var statements = SqlSplitter.Split(sql);
        Assert.NotNull(statements);
        return statements.Select(s => s.Sql).ToArray();
    }

    // ---- When nothing is split ----

    [Fact]
    public void Text_without_a_semicolon_is_not_split()
    {
        Assert.Null(SqlSplitter.Split("SELECT 1"));
    }

    [Fact]
    public void One_statement_with_a_trailing_semicolon_is_not_split()
    {
        Assert.Null(SqlSplitter.Split("SELECT $1; \n"));
    }

    [Fact]
    public void One_statement_among_empty_and_comment_only_statements_is_not_split()
    {
        Assert.Null(SqlSplitter.Split(";; SELECT 1; /* done */ ; -- really\n;"));
    }

    [Fact]
    public void Text_that_is_not_split_allocates_nothing()
    {
        const string sql = "/* one; */ SELECT $1, '$2;', $$;$$ FROM t WHERE a = $3 AND b = $4; -- the end";
        SqlSplitter.Split(sql);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var statements = SqlSplitter.Split(sql);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Null(statements);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void A_single_statement_goes_unchanged_even_with_a_placeholder_that_is_not_valid()
    {
        // The server reports $0 in the text it receives; only splitting has to understand the number.
        Assert.Null(SqlSplitter.Split("SELECT $0;"));
    }

    // ---- Statements ----

    [Fact]
    public void Statements_come_back_in_order_trimmed_and_without_their_semicolons()
    {
        Assert.Equal(
            ["INSERT INTO t VALUES (1)", "UPDATE t SET x = 2", "SELECT 3"],
            Statements("  INSERT INTO t VALUES (1) ;\n\tUPDATE t SET x = 2;SELECT 3 \r\n"));
    }

    [Fact]
    public void Empty_and_comment_only_statements_are_dropped()
    {
        Assert.Equal(["SELECT 1", "SELECT 2"], Statements("; SELECT 1;;  ; /* c */ ; -- d\n; SELECT 2;"));
    }

    [Fact]
    public void Comments_within_a_statement_are_kept()
    {
        Assert.Equal(["SELECT 1 /* one */", "-- two\nSELECT 2"], Statements("SELECT 1 /* one */; -- two\nSELECT 2"));
    }

    [Fact]
    public void Non_ASCII_white_space_is_not_white_space_to_the_server_and_is_kept()
    {
        // U+00A0 is a letter to PostgreSQL's lexer (every byte from 0x80 is), so it makes a statement of its own.
        Assert.Equal(["SELECT 1", "\u00A0"], Statements("SELECT 1; \u00A0 "));
    }

    // ---- Semicolons that are text ----

    [Theory]
    [InlineData("'a;b'")]
    [InlineData("'it''s; still the string'")]
    [InlineData("\"a;\"\"b\"")]
    [InlineData("U&\"a;b\"")]
    [InlineData("$$a;b$$")]
    [InlineData("$body$ a; b $body$")]
    [InlineData("/* a; b */")]
    [InlineData("-- a; b\n")]
    public void A_semicolon_inside_a_quote_or_comment_does_not_end_the_statement(string quoted)
    {
        string first = $"SELECT 1 {quoted} x";

        Assert.Equal([first, "SELECT 2"], Statements($"{first}; SELECT 2"));
    }

    [Fact]
    public void A_carriage_return_ends_a_line_comment()
    {
        Assert.Equal(["SELECT 1 -- a", "SELECT 2"], Statements("SELECT 1 -- a\r; SELECT 2"));
    }

    [Fact]
    public void A_backslash_in_a_standard_string_is_an_ordinary_character()
    {
        Assert.Equal(["SELECT 'C:\\'", "SELECT 2"], Statements("SELECT 'C:\\'; SELECT 2"));
    }

    [Theory]
    [InlineData("E")]
    [InlineData("e")]
    public void A_backslash_escaped_quote_in_an_escape_string_does_not_end_it(string prefix)
    {
        string first = $"SELECT {prefix}'it\\'s; still the string'";

        Assert.Equal([first, "SELECT 2"], Statements($"{first}; SELECT 2"));
    }

    [Fact]
    public void A_doubled_quote_in_an_escape_string_does_not_end_it()
    {
        // Read as E'it' and 's \', the backslash would be literal and the string would end before the ';'.
        string first = "SELECT E'it''s \\'; still'";

        Assert.Equal([first, "SELECT 2"], Statements($"{first}; SELECT 2"));
    }

    [Fact]
    public void A_doubled_backslash_in_an_escape_string_escapes_itself_not_the_closing_quote()
    {
        Assert.Equal(["SELECT E'a\\\\'", "SELECT 2"], Statements("SELECT E'a\\\\'; SELECT 2"));
    }

    [Fact]
    public void An_E_at_the_end_of_an_identifier_is_no_escape_string_prefix()
    {
        // NAME'\' is the type name "name" before a standard string holding one backslash.
        Assert.Equal(["SELECT NAME'\\'", "SELECT 2"], Statements("SELECT NAME'\\'; SELECT 2"));
    }

    [Fact]
    public void An_escape_string_continued_on_the_next_line_escapes_in_its_continuation_too()
    {
        // 'a' <newline> 'b' is one constant; after E'a' the continuation's \' is an escaped quote.
        string first = "SELECT E'a' -- comment\n  '\\'; still the string'";

        Assert.Equal([first, "SELECT 2"], Statements($"{first}; SELECT 2"));
    }

    [Fact]
    public void Escape_strings_on_one_line_are_not_one_constant()
    {
        Assert.Equal(["SELECT E'a' '\\'", "SELECT 2"], Statements("SELECT E'a' '\\'; SELECT 2"));
    }

    [Theory]
    [InlineData("U&")]
    [InlineData("u&")]
    [InlineData("B")]
    [InlineData("X")]
    [InlineData("N")]
    public void A_prefixed_string_holds_semicolons_and_ends_at_its_quote_even_after_a_backslash(string prefix)
    {
        string first = $"SELECT {prefix}'a;b', {prefix}'\\'";

        Assert.Equal([first, "SELECT 2"], Statements($"{first}; SELECT 2"));
    }

    [Fact]
    public void Block_comments_nest()
    {
        string first = "SELECT 1 /* a /* b */ still; a comment */";

        Assert.Equal([first, "SELECT 2"], Statements($"{first}; SELECT 2"));
    }

    [Fact]
    public void An_empty_block_comment_ends_at_its_star_slash()
    {
        Assert.Equal(["SELECT 1 /**/", "SELECT 2"], Statements("SELECT 1 /**/; SELECT 2"));
    }

    // ---- Dollar quotes ----

    [Fact]
    public void A_dollar_quote_ends_only_at_its_own_tag()
    {
        string first = "SELECT $a$ $$; $b$; $A$; $a $a$";

        Assert.Equal([first, "SELECT 2"], Statements($"{first}; SELECT 2"));
    }

    [Fact]
    public void A_dollar_quote_tag_may_hold_digits_and_underscores_and_non_ASCII_letters()
    {
        string first = "SELECT $_f1é$ ; $_f1é$";

        Assert.Equal([first, "SELECT 2"], Statements($"{first}; SELECT 2"));
    }

    [Fact]
    public void A_dollar_and_a_name_without_a_closing_dollar_open_no_quote()
    {
        Assert.Equal(["SELECT $a", "SELECT 2 $a$ x $a$"], Statements("SELECT $a; SELECT 2 $a$ x $a$"));
    }

    [Fact]
    public void A_dollar_inside_an_identifier_opens_no_quote()
    {
        Assert.Equal(["SELECT 1 AS a$q$", "SELECT 2 AS b$q$"], Statements("SELECT 1 AS a$q$; SELECT 2 AS b$q$"));
    }

    [Fact]
    public void A_dollar_after_a_non_ASCII_letter_is_part_of_the_identifier()
    {
        Assert.Equal(["SELECT 1 AS é$q$", "SELECT 2 AS ü$q$"], Statements("SELECT 1 AS é$q$; SELECT 2 AS ü$q$"));
    }

    // ---- Placeholders ----

    [Fact]
    public void Placeholders_are_renumbered_by_first_appearance_and_map_to_the_command_parameters()
    {
        var statements = SqlSplitter.Split("SELECT $3, $1, $3; SELECT $2")!;

        Assert.Equal("SELECT $1, $2, $1", statements[0].Sql);
        Assert.Equal([2, 0], statements[0].ParameterIndexes);
        Assert.Equal("SELECT $1", statements[1].Sql);
        Assert.Equal([1], statements[1].ParameterIndexes);
    }

    [Fact]
    public void A_multi_digit_placeholder_is_one_number_and_the_text_around_it_is_kept()
    {
        var statements = SqlSplitter.Split("SELECT $12||'x', $2::int; INSERT INTO t VALUES ($12)")!;

        Assert.Equal("SELECT $1||'x', $2::int", statements[0].Sql);
        Assert.Equal([11, 1], statements[0].ParameterIndexes);
        Assert.Equal("INSERT INTO t VALUES ($1)", statements[1].Sql);
        Assert.Equal([11], statements[1].ParameterIndexes);
    }

    [Fact]
    public void A_placeholder_with_leading_zeros_is_its_number()
    {
        var statements = SqlSplitter.Split("SELECT $02; SELECT 1")!;

        Assert.Equal("SELECT $1", statements[0].Sql);
        Assert.Equal([1], statements[0].ParameterIndexes);
    }

    [Fact]
    public void A_statement_with_many_distinct_placeholders_keeps_each_one_s_first_slot()
    {
        // Past the first few distinct parameters the renumbering looks them up another way; the slots must not change.
        string values = string.Join(", ", Enumerable.Range(1, 20).Select(n => $"${21 - n}"));
        var statements = SqlSplitter.Split($"SELECT {values}, $20, $1, $11; SELECT 1")!;

        Assert.Equal("SELECT " + string.Join(", ", Enumerable.Range(1, 20).Select(j => $"${j}")) + ", $1, $20, $10",
            statements[0].Sql);
        Assert.Equal(Enumerable.Range(0, 20).Reverse(), statements[0].ParameterIndexes);
    }

    [Fact]
    public void A_statement_without_placeholders_has_the_shared_empty_parameter_indexes()
    {
        var statements = SqlSplitter.Split("SELECT 1; SELECT 2")!;

        Assert.Same(Array.Empty<int>(), statements[0].ParameterIndexes);
        Assert.Same(Array.Empty<int>(), statements[1].ParameterIndexes);
    }

    [Fact]
    public void Placeholders_in_strings_identifiers_and_comments_are_text()
    {
        var statements = SqlSplitter.Split("SELECT '$2', E'$2', \"$2\", $2 /* $2 */ -- $2\n; SELECT $1")!;

        Assert.Equal("SELECT '$2', E'$2', \"$2\", $1 /* $2 */ -- $2", statements[0].Sql);
        Assert.Equal([1], statements[0].ParameterIndexes);
    }

    [Fact]
    public void A_placeholder_inside_a_dollar_quoted_function_body_is_the_function_s_parameter_and_is_not_renumbered()
    {
        var statements = SqlSplitter.Split(
            "CREATE FUNCTION f(int) RETURNS int AS $$ SELECT $1; $$ LANGUAGE sql; SELECT f($2)")!;

        Assert.Equal("CREATE FUNCTION f(int) RETURNS int AS $$ SELECT $1; $$ LANGUAGE sql", statements[0].Sql);
        Assert.Empty(statements[0].ParameterIndexes);
        Assert.Equal("SELECT f($1)", statements[1].Sql);
        Assert.Equal([1], statements[1].ParameterIndexes);
    }

    [Fact]
    public void A_dollar_and_digits_after_an_identifier_are_part_of_its_name_not_a_placeholder()
    {
        var statements = SqlSplitter.Split("SELECT 1 AS x$1; SELECT $1")!;

        Assert.Equal("SELECT 1 AS x$1", statements[0].Sql);
        Assert.Empty(statements[0].ParameterIndexes);
        Assert.Equal([0], statements[1].ParameterIndexes);
    }

    [Fact]
    public void Dollar_zero_in_a_text_that_is_split_is_an_ArgumentException()
    {
        var e = Assert.Throws<ArgumentException>(() => SqlSplitter.Split("SELECT 1; SELECT $0"));

        Assert.Contains("$0 (at character 18 of the command text) is not a valid parameter placeholder; parameters are numbered from $1",
            e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_placeholder_number_too_large_for_an_int_is_an_ArgumentException()
    {
        var e = Assert.Throws<ArgumentException>(() => SqlSplitter.Split("SELECT $2147483648; SELECT 1"));

        Assert.Contains("$2147483648", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_largest_int_is_a_placeholder_number()
    {
        var statements = SqlSplitter.Split("SELECT $2147483647; SELECT 1")!;

        Assert.Equal([int.MaxValue - 1], statements[0].ParameterIndexes);
    }

    // ---- Parentheses and BEGIN ATOMIC bodies ----

    [Fact]
    public void A_semicolon_inside_parentheses_does_not_end_the_statement()
    {
        string rule = "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2))";

        Assert.Equal([rule, "SELECT 1"], Statements($"{rule}; SELECT 1"));
    }

    [Fact]
    public void A_stray_closing_parenthesis_does_not_stop_the_later_statements_from_splitting()
    {
        Assert.Equal(["SELECT 1)", "SELECT 2", "SELECT 3"], Statements("SELECT 1); SELECT 2; SELECT 3"));
    }

    [Fact]
    public void A_semicolon_inside_a_BEGIN_ATOMIC_body_does_not_end_the_statement()
    {
        string function = "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END";

        Assert.Equal([function, "SELECT f()"], Statements($"{function}; SELECT f()"));
    }

    [Fact]
    public void The_END_of_a_CASE_inside_a_BEGIN_ATOMIC_body_does_not_end_the_body()
    {
        string function = "CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql BEGIN ATOMIC " +
            "SELECT CASE WHEN x > 0 THEN (CASE x WHEN 1 THEN 1 END) END; SELECT 2; END";

        Assert.Equal([function, "SELECT f(1)"], Statements($"{function}; SELECT f(1)"));
    }

    [Fact]
    public void BEGIN_ATOMIC_CASE_and_END_are_key_words_in_any_case_with_comments_between()
    {
        string procedure = "create procedure p() begin /* the body */ Atomic select case when true then 1 eNd; select 2; end";

        Assert.Equal([procedure, "CALL p()"], Statements($"{procedure}; CALL p()"));
    }

    [Fact]
    public void Key_words_are_whole_words()
    {
        // "caseload" opening a CASE would leave the body open; "legend" closing one would end it at the first ';'.
        string function = "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT caseload FROM t; SELECT legend FROM t; END";

        Assert.Equal([function, "SELECT f()"], Statements($"{function}; SELECT f()"));
    }

    [Fact]
    public void ATOMIC_opens_a_body_only_right_after_BEGIN()
    {
        Assert.Equal(["SELECT 1 AS atomic", "SELECT 2 AS x"], Statements("SELECT 1 AS atomic; SELECT 2 AS x"));
    }

    [Fact]
    public void Quoted_BEGIN_and_ATOMIC_are_identifiers_not_key_words()
    {
        Assert.Equal(["SELECT \"begin\" \"atomic\"", "SELECT 2"], Statements("SELECT \"begin\" \"atomic\"; SELECT 2"));
    }

    [Fact]
    public void Plain_BEGIN_and_COMMIT_are_statements_that_split()
    {
        Assert.Equal(["BEGIN", "UPDATE t SET x = 1", "COMMIT"], Statements("BEGIN; UPDATE t SET x = 1; COMMIT;"));
    }

    [Fact]
    public void Plain_END_is_a_statement_that_splits()
    {
        Assert.Equal(["BEGIN", "SELECT CASE WHEN true THEN 1 END", "END"], Statements("BEGIN; SELECT CASE WHEN true THEN 1 END; END"));
    }

    // ---- Text the server will refuse ----

    [Theory]
    [InlineData("'abc; SELECT 2")]
    [InlineData("E'abc\\'; SELECT 2")]
    [InlineData("\"abc; SELECT 2")]
    [InlineData("$x$ abc; SELECT 2")]
    [InlineData("/* abc /* */; SELECT 2")]
    public void An_unterminated_quote_or_comment_runs_to_the_end_of_the_last_statement(string unterminated)
    {
        Assert.Equal(["SELECT 1", $"SELECT {unterminated}"], Statements($"SELECT 1; SELECT {unterminated}"));
    }

    [Fact]
    public void An_unterminated_block_comment_alone_is_kept_for_the_server_to_report()
    {
        Assert.Equal(["SELECT 1", "SELECT 2", "/* oops"], Statements("SELECT 1; SELECT 2; /* oops"));
    }

    [Fact]
    public void A_semicolon_inside_unclosed_parentheses_does_not_split()
    {
        Assert.Null(SqlSplitter.Split("SELECT (1; SELECT 2"));
    }

    [Fact]
    public void Null_text_is_an_ArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => SqlSplitter.Split(null!));
    }

    // ---- Property: statements joined with ';' come back ----

    /// <summary>A piece of statement text; <paramref name="Placeholder"/> is n for $n, else 0.</summary>
    private sealed record Fragment(string Text, int Placeholder = 0);

    /// <summary>Fragments that make a statement non-empty; every ';' and $1 in them is text or nested, none ends a statement.</summary>
    private static readonly Gen<Fragment> Content = Gen.Frequency(
        (6, Gen.OneOf(
            "SELECT", "x", "t1", "a$b", "x$1", "é", "BEGIN", "END", "CASE", "42", "1.5", "+", "::", ",", "(a)", "(b; c)",
            "'a;$1'", "'it''s;'", "E'\\';$1'", "E'\\\\'", "\"q;$1\"", "\"\"\"\"", "U&'d;'", "B'1;'", "N'n;'",
            "$$;$1$$", "$t$ $$; $1 $t$", "BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; SELECT 2; END")
            .Select(text => new Fragment(text))),
        (2, Gen.Int[1, 12].Select(n => new Fragment($"${n}", n))));

    private static readonly Gen<Fragment> Comment =
        Gen.OneOf("/* ; $1 */", "/* /* ; */ $1; */", "-- ;$1\n").Select(text => new Fragment(text));

    /// <summary>A statement: fragments separated by spaces, at least one of them content.</summary>
    private static readonly Gen<Fragment[]> Statement =
        Gen.Select(Gen.Frequency((3, Content), (1, Comment)).Array[0, 5], Content, Gen.Int[0, 5],
            (others, content, at) => Insert(others, content, Math.Min(at, others.Length)));

    private static Fragment[] Insert(Fragment[] others, Fragment content, int at) => [.. others[..at], content, .. others[at..]];

    /// <summary>What may stand between statements: a ';' with white space, empty and comment-only statements around it.</summary>
    private static readonly Gen<string> Separator =
        Gen.OneOf(";", " ; ", ";\n", "\n;\t", "; ;", ";/* only a comment; */;", ";\n-- only a comment;\n;");

    private sealed record Case(string Text, string[] Sql, int[][] ParameterIndexes);

    private static Case Join(Fragment[][] statements, string[] separators, string leading, string trailing)
    {
        var text = new System.Text.StringBuilder(leading);
        var sql = new string[statements.Length];
        var indexes = new int[statements.Length][];
        for (int i = 0; i < statements.Length; i++)
        {
            if (i > 0) text.Append(separators[i - 1]);
            text.AppendJoin(' ', statements[i].Select(f => f.Text));

            var seen = new List<int>();
            sql[i] = string.Join(' ', statements[i].Select(f =>
            {
                if (f.Placeholder == 0) return f.Text;
                if (!seen.Contains(f.Placeholder - 1)) seen.Add(f.Placeholder - 1);
                return $"${seen.IndexOf(f.Placeholder - 1) + 1}";
            })).Trim();
            indexes[i] = seen.ToArray();
        }
        text.Append(trailing);
        return new Case(text.ToString(), sql, indexes);
    }

    [Fact]
    public void Statements_joined_with_semicolons_come_back_with_their_placeholders_renumbered()
    {
        Gen.Select(Statement.Array[1, 5], Separator.Array[4], Gen.OneOf("", " \n", ";", "-- lead;\n;", "/* lead */;"),
                Gen.OneOf("", ";", "; ", ";\n-- the end;"), Join)
            .Sample(c =>
            {
                var statements = SqlSplitter.Split(c.Text);
                if (c.Sql.Length == 1)
                {
                    Assert.Null(statements);
                    return;
                }
                Assert.NotNull(statements);
                Assert.Equal(c.Sql, statements.Select(s => s.Sql));
                Assert.Equal(c.ParameterIndexes, statements.Select(s => s.ParameterIndexes));
            }, iter: 5000, print: c => c.Text);
    }
}
