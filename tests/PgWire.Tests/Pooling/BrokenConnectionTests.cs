using System.Data;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Pooling;

/// <summary>
/// A pooled connection whose backend is gone is destroyed, never handed out again. One ended while idle in the pool
/// is noticed when it is rented (its socket has turned readable), so the open that would have got it gets a new one.
/// </summary>
[Collection("Database")]
public sealed class BrokenConnectionTests(DatabaseFixture db)
{
    private PgDataSource CreateDataSource(string settings = "Maximum Pool Size=1") =>
        db.NewDataSource("broken", settings);

    [Fact]
    public async Task An_idle_connection_whose_backend_was_terminated_is_not_handed_out_again()
    {
        await using var dataSource = CreateDataSource();
        int oldPid;
        await using (var first = await dataSource.OpenConnectionAsync()) oldPid = first.ProcessId;
        await db.TerminateBackendAsync(oldPid);

        await using var next = await dataSource.OpenConnectionAsync();

        Assert.NotEqual(oldPid, next.ProcessId);
        Assert.Equal(1, await next.QueryScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public async Task An_idle_connection_whose_backend_was_terminated_counts_as_destroyed()
    {
        await using var dataSource = CreateDataSource();
        int oldPid;
        await using (var first = await dataSource.OpenConnectionAsync()) oldPid = first.ProcessId;
        await db.TerminateBackendAsync(oldPid);

        await using var next = await dataSource.OpenConnectionAsync();

        Assert.Equal(new PgPoolStatistics(Idle: 0, Busy: 1, Waiting: 0, Created: 2, Destroyed: 1), dataSource.Statistics);
    }

    [Fact]
    public async Task A_connection_whose_backend_was_terminated_while_in_use_is_destroyed_when_closed()
    {
        await using var dataSource = CreateDataSource();
        var victim = await dataSource.OpenConnectionAsync();
        int oldPid = victim.ProcessId;
        await db.TerminateBackendAsync(oldPid);
        await Assert.ThrowsAnyAsync<PgException>(() => victim.QueryAsync("SELECT 1").AsTask());

        await victim.CloseAsync();

        Assert.Equal(new PgPoolStatistics(Idle: 0, Busy: 0, Waiting: 0, Created: 1, Destroyed: 1), dataSource.Statistics);
    }

    [Fact]
    public async Task A_backend_terminated_after_the_open_fails_the_first_command_in_the_reset_it_carries_and_is_not_reused()
    {
        // The previous user's session is reset ahead of the next user's first command, in the same write. When the
        // backend is ended between the open and that command, the reset's answer is the server's FATAL error (or
        // nothing): the command fails with a PgConnectionException and the connection is not used again.
        await using var dataSource = CreateDataSource();
        int oldPid;
        await using (var previous = await dataSource.OpenConnectionAsync())
        {
            oldPid = previous.ProcessId;
            await previous.ExecuteAsync("SET search_path TO pg_catalog");
        }
        var next = await dataSource.OpenConnectionAsync();
        Assert.Equal(oldPid, next.ProcessId);
        await db.TerminateBackendAsync(oldPid);

        var e = await Assert.ThrowsAsync<PgConnectionException>(() => next.QueryScalarAsync<int>("SELECT 1").AsTask());

        Assert.True(e.Message.Contains("Resetting the session", StringComparison.Ordinal) || e.Message.Contains("server", StringComparison.Ordinal),
            e.Message);
        Assert.True(next.State is ConnectionState.Broken or ConnectionState.Closed, $"State is {next.State}.");
        await next.DisposeAsync();
        await using var fresh = await dataSource.OpenConnectionAsync();
        Assert.NotEqual(oldPid, fresh.ProcessId);
        Assert.Equal("\"$user\", public", await fresh.QueryScalarAsync<string>("SELECT current_setting('search_path')"));
        Assert.Equal(new PgPoolStatistics(Idle: 0, Busy: 1, Waiting: 0, Created: 2, Destroyed: 1), dataSource.Statistics);
    }

    [Fact]
    public async Task After_a_connection_broke_in_use_the_next_open_gets_a_new_working_backend()
    {
        await using var dataSource = CreateDataSource();
        int oldPid;
        await using (var victim = await dataSource.OpenConnectionAsync())
        {
            oldPid = victim.ProcessId;
            await db.TerminateBackendAsync(oldPid);
            await Assert.ThrowsAnyAsync<PgException>(() => victim.QueryAsync("SELECT 1").AsTask());
        }

        await using var next = await dataSource.OpenConnectionAsync();

        Assert.NotEqual(oldPid, next.ProcessId);
        Assert.Equal(1, await next.QueryScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public async Task Closing_a_used_connection_whose_backend_was_terminated_does_not_throw()
    {
        await using var dataSource = CreateDataSource();
        var victim = await dataSource.OpenConnectionAsync();
        await victim.ExecuteAsync("SET search_path = foo");
        await db.TerminateBackendAsync(victim.ProcessId);

        var e = await Record.ExceptionAsync(() => victim.CloseAsync());

        Assert.True(e is null, $"Close threw {e}");
    }

    [Fact]
    public async Task Closing_a_connection_in_a_transaction_whose_backend_was_terminated_does_not_throw()
    {
        await using var dataSource = CreateDataSource();
        var victim = await dataSource.OpenConnectionAsync();
        await victim.BeginTransactionAsync();
        await db.TerminateBackendAsync(victim.ProcessId);

        var e = await Record.ExceptionAsync(() => victim.CloseAsync());

        Assert.True(e is null, $"Close threw {e}");
    }

    [Fact]
    public async Task A_used_connection_whose_backend_was_terminated_before_close_is_destroyed_and_frees_its_place()
    {
        await using var dataSource = CreateDataSource("Maximum Pool Size=1;Timeout=1");
        var victim = await dataSource.OpenConnectionAsync();
        int oldPid = victim.ProcessId;
        await victim.ExecuteAsync("SET search_path = foo");
        await db.TerminateBackendAsync(oldPid);
        await Record.ExceptionAsync(() => victim.CloseAsync());

        await using var next = await dataSource.OpenConnectionAsync();

        Assert.NotEqual(oldPid, next.ProcessId);
        Assert.Equal(new PgPoolStatistics(Idle: 0, Busy: 1, Waiting: 0, Created: 2, Destroyed: 1), dataSource.Statistics);
    }

    [Fact]
    public async Task A_broken_connection_closed_while_opens_wait_on_a_full_pool_makes_room_for_a_new_one()
    {
        await using var dataSource = CreateDataSource("Maximum Pool Size=1;Timeout=30");
        var victim = await dataSource.OpenConnectionAsync();
        int oldPid = victim.ProcessId;
        var waiting = dataSource.OpenConnectionAsync().AsTask();
        await PoolingTestSupport.EventuallyAsync(() => dataSource.Statistics.Waiting == 1, "the open waits");
        await db.TerminateBackendAsync(oldPid);
        await Assert.ThrowsAnyAsync<PgException>(() => victim.QueryAsync("SELECT 1").AsTask());

        await victim.CloseAsync();
        await using var next = await PoolingTestSupport.WithinAsync(waiting, PoolingTestSupport.WaitBound, "The waiting open");

        Assert.NotEqual(oldPid, next.ProcessId);
        Assert.Equal(1, await next.QueryScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public async Task A_transaction_on_a_terminated_connection_fails_with_a_PgException_and_disposing_it_does_not_throw()
    {
        await using var dataSource = CreateDataSource();
        await using var victim = await dataSource.OpenConnectionAsync();
        var transaction = await victim.BeginTransactionAsync(IsolationLevel.Serializable);
        await db.TerminateBackendAsync(victim.ProcessId);

        await Assert.ThrowsAnyAsync<PgException>(() => victim.ExecuteAsync("SELECT 1").AsTask());

        await transaction.DisposeAsync();
        await victim.CloseAsync();
        Assert.Equal(0, dataSource.Statistics.Busy);
    }

    [Fact]
    public async Task After_every_backend_of_the_pool_was_terminated_the_pool_hands_out_only_fresh_working_connections()
    {
        const int size = 5;
        await using var dataSource = CreateDataSource($"Maximum Pool Size={size}");
        var first = new List<PgConnection>();
        for (int i = 0; i < size; i++) first.Add(await dataSource.OpenConnectionAsync());
        var oldPids = first.Select(c => c.ProcessId).ToHashSet();
        foreach (var connection in first) await connection.DisposeAsync();
        foreach (int pid in oldPids) await db.TerminateBackendAsync(pid);

        var second = new List<PgConnection>();
        try
        {
            for (int i = 0; i < size; i++) second.Add(await dataSource.OpenConnectionAsync());

            Assert.All(second, c => Assert.DoesNotContain(c.ProcessId, oldPids));
            foreach (var connection in second) Assert.Equal(1, await connection.QueryScalarAsync<int>("SELECT 1"));
        }
        finally
        {
            foreach (var connection in second) await connection.DisposeAsync();
        }
    }
}
