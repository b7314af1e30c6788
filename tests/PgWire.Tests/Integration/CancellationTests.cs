using System.Data;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Integration;

/// <summary>
/// A CancellationToken that is already cancelled when a call starts makes the call throw OperationCanceledException
/// carrying that token, without touching the connection, which then runs the next command on the same backend.
/// </summary>
[Collection("Database")]
public sealed class CancellationTests(DatabaseFixture db) : IAsyncLifetime
{
    private static readonly CancellationToken Cancelled = new(canceled: true);

    private PgConnection _conn = null!;

    public async Task InitializeAsync() => _conn = await db.OpenAsync();

    public async Task DisposeAsync() => await _conn.DisposeAsync();

    private static void AssertCancelledBy(CancellationToken token, OperationCanceledException e) => Assert.Equal(token, e.CancellationToken);

    private async Task AssertUsableOnSameBackendAsync(int pid)
    {
        Assert.Equal(ConnectionState.Open, _conn.State);
        Assert.Equal(pid, await _conn.QueryScalarAsync<int>("SELECT pg_backend_pid()"));
    }

    [Fact]
    public async Task QueryAsync_with_a_cancelled_token_throws_OperationCanceledException_and_the_connection_stays_usable()
    {
        int pid = _conn.ProcessId;

        var e = await Assert.ThrowsAsync<OperationCanceledException>(() => _conn.QueryAsync("SELECT 1", Cancelled).AsTask());

        AssertCancelledBy(Cancelled, e);
        await AssertUsableOnSameBackendAsync(pid);
    }

    [Fact]
    public async Task ExecuteAsync_with_a_cancelled_token_does_not_run_the_command()
    {
        await _conn.ExecuteAsync("CREATE TEMP TABLE cancelled_insert (id int4)");

        var e = await Assert.ThrowsAsync<OperationCanceledException>(() =>
            _conn.ExecuteAsync("INSERT INTO cancelled_insert VALUES ($1)", Cancelled, 1).AsTask());

        AssertCancelledBy(Cancelled, e);
        Assert.Equal(0L, await _conn.QueryScalarAsync<long>("SELECT count(*) FROM cancelled_insert"));
    }

    [Fact]
    public async Task QueryScalarAsync_with_a_cancelled_token_throws_and_the_connection_stays_usable()
    {
        int pid = _conn.ProcessId;

        var e = await Assert.ThrowsAsync<OperationCanceledException>(() => _conn.QueryScalarAsync<int>("SELECT $1::int4", Cancelled, 5).AsTask());

        AssertCancelledBy(Cancelled, e);
        await AssertUsableOnSameBackendAsync(pid);
    }

    [Fact]
    public async Task ExecuteReaderAsync_with_a_cancelled_token_throws_and_the_connection_stays_usable()
    {
        int pid = _conn.ProcessId;
        await using var cmd = new PgCommand("SELECT 1", _conn);

        var e = await Assert.ThrowsAsync<OperationCanceledException>(() => cmd.ExecuteReaderAsync(Cancelled));

        AssertCancelledBy(Cancelled, e);
        await AssertUsableOnSameBackendAsync(pid);
    }

    [Fact]
    public async Task ExecuteNonQueryAsync_and_ExecuteScalarAsync_with_a_cancelled_token_throw_and_the_connection_stays_usable()
    {
        int pid = _conn.ProcessId;
        await using var cmd = new PgCommand("SELECT 1", _conn);

        AssertCancelledBy(Cancelled, await Assert.ThrowsAsync<OperationCanceledException>(() => cmd.ExecuteNonQueryAsync(Cancelled)));
        AssertCancelledBy(Cancelled, await Assert.ThrowsAsync<OperationCanceledException>(() => cmd.ExecuteScalarAsync(Cancelled)));

        await AssertUsableOnSameBackendAsync(pid);
    }

    [Fact]
    public async Task OpenAsync_with_a_cancelled_token_throws_and_leaves_the_connection_closed_and_openable()
    {
        await using var conn = new PgConnection(db.ConnectionString);

        var e = await Assert.ThrowsAsync<OperationCanceledException>(() => conn.OpenAsync(Cancelled));

        AssertCancelledBy(Cancelled, e);
        Assert.Equal(ConnectionState.Closed, conn.State);
        await conn.OpenAsync();
        Assert.Equal(1, await conn.QueryScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public async Task BeginTransactionAsync_with_a_cancelled_token_throws_and_the_connection_stays_usable_outside_a_transaction()
    {
        int pid = _conn.ProcessId;

        var e = await Assert.ThrowsAsync<OperationCanceledException>(() => _conn.BeginTransactionAsync(Cancelled).AsTask());

        AssertCancelledBy(Cancelled, e);
        Assert.False(_conn.InTransaction);
        await AssertUsableOnSameBackendAsync(pid);
    }

    [Fact]
    public async Task ReadAsync_with_a_cancelled_token_stops_the_running_command_and_the_connection_stays_usable()
    {
        int pid = _conn.ProcessId;
        // Far more rows than the socket buffers hold: the server is still producing them when the cancel arrives (in the
        // select list the series is streamed; in FROM the server would first materialise all of it).
        await using var cmd = new PgCommand("SELECT generate_series(1, 100000000)", _conn);
        var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());

        var e = await Assert.ThrowsAsync<OperationCanceledException>(async () =>
        {
            while (await reader.ReadAsync(Cancelled)) { }
        });

        AssertCancelledBy(Cancelled, e);
        Assert.Equal(PgErrorCodes.QueryCanceled, Assert.IsType<PgServerException>(e.InnerException).SqlState);
        await reader.DisposeAsync();
        await AssertUsableOnSameBackendAsync(pid);
    }

    [Fact]
    public async Task RollbackAsync_with_a_cancelled_token_throws_and_leaves_the_transaction_open_to_roll_back_again()
    {
        int pid = _conn.ProcessId;
        await using var tx = await _conn.BeginTransactionAsync();

        var e = await Assert.ThrowsAsync<OperationCanceledException>(() => tx.RollbackAsync(Cancelled));

        AssertCancelledBy(Cancelled, e);
        Assert.True(_conn.InTransaction);
        await tx.RollbackAsync();
        Assert.False(_conn.InTransaction);
        await AssertUsableOnSameBackendAsync(pid);
    }
}
