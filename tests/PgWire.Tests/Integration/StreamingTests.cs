using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Integration;

/// <summary>
/// PgDataReader streams rows from the socket: a large result is never buffered whole, and a reader closed early
/// leaves the connection ready. Allocation is measured on the current thread around synchronous reads, so the work
/// cannot move to another thread.
/// </summary>
[Collection("Database")]
public sealed class StreamingTests(DatabaseFixture db)
{
    [Fact]
    public async Task The_first_row_of_a_two_million_row_result_arrives_without_the_rest_being_buffered()
    {
        await using var conn = await db.OpenAsync();
        using (var warmUp = new PgCommand("SELECT g FROM generate_series(1, 3) g", conn))
        using (var warmUpReader = warmUp.ExecuteReader())
        {
            while (warmUpReader.Read()) { }
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        using var cmd = new PgCommand("SELECT g FROM generate_series(1, 2000000) g", conn);
        using var reader = cmd.ExecuteReader();
        Assert.True(reader.Read());
        int first = reader.GetInt32(0);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(1, first);
        // The whole result is about 30 MB on the wire; the first row may cost a buffer, not the result.
        Assert.True(allocated < 1 << 20, $"Reading the first row allocated {allocated:N0} bytes.");
    }

    [Fact]
    public async Task Disposing_a_reader_after_the_first_of_two_million_rows_leaves_the_connection_usable()
    {
        await using var conn = await db.OpenAsync();
        await using (var cmd = new PgCommand("SELECT g FROM generate_series(1, 2000000) g", conn))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            Assert.Equal(1, reader.GetInt32(0));
        }

        Assert.Equal(42, await conn.QueryScalarAsync<int>("SELECT 42"));
    }

    [Fact]
    public async Task A_reader_returns_every_row_of_a_large_result_in_order()
    {
        await using var conn = await db.OpenAsync();
        await using var cmd = new PgCommand("SELECT g, repeat('x', g % 100) FROM generate_series(1, 300000) g", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        int expected = 1;

        while (await reader.ReadAsync())
        {
            Assert.Equal(expected, reader.GetInt32(0));
            Assert.Equal(expected % 100, reader.GetString(1).Length);
            expected++;
        }

        Assert.Equal(300_001, expected);
    }

    [Fact]
    public async Task Rows_wider_than_the_read_buffer_are_read_whole()
    {
        await using var conn = await db.OpenAsync();

        var rows = await conn.QueryAsync("SELECT g, repeat(chr(65 + g), 100000 * g) AS s FROM generate_series(1, 5) g");

        Assert.Equal(5, rows.Count);
        foreach (var row in rows)
        {
            int g = row.Get<int>("g");
            Assert.Equal(new string((char)(65 + g), 100_000 * g), row["s"]);
        }
    }
}
