using System.Text;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Integration;

/// <summary>
/// text, varchar, bpchar and name through parameters and results. Non-ASCII strings are checked against strings the
/// server builds itself with chr(), so a wrong encoding in either direction cannot cancel out.
/// </summary>
[Collection("Database")]
public sealed class TextTypeTests(DatabaseFixture db) : IAsyncLifetime
{
    private PgConnection _conn = null!;

    public async Task InitializeAsync() => _conn = await db.OpenAsync();

    public async Task DisposeAsync() => await _conn.DisposeAsync();

    public static TheoryData<string> NonAsciiStrings =>
    [
        "😀",
        "漢字",
        "e\u0301",
        "Ǆemal 👩‍👩‍👧 Ελληνικά עברית",
        "\uFEFFbyte order mark",
        "\u00A0non-breaking\u2028line separator",
    ];

    /// <summary>A SQL expression of pure ASCII that makes the server build <paramref name="value"/> itself.</summary>
    private static string ServerBuilt(string value) =>
        string.Join(" || ", value.EnumerateRunes().Select(r => $"chr({r.Value})"));

    private static string Latin1WithoutNul() => new(Enumerable.Range(1, 255).Select(i => (char)i).ToArray());

    [Theory]
    [MemberData(nameof(NonAsciiStrings))]
    public async Task A_non_ascii_string_comes_back_from_text_unchanged(string value) =>
        Assert.Equal(value, await _conn.ReadSingleAsync<string>("SELECT $1::text", value));

    [Theory]
    [MemberData(nameof(NonAsciiStrings))]
    public async Task A_non_ascii_string_parameter_equals_the_string_the_server_builds_from_its_code_points(string value) =>
        Assert.True(await _conn.ReadSingleAsync<bool>($"SELECT $1::text = ({ServerBuilt(value)})", value));

    [Theory]
    [MemberData(nameof(NonAsciiStrings))]
    public async Task A_non_ascii_string_the_server_builds_reads_as_the_same_string(string value) =>
        Assert.Equal(value, await _conn.ReadSingleAsync<string>($"SELECT {ServerBuilt(value)}"));

    [Theory]
    [MemberData(nameof(NonAsciiStrings))]
    public async Task The_server_counts_the_code_points_and_utf8_bytes_of_a_non_ascii_parameter(string value)
    {
        var row = (await _conn.QueryAsync("SELECT char_length($1::text) AS chars, octet_length($1::text) AS bytes", value))[0];

        Assert.Equal(value.EnumerateRunes().Count(), row.Get<int>("chars"));
        Assert.Equal(Encoding.UTF8.GetByteCount(value), row.Get<int>("bytes"));
    }

    [Fact]
    public async Task All_255_non_nul_latin1_characters_come_back_unchanged()
    {
        string latin1 = Latin1WithoutNul();

        Assert.Equal(latin1, await _conn.ReadSingleAsync<string>("SELECT $1::text", latin1));
    }

    [Fact]
    public async Task All_255_non_nul_latin1_characters_reach_the_server_as_those_code_points()
    {
        bool same = await _conn.ReadSingleAsync<bool>(
            "SELECT $1::text = (SELECT string_agg(chr(i), '' ORDER BY i) FROM generate_series(1, 255) i)", Latin1WithoutNul());

        Assert.True(same);
    }

    [Fact]
    public async Task All_255_non_nul_latin1_characters_the_server_builds_read_as_those_chars() =>
        Assert.Equal(Latin1WithoutNul(),
            await _conn.ReadSingleAsync<string>("SELECT string_agg(chr(i), '' ORDER BY i) FROM generate_series(1, 255) i"));

    [Fact]
    public async Task An_empty_string_is_an_empty_text_not_NULL()
    {
        var row = (await _conn.QueryAsync("SELECT $1::text AS value, $1::text IS NULL AS is_null, octet_length($1::text) AS bytes", ""))[0];

        Assert.Equal("", row["value"]);
        Assert.Equal(false, row["is_null"]);
        Assert.Equal(0, row["bytes"]);
    }

    [Theory]
    [InlineData("text", "héllo 😀", "héllo 😀")]
    [InlineData("varchar", "héllo 😀", "héllo 😀")]
    [InlineData("varchar(3)", "abcdef", "abc")]
    [InlineData("bpchar", "ab", "ab")]
    [InlineData("char(5)", "ab", "ab   ")]
    [InlineData("name", "pg_class", "pg_class")]
    public async Task A_string_parameter_takes_the_type_the_statement_casts_it_to(string type, string value, string expected) =>
        Assert.Equal(expected, await _conn.ReadSingleAsync<string>($"SELECT $1::{type}", value));

    [Theory]
    [InlineData(PgDbType.Text, "text")]
    [InlineData(PgDbType.Varchar, "character varying")]
    [InlineData(PgDbType.Char, "character")]
    [InlineData(PgDbType.Name, "name")]
    public async Task A_string_parameter_with_an_explicit_PgDbType_is_sent_as_that_type(PgDbType type, string serverTypeName)
    {
        var row = (await _conn.QueryAsync("SELECT $1 AS value, pg_typeof($1)::text AS type", new PgParameter { Value = "Grüße 漢字", PgDbType = type }))[0];

        Assert.Equal("Grüße 漢字", row["value"]);
        Assert.Equal(serverTypeName, row["type"]);
    }

    [Theory]
    [InlineData("SELECT 'abc'::text", "text")]
    [InlineData("SELECT 'abc'::varchar", "character varying")]
    [InlineData("SELECT 'abc'::char(3)", "character")]
    [InlineData("SELECT 'abc'::name", "name")]
    public async Task A_text_like_column_reads_as_String_and_reports_its_type_name(string sql, string dataTypeName)
    {
        await using var cmd = new PgCommand(sql, _conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());

        Assert.Equal("abc", reader.GetValue(0));
        Assert.Equal(typeof(string), reader.GetFieldType(0));
        Assert.Equal(dataTypeName, reader.GetDataTypeName(0));
    }

    [Fact]
    public async Task A_string_with_an_unpaired_surrogate_is_refused_before_sending_and_the_connection_stays_usable()
    {
        var e = await Assert.ThrowsAsync<PgConversionException>(() => _conn.QueryAsync("SELECT $1::text", "bad \uD800 half").AsTask());

        Assert.Equal(PgErrorCodes.CharacterNotInRepertoire, e.SqlState);
        Assert.Equal("ok", await _conn.QueryScalarAsync<string>("SELECT $1::text", "ok"));
    }

    [Fact]
    public async Task A_char_array_parameter_is_sent_as_its_string() =>
        Assert.Equal("chars", await _conn.ReadSingleAsync<string>("SELECT $1::text", "chars".ToCharArray()));
}
