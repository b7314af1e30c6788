using CsCheck;
using PgWire.Tests.Infrastructure;
using PgWire.Tests.Types.Misc;

namespace PgWire.Tests.Types.Basic;

/// <summary>citext (extension) as string: random Unicode strings, both directions, and equality without case.</summary>
[Collection("Database")]
public sealed class CitextPropertyTests(DatabaseFixture db) : IAsyncLifetime
{
    public Task InitializeAsync() => db.Server.RunSqlAsync("CREATE EXTENSION IF NOT EXISTS citext;");

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>
    /// The string with the case of its ASCII letters swapped. The test cluster runs with locale C, where citext's lower()
    /// folds ASCII letters only, so exactly these changes must compare equal.
    /// </summary>
    private static string SwapAsciiCase(string s) =>
        new(s.Select(c => c is >= 'a' and <= 'z' ? (char)(c - 32) : c is >= 'A' and <= 'Z' ? (char)(c + 32) : c).ToArray());

    [Fact]
    public async Task A_string_sent_for_a_citext_prints_on_the_server_unchanged()
    {
        await using var source = PgDataSource.Create(db.ConnectionString);
        await using var conn = await source.OpenConnectionAsync();
        await Differential.SentValuesPrintAsExpectedAsync(conn, RandomText.Strings(40), "SELECT $1::citext::text", s => s, print: RandomText.Print);
    }

    [Fact]
    public async Task A_string_sent_for_a_citext_equals_its_case_swapped_form_and_differs_from_it_as_text()
    {
        await using var source = PgDataSource.Create(db.ConnectionString);
        await using var conn = await source.OpenConnectionAsync();
        await RandomText.Strings(40).SampleAsync(async s =>
        {
            var row = (await conn.QueryAsync("SELECT $1::citext = $2::citext AS folded, $1::text = $2::text AS exact", s, SwapAsciiCase(s)))[0];
            Assert.True(row.Get<bool>("folded"));
            Assert.Equal(s == SwapAsciiCase(s), row.Get<bool>("exact"));
        }, iter: Differential.Iterations, threads: 1, print: RandomText.Print);
    }

    [Fact]
    public async Task A_citext_made_by_the_server_reads_as_the_String_of_its_text()
    {
        await using var source = PgDataSource.Create(db.ConnectionString);
        await using var conn = await source.OpenConnectionAsync();
        await Differential.ServerValuesReadAsPrintedAsync<string>(conn, $"({RandomText.Sql(24)})::citext", s => s);
    }
}
