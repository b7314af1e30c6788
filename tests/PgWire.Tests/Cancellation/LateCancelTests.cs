using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Cancellation;

/// <summary>
/// A cancel that arrives after its command ended must not stop the next one. DbCommand.Cancel and then closing the
/// reader is what Dapper does with a query it stops reading early; the CancelRequest travels on a connection of its
/// own, so the reader can be closed (its rows already received) before the server has the cancel.
/// </summary>
[Collection("Database")]
public sealed class LateCancelTests(DatabaseFixture db)
{
    [Fact]
    public async Task A_command_after_a_cancelled_and_closed_reader_runs_to_its_end()
    {
        await using var conn = await db.OpenAsync();
        for (int round = 0; round < 5; round++)
        {
            await using (var cmd = new PgCommand("SELECT g FROM generate_series(1, 10) g", conn))
            await using (var reader = await cmd.ExecuteReaderAsync())
            {
                Assert.True(await reader.ReadAsync());
                // Every row is already here: closing the reader ends the command at once, before the cancel lands.
                cmd.Cancel();
            }

            // Long enough for a late cancel to land while it runs.
            Assert.Equal(round, await conn.QueryScalarAsync<int>("SELECT $1 FROM pg_sleep(0.2)", round));
        }
    }

    [Fact]
    public void The_same_holds_for_synchronous_calls()
    {
        using var conn = new PgConnection(db.ConnectionString);
        conn.Open();
        for (int round = 0; round < 5; round++)
        {
            using (var cmd = new PgCommand("SELECT g FROM generate_series(1, 10) g", conn))
            using (var reader = cmd.ExecuteReader())
            {
                Assert.True(reader.Read());
                cmd.Cancel();
            }

            using var sleep = new PgCommand("SELECT 1 FROM pg_sleep(0.2)", conn);
            Assert.Equal(1, sleep.ExecuteScalar());
        }
    }
}
