using System.Data;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Integration;

/// <summary>
/// A backend ended by the server (pg_terminate_backend sends FATAL 57P01 and closes the socket): the next command
/// fails with a PgException, the connection is never reused, and new connections work.
/// </summary>
[Collection("Database")]
public sealed class TerminatedConnectionTests(DatabaseFixture db)
{
    /// <summary>Ends the backend of <paramref name="victim"/> from another session and waits until it is gone.</summary>
    private async Task TerminateAsync(PgConnection victim)
    {
        await using var admin = await db.OpenAsync();
        // With a timeout, pg_terminate_backend waits for the backend to exit (PostgreSQL 14+).
        bool terminated = await admin.QueryScalarAsync<bool>("SELECT pg_terminate_backend($1, 30000)", victim.ProcessId);
        Assert.True(terminated, "The server did not end the backend.");
    }

    [Fact]
    public async Task The_next_query_on_a_terminated_connection_raises_a_PgException()
    {
        await using var victim = await db.OpenAsync();
        await TerminateAsync(victim);

        var e = await Assert.ThrowsAnyAsync<PgException>(() => victim.QueryAsync("SELECT 1").AsTask());

        Assert.True(e is PgServerException { SqlState: PgErrorCodes.AdminShutdown } or PgConnectionException,
            $"Expected FATAL 57P01 or a PgConnectionException, got {e.GetType().Name}: {e.Message}");
    }

    [Fact]
    public async Task A_terminated_connection_reports_Broken_or_Closed_after_the_failed_query()
    {
        await using var victim = await db.OpenAsync();
        await TerminateAsync(victim);

        await Assert.ThrowsAnyAsync<PgException>(() => victim.QueryAsync("SELECT 1").AsTask());

        Assert.True(victim.State is ConnectionState.Broken or ConnectionState.Closed, $"State is {victim.State}.");
    }

    [Fact]
    public async Task A_terminated_connection_keeps_failing_with_a_PgException_rather_than_hanging()
    {
        await using var victim = await db.OpenAsync();
        await TerminateAsync(victim);
        await Assert.ThrowsAnyAsync<PgException>(() => victim.QueryAsync("SELECT 1").AsTask());

        var second = await Record.ExceptionAsync(() => victim.QueryAsync("SELECT 1").AsTask());

        Assert.True(second is PgConnectionException or InvalidOperationException,
            $"Expected PgConnectionException or InvalidOperationException, got {second?.GetType().Name ?? "no exception"}.");
    }

    [Fact]
    public async Task A_synchronous_query_on_a_terminated_connection_raises_a_PgException()
    {
        await using var victim = await db.OpenAsync();
        await TerminateAsync(victim);

        Assert.ThrowsAny<PgException>(() => victim.Query("SELECT 1"));
    }

    [Fact]
    public async Task A_new_connection_works_after_another_was_terminated()
    {
        await using var victim = await db.OpenAsync();
        await TerminateAsync(victim);
        await Assert.ThrowsAnyAsync<PgException>(() => victim.QueryAsync("SELECT 1").AsTask());

        await using var fresh = await db.OpenAsync();

        Assert.Equal(1, await fresh.QueryScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public async Task A_terminated_connection_can_be_opened_again_on_a_new_backend()
    {
        await using var victim = await db.OpenAsync();
        int oldPid = victim.ProcessId;
        await TerminateAsync(victim);
        await Assert.ThrowsAnyAsync<PgException>(() => victim.QueryAsync("SELECT 1").AsTask());

        if (victim.State != ConnectionState.Closed) await victim.CloseAsync();
        await victim.OpenAsync();

        Assert.Equal(1, await victim.QueryScalarAsync<int>("SELECT 1"));
        Assert.NotEqual(oldPid, victim.ProcessId);
    }

    [Fact]
    public async Task A_reader_whose_backend_is_terminated_mid_result_raises_a_PgException_and_disposes_cleanly()
    {
        await using var victim = await db.OpenAsync();
        await using var cmd = new PgCommand("SELECT g FROM generate_series(1, 5000000) g", victim);
        var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        await TerminateAsync(victim);

        await Assert.ThrowsAnyAsync<PgException>(async () =>
        {
            while (await reader.ReadAsync()) { }
        });

        await reader.DisposeAsync();
        Assert.True(victim.State is ConnectionState.Broken or ConnectionState.Closed, $"State is {victim.State}.");
    }
}
