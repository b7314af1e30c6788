using System.Data;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Integration;

/// <summary>
/// Regression tests for bugs the integration suite found: a reader that no longer held its connection, and a
/// transaction orphaned by a commit cancelled before it was sent.
/// </summary>
[Collection("Database")]
public sealed class ReaderAndTransactionRegressionTests(DatabaseFixture db) : IAsyncLifetime
{
    private static readonly CancellationToken Cancelled = new(canceled: true);

    private PgConnection _conn = null!;

    public async Task InitializeAsync() => _conn = await db.OpenAsync();

    public async Task DisposeAsync() => await _conn.DisposeAsync();

    private async Task AssertUsableOnSameBackendAsync(int pid)
    {
        Assert.Equal(ConnectionState.Open, _conn.State);
        Assert.Equal(pid, await _conn.QueryScalarAsync<int>("SELECT pg_backend_pid()"));
    }

    [Fact]
    public async Task CommitAsync_with_a_cancelled_token_throws_and_leaves_the_transaction_open_to_commit_again()
    {
        int pid = _conn.ProcessId;
        await _conn.ExecuteAsync("CREATE TEMP TABLE cancelled_commit (id int4)");
        await using var tx = await _conn.BeginTransactionAsync();
        await _conn.ExecuteAsync("INSERT INTO cancelled_commit VALUES (1)");

        var e = await Assert.ThrowsAsync<OperationCanceledException>(() => tx.CommitAsync(Cancelled));

        Assert.Equal(Cancelled, e.CancellationToken);
        Assert.True(_conn.InTransaction);
        await tx.CommitAsync();
        await AssertUsableOnSameBackendAsync(pid);
        Assert.Equal(1L, await _conn.QueryScalarAsync<long>("SELECT count(*) FROM cancelled_commit"));
    }

    [Fact]
    public async Task Disposing_a_transaction_whose_CommitAsync_was_cancelled_rolls_it_back()
    {
        var tx = await _conn.BeginTransactionAsync();
        await Assert.ThrowsAsync<OperationCanceledException>(() => tx.CommitAsync(Cancelled));

        await tx.DisposeAsync();

        Assert.False(_conn.InTransaction, "The server-side transaction outlived its PgTransaction.");
    }

    [Fact]
    public async Task Running_a_second_command_while_a_reader_over_an_empty_result_is_open_throws_InvalidOperationException()
    {
        await using var cmd = new PgCommand("SELECT 1 WHERE false", _conn);
        await using var reader = await cmd.ExecuteReaderAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => _conn.QueryAsync("SELECT 1").AsTask());
    }

    [Fact]
    public async Task Running_a_second_command_while_a_reader_read_to_its_end_is_still_open_throws_InvalidOperationException()
    {
        await using var cmd = new PgCommand("SELECT g FROM generate_series(1, 3) g", _conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) { }

        await Assert.ThrowsAsync<InvalidOperationException>(() => new PgCommand("SELECT 1", _conn).ExecuteReaderAsync());
    }

    [Fact]
    public void Disposing_a_stale_reader_does_not_swallow_the_rows_of_a_later_command()
    {
        var stale = new PgCommand("SELECT 1 WHERE false", _conn).ExecuteReader();
        PgDataReader? current = null;
        try
        {
            current = new PgCommand("SELECT g FROM generate_series(1, 3) g", _conn).ExecuteReader();
        }
        catch (InvalidOperationException)
        {
            // Refusing the second command while the first reader is open is also correct.
            return;
        }

        Assert.False(stale.Read(), "The stale reader returned a row of the later command.");
        stale.Dispose();
        var rows = new List<int>();
        while (current.Read()) rows.Add(current.GetInt32(0));
        current.Dispose();

        Assert.Equal([1, 2, 3], rows);
    }
}
