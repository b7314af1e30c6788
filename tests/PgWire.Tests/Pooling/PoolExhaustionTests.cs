using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Pooling;

/// <summary>
/// A pool at Maximum Pool Size: further opens wait up to Timeout, first come first served, and then fail with
/// <see cref="PgPoolExhaustedException"/> saying how many connections were busy and how long the open waited.
/// </summary>
[Collection("Database")]
public sealed class PoolExhaustionTests(DatabaseFixture db)
{
    private PgDataSource CreateDataSource(string settings) =>
        db.NewDataSource("exhaust", settings);

    [Fact]
    public async Task An_open_beyond_Maximum_Pool_Size_fails_after_Timeout_with_PgPoolExhaustedException()
    {
        await using var dataSource = CreateDataSource("Maximum Pool Size=2;Timeout=1");
        await using var first = await dataSource.OpenConnectionAsync();
        await using var second = await dataSource.OpenConnectionAsync();

        var e = await Assert.ThrowsAsync<PgPoolExhaustedException>(() => dataSource.OpenConnectionAsync().AsTask());

        Assert.Equal(PgErrorCodes.TooManyConnections, e.SqlState);
    }

    [Fact]
    public async Task The_exhaustion_error_says_how_many_connections_were_busy_and_how_long_the_open_waited()
    {
        await using var dataSource = CreateDataSource("Maximum Pool Size=2;Timeout=1");
        await using var first = await dataSource.OpenConnectionAsync();
        await using var second = await dataSource.OpenConnectionAsync();

        var e = await Assert.ThrowsAsync<PgPoolExhaustedException>(() => dataSource.OpenConnectionAsync().AsTask());

        Assert.Matches(@"\b2\b[^.]*busy", e.Message);
        Assert.Matches(@"\b1 ?s\b|\b1 second", e.Message);
    }

    [Fact]
    public async Task A_synchronous_open_beyond_Maximum_Pool_Size_fails_with_PgPoolExhaustedException()
    {
        await using var dataSource = CreateDataSource("Maximum Pool Size=1;Timeout=1");
        using var first = dataSource.OpenConnection();

        Assert.Throws<PgPoolExhaustedException>(() => dataSource.OpenConnection());
    }

    [Fact]
    public async Task A_failed_wait_leaves_no_waiter_and_no_extra_busy_connection_behind()
    {
        await using var dataSource = CreateDataSource("Maximum Pool Size=2;Timeout=1");
        await using var first = await dataSource.OpenConnectionAsync();
        await using var second = await dataSource.OpenConnectionAsync();

        await Assert.ThrowsAsync<PgPoolExhaustedException>(() => dataSource.OpenConnectionAsync().AsTask());

        Assert.Equal(new PgPoolStatistics(Idle: 0, Busy: 2, Waiting: 0, Created: 2, Destroyed: 0), dataSource.Statistics);
    }

    [Fact]
    public async Task After_a_connection_of_an_exhausted_pool_is_closed_an_open_succeeds_on_that_connection()
    {
        await using var dataSource = CreateDataSource("Maximum Pool Size=2;Timeout=1");
        await using var first = await dataSource.OpenConnectionAsync();
        var second = await dataSource.OpenConnectionAsync();
        int secondPid = second.ProcessId;
        await Assert.ThrowsAsync<PgPoolExhaustedException>(() => dataSource.OpenConnectionAsync().AsTask());

        await second.CloseAsync();
        await using var third = await dataSource.OpenConnectionAsync();

        Assert.Equal(secondPid, third.ProcessId);
        Assert.Equal(1, await third.QueryScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public async Task An_open_waiting_on_a_full_pool_gets_the_connection_returned_during_its_wait()
    {
        await using var dataSource = CreateDataSource("Maximum Pool Size=1;Timeout=30");
        var holder = await dataSource.OpenConnectionAsync();
        int pid = holder.ProcessId;
        var waiting = dataSource.OpenConnectionAsync().AsTask();
        await PoolingTestSupport.EventuallyAsync(() => dataSource.Statistics.Waiting == 1, "the open waits");

        await holder.DisposeAsync();
        await using var handed = await PoolingTestSupport.WithinAsync(waiting, PoolingTestSupport.WaitBound, "The waiting open");

        Assert.Equal(pid, handed.ProcessId);
        Assert.Equal(0, dataSource.Statistics.Waiting);
    }

    [Fact]
    public async Task Opens_waiting_on_a_full_pool_get_returned_connections_in_the_order_they_asked()
    {
        await using var dataSource = CreateDataSource("Maximum Pool Size=1;Timeout=30");
        var current = await dataSource.OpenConnectionAsync();
        var waiters = new List<Task<PgConnection>>();
        for (int i = 1; i <= 3; i++)
        {
            waiters.Add(dataSource.OpenConnectionAsync().AsTask());
            int expected = i;
            await PoolingTestSupport.EventuallyAsync(() => dataSource.Statistics.Waiting == expected, $"{expected} opens wait");
        }

        var order = new List<int>();
        var pending = waiters.ToList();
        while (pending.Count > 0)
        {
            await current.DisposeAsync();
            var next = await PoolingTestSupport.WithinAsync(Task.WhenAny(pending), PoolingTestSupport.WaitBound, "The next waiting open");
            order.Add(waiters.IndexOf(next));
            pending.Remove(next);
            current = await next;
        }
        await current.DisposeAsync();

        Assert.Equal([0, 1, 2], order);
    }
}
