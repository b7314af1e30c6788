using System.Data;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Integration;

/// <summary>
/// A CancellationToken that is already cancelled when a call starts makes the call throw PgOperationCanceledException
/// (SqlState 57014) without touching the connection, which then runs the next command on the same backend.
/// </summary>
[Collection("Database")]
public sealed class CancellationTests(DatabaseFixture db) : IAsyncLifetime
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
    public async Task QueryAsync_with_a_cancelled_token_throws_PgOperationCanceledException_and_the_connection_stays_usable()
    {
        int pid = _conn.ProcessId;

        await Assert.ThrowsAsync<PgOperationCanceledException>(() => _conn.QueryAsync("SELECT 1", Cancelled).AsTask());

        await AssertUsableOnSameBackendAsync(pid);
    }

    [Fact]
    public async Task ExecuteAsync_with_a_cancelled_token_does_not_run_the_command()
    {
        await _conn.ExecuteAsync("CREATE TEMP TABLE cancelled_insert (id int4)");

        await Assert.ThrowsAsync<PgOperationCanceledException>(() =>
            _conn.ExecuteAsync("INSERT INTO cancelled_insert VALUES ($1)", Cancelled, 1).AsTask());

        Assert.Equal(0L, await _conn.QueryScalarAsync<long>("SELECT count(*) FROM cancelled_insert"));
    }

    [Fact]
    public async Task QueryScalarAsync_with_a_cancelled_token_throws_and_the_connection_stays_usable()
    {
        int pid = _conn.ProcessId;

        await Assert.ThrowsAsync<PgOperationCanceledException>(() => _conn.QueryScalarAsync<int>("SELECT $1::int4", Cancelled, 5).AsTask());

        await AssertUsableOnSameBackendAsync(pid);
    }

    [Fact]
    public async Task ExecuteReaderAsync_with_a_cancelled_token_throws_and_the_connection_stays_usable()
    {
        int pid = _conn.ProcessId;
        await using var cmd = new PgCommand("SELECT 1", _conn);

        await Assert.ThrowsAsync<PgOperationCanceledException>(() => cmd.ExecuteReaderAsync(Cancelled));

        await AssertUsableOnSameBackendAsync(pid);
    }

    [Fact]
    public async Task ExecuteNonQueryAsync_and_ExecuteScalarAsync_with_a_cancelled_token_throw_and_the_connection_stays_usable()
    {
        int pid = _conn.ProcessId;
        await using var cmd = new PgCommand("SELECT 1", _conn);

        await Assert.ThrowsAsync<PgOperationCanceledException>(() => cmd.ExecuteNonQueryAsync(Cancelled));
        await Assert.ThrowsAsync<PgOperationCanceledException>(() => cmd.ExecuteScalarAsync(Cancelled));

        await AssertUsableOnSameBackendAsync(pid);
    }

    [Fact]
    public async Task OpenAsync_with_a_cancelled_token_throws_and_leaves_the_connection_closed_and_openable()
    {
        await using var conn = new PgConnection(db.ConnectionString);

        var e = await Record.ExceptionAsync(() => conn.OpenAsync(Cancelled));

        // OpenAsync reports the cancellation as a PgConnectionException around an OperationCanceledException today;
        // PgOperationCanceledException, as the commands throw, is accepted too.
        Assert.True(e is PgOperationCanceledException or PgConnectionException { InnerException: OperationCanceledException },
            $"Expected a cancellation, got {e?.GetType().Name ?? "no exception"}: {e?.Message}");

        Assert.Equal(ConnectionState.Closed, conn.State);
        await conn.OpenAsync();
        Assert.Equal(1, await conn.QueryScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public async Task BeginTransactionAsync_with_a_cancelled_token_throws_and_the_connection_stays_usable_outside_a_transaction()
    {
        int pid = _conn.ProcessId;

        await Assert.ThrowsAsync<PgOperationCanceledException>(() => _conn.BeginTransactionAsync(Cancelled).AsTask());

        Assert.False(_conn.InTransaction);
        await AssertUsableOnSameBackendAsync(pid);
    }

    [Fact]
    public async Task ReadAsync_with_a_cancelled_token_stops_the_running_command_and_the_connection_stays_usable()
    {
        int pid = _conn.ProcessId;
        // Far more rows than the socket buffers hold: the server is still producing them when the cancel arrives.
        await using var cmd = new PgCommand("SELECT g FROM generate_series(1, 100000000) g", _conn);
        var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());

        var e = await Assert.ThrowsAsync<PgOperationCanceledException>(async () =>
        {
            while (await reader.ReadAsync(Cancelled)) { }
        });

        Assert.Equal(PgErrorCodes.QueryCanceled, e.SqlState);
        await reader.DisposeAsync();
        await AssertUsableOnSameBackendAsync(pid);
    }
}
