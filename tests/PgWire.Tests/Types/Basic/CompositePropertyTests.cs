using System.Globalization;
using CsCheck;
using PgWire.Tests.Infrastructure;
using PgWire.Tests.Types.Misc;

namespace PgWire.Tests.Types.Basic;

/// <summary>The .NET side of <c>basic_stock_item</c>: every field nullable, so NULL fields can go both ways.</summary>
public sealed record BasicStockItem(string? Label, int? Qty, decimal? Price, bool? InStock, byte[]? Data);

/// <summary>
/// A composite type mapped to a .NET record, with random fields (NULLs, empty strings, quotes, commas, parentheses,
/// backslashes, white space), both directions, compared with record_out's text.
/// </summary>
[Collection("Database")]
public sealed class CompositePropertyTests(DatabaseFixture db) : IAsyncLifetime
{
    public Task InitializeAsync() => db.Server.RunSqlAsync("""
        DO $$ BEGIN
          IF NOT EXISTS (SELECT FROM pg_type WHERE typname = 'basic_stock_item') THEN
            CREATE TYPE basic_stock_item AS (label text, qty int4, price numeric, in_stock bool, data bytea);
          END IF;
        END $$;
        """);

    public Task DisposeAsync() => Task.CompletedTask;

    private PgDataSource Mapped() => new PgDataSourceBuilder(db.ConnectionString).MapComposite<BasicStockItem>().Build();

    private static readonly Gen<BasicStockItem> Items = Gen.Select(
        RandomText.Strings(12).Null(0.15), Gen.Int.Nullable(0.15), NumericPropertyTests.Decimals.Nullable(0.15), Gen.Bool.Nullable(0.15),
        Gen.Byte.Array[0, 8].Null(0.15),
        (label, qty, price, inStock, data) => new BasicStockItem(label, qty, price, inStock, data));

    /// <summary>record_out of the item: each field as its type's output function prints it.</summary>
    private static string RecordText(BasicStockItem item) => PgOutput.Record(
        item.Label,
        item.Qty?.ToString(CultureInfo.InvariantCulture),
        item.Price is { } p ? PgOutput.Numeric(p) : null,
        item.InStock is { } b ? PgOutput.BoolOut(b) : null,
        item.Data is { } d ? PgOutput.Bytea(d) : null);

    [Fact]
    public async Task A_mapped_record_sent_as_a_parameter_prints_on_the_server_as_record_out_would()
    {
        await using var source = Mapped();
        await using var conn = await source.OpenConnectionAsync();
        await Differential.SentValuesPrintAsExpectedAsync(conn, Items, "SELECT $1::basic_stock_item::text", RecordText,
            print: item => RandomText.Visible(RecordText(item)));
    }

    [Fact]
    public async Task A_composite_made_by_the_server_reads_as_the_mapped_record_of_its_text()
    {
        string OrNull(string sql) => $"CASE WHEN random() < 0.15 THEN NULL ELSE {sql} END";
        await using var source = Mapped();
        await using var conn = await source.OpenConnectionAsync();
        await Differential.ServerValuesReadAsPrintedAsync<BasicStockItem>(conn,
            "ROW(" +
            OrNull(RandomText.Sql(12)) + ", " +
            OrNull("floor(random() * 4294967296 - 2147483648)::int4") + ", " +
            OrNull("round(((random() - 0.5) * 10 ^ floor(random() * 15))::numeric, floor(random() * 8)::int)") + ", " +
            OrNull("random() < 0.5") + ", " +
            OrNull("substr(decode(md5(random()::text), 'hex'), 1, floor(random() * 17)::int)") +
            ")::basic_stock_item",
            RecordText);
    }
}
