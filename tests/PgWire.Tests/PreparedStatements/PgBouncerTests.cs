using System.Globalization;

namespace PgWire.Tests.PreparedStatements;

/// <summary>
/// PgWire behind PgBouncer in transaction mode, where each transaction may run on another server connection. With
/// Prepared Statements=false everything works however often a statement runs (automatic preparation would otherwise
/// have kicked in after Auto Prepare Min Usages runs); with named statements on, a client whose transaction lands on
/// another server connection is told which setting to use.
/// </summary>
[Collection("PgBouncer")]
public sealed class PgBouncerTests(PgBouncerFixture bouncer) : IAsyncLifetime
{
    private const int Clients = 4;
    private const int Runs = 8;

    public async Task InitializeAsync() =>
        await bouncer.Server.RunSqlAsync("DROP TABLE IF EXISTS bouncer_items; CREATE TABLE bouncer_items (client int4, n int4, label text)");

    public async Task DisposeAsync() => await bouncer.Server.RunSqlAsync("DROP TABLE IF EXISTS bouncer_items");

    /// <summary>Runs <paramref name="work"/> on <see cref="Clients"/> connections at once, each opened with <paramref name="settings"/>.</summary>
    private async Task OnConcurrentClientsAsync(string settings, Func<PgConnection, int, Task> work)
    {
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(async client =>
        {
            await using var conn = await bouncer.OpenAsync(settings);
            await work(conn, client);
        }));
    }

    private async Task<long> StoredRowsAsync(string where) =>
        long.Parse((await bouncer.Server.RunSqlAsync("SELECT count(*) FROM bouncer_items WHERE " + where)).Trim(), CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("Prepared Statements=false;Pooling=false")]
    [InlineData("Prepared Statements=false;Pooling=true;Maximum Pool Size=3")]
    public async Task Parameterized_selects_of_several_types_return_their_values_every_time_from_concurrent_clients(string settings)
    {
        const string sql = "SELECT $1::int4 + 1, $2::text || '!', $3::uuid, $4::timestamptz, $5::int4[], $6::int8 * 2";

        await OnConcurrentClientsAsync(settings, async (conn, client) =>
        {
            for (int i = 0; i < Runs; i++)
            {
                var id = Guid.NewGuid();
                var stamp = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(client * 100 + i);
                var row = (await conn.QueryAsync(sql, i, $"c{client}", id, stamp, new[] { client, i }, (long)i))[0];
                Assert.Equal(i + 1, row[0]);
                Assert.Equal($"c{client}!", row[1]);
                Assert.Equal(id, row[2]);
                Assert.Equal(stamp, ((DateTime)row[3]!).ToUniversalTime());
                Assert.Equal(new[] { client, i }, row[4]);
                Assert.Equal(2L * i, row[5]);
            }
        });
    }

    [Fact]
    public async Task Inserts_and_committed_or_rolled_back_transactions_from_concurrent_clients_keep_exactly_the_committed_rows()
    {
        await OnConcurrentClientsAsync("Prepared Statements=false;Pooling=false", async (conn, client) =>
        {
            for (int i = 0; i < Runs; i++)
            {
                Assert.Equal(1, await conn.ExecuteAsync("INSERT INTO bouncer_items VALUES ($1, $2, 'plain')", client, i));
                await using (var tx = await conn.BeginTransactionAsync())
                {
                    await conn.ExecuteAsync("INSERT INTO bouncer_items VALUES ($1, $2, 'committed')", client, i);
                    // Read back inside the transaction: the same server connection holds it until COMMIT.
                    Assert.Equal(1, await conn.QueryScalarAsync<long>(
                        "SELECT count(*) FROM bouncer_items WHERE client = $1 AND n = $2 AND label = 'committed'", client, i));
                    await tx.CommitAsync();
                }
                await using (var tx = await conn.BeginTransactionAsync())
                {
                    await conn.ExecuteAsync("INSERT INTO bouncer_items VALUES ($1, $2, 'rolled back')", client, i);
                    await tx.RollbackAsync();
                }
            }
        });

        Assert.Equal(Clients * Runs, await StoredRowsAsync("label = 'plain'"));
        Assert.Equal(Clients * Runs, await StoredRowsAsync("label = 'committed'"));
        Assert.Equal(0, await StoredRowsAsync("label = 'rolled back'"));
    }

    [Fact]
    public async Task A_data_reader_reads_every_row_every_time_from_concurrent_clients()
    {
        await OnConcurrentClientsAsync("Prepared Statements=false;Pooling=false", async (conn, client) =>
        {
            await using var cmd = new PgCommand("SELECT n, 'row ' || n AS label FROM generate_series(1, $1::int4) AS n", conn);
            cmd.Parameters.Add(new PgParameter { Value = 0 });
            for (int i = 1; i <= Runs; i++)
            {
                cmd.Parameters[0].Value = i + client;
                var seen = new List<int>();
                await using var reader = await cmd.ExecuteReaderAsync();
                Assert.Equal("label", reader.GetName(1));
                while (await reader.ReadAsync())
                {
                    Assert.Equal($"row {reader.GetInt32(0)}", reader.GetString(1));
                    seen.Add(reader.GetInt32(0));
                }
                Assert.Equal(Enumerable.Range(1, i + client), seen);
            }
        });
    }

    [Fact]
    public async Task A_server_error_leaves_each_client_usable_for_the_statements_that_follow()
    {
        await OnConcurrentClientsAsync("Prepared Statements=false;Pooling=false", async (conn, client) =>
        {
            for (int i = 0; i < Runs; i++)
            {
                var e = await Assert.ThrowsAsync<PgServerException>(() => conn.QueryScalarAsync<int>("SELECT 10 / $1::int4", 0).AsTask());
                Assert.Equal(PgErrorCodes.DivisionByZero, e.SqlState);
                Assert.Equal(10 / (i + 1), await conn.QueryScalarAsync<int>("SELECT 10 / $1::int4", i + 1));
            }
        });
    }

    [Fact]
    public async Task Without_Prepared_Statements_false_a_statement_prepared_on_another_server_connection_fails_naming_the_setting()
    {
        // PgBouncer hands out its idle server connections last in, first out. While A holds one in a transaction,
        // B prepares its statement on the other; A's COMMIT then puts A's connection on top, where B's next run lands.
        await using var a = await bouncer.OpenAsync("Pooling=false", "bouncer_stale");
        await using var b = await bouncer.OpenAsync("Pooling=false", "bouncer_stale");
        const string sql = "SELECT $1::int4 * 2 /* bouncer prepared */";
        await using (var tx = await a.BeginTransactionAsync())
        {
            await a.ExecuteAsync("SELECT 1");
            Assert.Equal(2, await b.QueryScalarAsync<int>(sql, 1));
            Assert.Equal(4, await b.QueryScalarAsync<int>(sql, 2));
            await tx.CommitAsync();
        }

        var e = await Assert.ThrowsAsync<PgServerException>(() => b.QueryScalarAsync<int>(sql, 3).AsTask());

        Assert.Equal(PgErrorCodes.InvalidSqlStatementName, e.SqlState);
        Assert.Contains("Prepared Statements=false", e.Message, StringComparison.Ordinal);
        // The connection forgot its statements: the next run prepares again where it lands, and works.
        Assert.Equal(8, await b.QueryScalarAsync<int>(sql, 4));
    }

    [Fact]
    public async Task Two_clients_preparing_on_one_server_connection_never_run_each_others_statements()
    {
        // Taking turns, both clients run on the server connection last in (see above). Statement names are unique in the
        // process, so B's first prepared statement cannot be mistaken for A's on the shared session.
        await using var a = await bouncer.OpenAsync("Pooling=false", "bouncer_duplicate");
        await using var b = await bouncer.OpenAsync("Pooling=false", "bouncer_duplicate");
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal($"A:{i}", await a.QueryScalarAsync<string>("SELECT 'A:' || $1::int4 /* bouncer duplicate */", i));
            Assert.Equal($"B:{i}", await b.QueryScalarAsync<string>("SELECT 'B:' || $1::int4 /* bouncer duplicate */", i));
        }
    }
}
