using CsCheck;
using PgWire.Tests.Infrastructure;
using PgWire.Tests.Types.Misc;

namespace PgWire.Tests.Types.Basic;

/// <summary>
/// text, varchar, char(n) and name with random Unicode strings (emoji, CJK, combining marks, quotes, backslashes,
/// control characters), both directions, with the server as the oracle. A string parameter goes untyped (in text
/// format) unless a PgDbType names its type (then in binary format): both are covered.
/// </summary>
[Collection("Database")]
public sealed class TextPropertyTests(DatabaseFixture db)
{
    [Fact]
    public async Task A_string_sent_as_Text_prints_on_the_server_unchanged()
    {
        await using var conn = await db.OpenAsync();
        await Differential.SentValuesPrintAsExpectedAsync(conn, RandomText.Strings(40), "SELECT $1::text", s => s, PgDbType.Text,
            print: RandomText.Print);
    }

    [Fact]
    public async Task A_string_sent_untyped_prints_on_the_server_unchanged()
    {
        await using var conn = await db.OpenAsync();
        await Differential.SentValuesPrintAsExpectedAsync(conn, RandomText.Strings(40), "SELECT $1::text", s => s, print: RandomText.Print);
    }

    [Fact]
    public async Task A_string_sent_as_Varchar_prints_on_the_server_unchanged()
    {
        await using var conn = await db.OpenAsync();
        await Differential.SentValuesPrintAsExpectedAsync(conn, RandomText.Strings(40), "SELECT $1::varchar::text", s => s, PgDbType.Varchar,
            print: RandomText.Print);
    }

    [Fact]
    public async Task A_string_sent_as_Char_and_cast_to_char_10_keeps_10_characters_and_loses_trailing_spaces_as_text()
    {
        await using var conn = await db.OpenAsync();
        await Differential.SentValuesPrintAsExpectedAsync(conn, RandomText.Strings(16), "SELECT $1::char(10)::text",
            s => PgOutput.CharNAsText(s, 10), PgDbType.Char, print: RandomText.Print);
    }

    [Fact]
    public async Task A_string_of_at_most_63_bytes_sent_as_Name_prints_on_the_server_unchanged()
    {
        // namerecv refuses 64 bytes and more (identifier too long); only namein, for text, cuts.
        await using var conn = await db.OpenAsync();
        await Differential.SentValuesPrintAsExpectedAsync(conn, RandomText.Strings(40).Select(PgOutput.Name), "SELECT $1::name::text",
            s => s, PgDbType.Name, print: RandomText.Print);
    }

    [Fact]
    public async Task A_string_sent_untyped_for_a_name_is_cut_to_63_bytes_at_a_character_boundary()
    {
        await using var conn = await db.OpenAsync();
        await Differential.SentValuesPrintAsExpectedAsync(conn, RandomText.Strings(40), "SELECT $1::name::text", PgOutput.Name,
            print: RandomText.Print);
    }

    [Fact]
    public async Task A_text_made_by_the_server_reads_as_the_String_of_its_text()
    {
        await using var conn = await db.OpenAsync();
        await Differential.ServerValuesReadAsPrintedAsync<string>(conn, RandomText.Sql(24), s => s);
    }

    [Fact]
    public async Task A_varchar_made_by_the_server_reads_as_the_String_of_its_text()
    {
        await using var conn = await db.OpenAsync();
        await Differential.ServerValuesReadAsPrintedAsync<string>(conn, $"({RandomText.Sql(24)})::varchar", s => s);
    }

    [Fact]
    public async Task A_char_16_made_by_the_server_reads_as_the_String_bpcharout_prints_with_its_padding()
    {
        // bpchar::text would drop the padding: format('%s') prints through bpcharout, the type's output function.
        await using var conn = await db.OpenAsync();
        await Differential.ServerValuesReadAsPrintedAsync<string>(conn, $"({RandomText.Sql(24)})::char(16)", s => s,
            textOf: "format('%s', v)");
    }

    [Fact]
    public async Task A_name_made_by_the_server_reads_as_the_String_of_its_text()
    {
        // Up to 48 characters: about a quarter of the strings pass 63 bytes, which the cast to name cuts.
        await using var conn = await db.OpenAsync();
        await Differential.ServerValuesReadAsPrintedAsync<string>(conn, $"({RandomText.Sql(48)})::name", s => s);
    }
}
