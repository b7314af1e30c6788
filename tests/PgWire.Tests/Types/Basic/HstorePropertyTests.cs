using CsCheck;
using PgWire.Tests.Infrastructure;
using PgWire.Tests.Types.Misc;

namespace PgWire.Tests.Types.Basic;

/// <summary>
/// hstore (extension) as Dictionary&lt;string, string?&gt;: random keys and values (NULL values, empty strings, quotes,
/// backslashes, "=&gt;", Unicode), both directions, compared with hstore_out's text.
/// </summary>
[Collection("Database")]
public sealed class HstorePropertyTests(DatabaseFixture db) : IAsyncLifetime
{
    public Task InitializeAsync() => db.Server.RunSqlAsync("CREATE EXTENSION IF NOT EXISTS hstore;");

    public Task DisposeAsync() => Task.CompletedTask;

    private static readonly Gen<Dictionary<string, string?>> Maps = Gen.Select(
        RandomText.Strings(8).Array[0, 6], RandomText.Strings(8).Null(0.2).Array[6],
        (keys, values) => keys.Distinct().Select((k, i) => (k, values[i])).ToDictionary(p => p.k, p => p.Item2));

    [Fact]
    public async Task A_dictionary_sent_as_a_parameter_prints_on_the_server_as_hstore_out_would()
    {
        await using var source = PgDataSource.Create(db.ConnectionString);
        await using var conn = await source.OpenConnectionAsync();
        await Differential.SentValuesPrintAsExpectedAsync(conn, Maps, "SELECT $1::hstore::text", PgOutput.Hstore,
            print: map => RandomText.Visible(PgOutput.Hstore(map)));
    }

    [Fact]
    public async Task An_hstore_made_by_the_server_reads_as_the_dictionary_of_its_text()
    {
        // Four random keys (duplicates collapse) and values, of which the first 0 to 4 pairs are kept.
        string keys = string.Join(", ", Enumerable.Repeat(RandomText.Sql(6), 4));
        string values = string.Join(", ", Enumerable.Repeat($"CASE WHEN random() < 0.2 THEN NULL ELSE {RandomText.Sql(6)} END", 4));
        await using var source = PgDataSource.Create(db.ConnectionString);
        await using var conn = await source.OpenConnectionAsync();
        await Differential.ServerValuesReadAsPrintedAsync<Dictionary<string, string?>>(conn,
            $"(SELECT hstore(k[1:n], v[1:n]) " +
            $"FROM (SELECT ARRAY[{keys}] AS k, ARRAY[{values}]::text[] AS v, floor(random() * 5)::int + 0 * i AS n) x)",
            PgOutput.Hstore);
    }
}
