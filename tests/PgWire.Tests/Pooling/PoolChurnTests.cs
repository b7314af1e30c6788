using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Pooling;

/// <summary>
/// Many more users than connections, opening and closing as fast as they can: the lock-free rent and return must never
/// leave a connector idle while an open waits for one (a lost wake-up would show as an open timing out), nor hand one
/// connector to two users, nor lose a place in the pool.
/// </summary>
[Collection("Database")]
public sealed class PoolChurnTests(DatabaseFixture db)
{
    [Fact]
    public async Task Thirty_two_tasks_on_a_pool_of_two_all_finish_and_every_connection_comes_back()
    {
        await using var dataSource = db.NewDataSource("churn", "Maximum Pool Size=2;Timeout=20");
        var inUse = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        int overlaps = 0;

        var tasks = Enumerable.Range(0, 32).Select(task => Task.Run(async () =>
        {
            for (int i = 0; i < 150; i++)
            {
                await using var conn = await dataSource.OpenConnectionAsync();
                int pid = conn.ProcessId;
                if (!inUse.TryAdd(pid, task)) Interlocked.Increment(ref overlaps);
                Assert.Equal(task * 1000 + i, await conn.QueryScalarAsync<int>("SELECT $1::int4", task * 1000 + i));
                inUse.TryRemove(pid, out _);
            }
        })).ToArray();
        await Task.WhenAll(tasks);

        Assert.Equal(0, overlaps);
        var stats = dataSource.Statistics;
        Assert.Equal(0, stats.Busy);
        Assert.Equal(0, stats.Waiting);
        Assert.InRange(stats.Idle, 1, 2);
        Assert.InRange(stats.Created, 1, 2);
    }

    [Fact]
    public async Task Synchronous_and_asynchronous_users_sharing_a_pool_of_one_all_finish()
    {
        await using var dataSource = db.NewDataSource("churnsync", "Maximum Pool Size=1;Timeout=20");

        var asyncUsers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (int i = 0; i < 100; i++)
            {
                await using var conn = await dataSource.OpenConnectionAsync();
                Assert.Equal(i, await conn.QueryScalarAsync<int>("SELECT $1::int4", i));
            }
        }));
        var syncUsers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                using var conn = dataSource.OpenConnection();
                Assert.Equal(2L, conn.Query("SELECT 2::int8")[0][0]);
            }
        }));
        await Task.WhenAll(asyncUsers.Concat(syncUsers));

        Assert.Equal(0, dataSource.Statistics.Busy);
        Assert.Equal(1, dataSource.Statistics.Idle);
    }

    [Fact]
    public async Task Opens_cancelled_at_random_while_they_wait_leave_the_pool_whole_for_the_others()
    {
        // Waiters are reused: one cancelled while it waits (or just as it is handed a connection) must not disturb
        // the next wait that takes the same waiter, and a connection handed to a cancelled open must not be lost.
        await using var dataSource = db.NewDataSource("churncancel", "Maximum Pool Size=2;Timeout=30");
        int completed = 0, cancelled = 0;

        var tasks = Enumerable.Range(0, 16).Select(task => Task.Run(async () =>
        {
            var random = new Random(task);
            for (int i = 0; i < 60; i++)
            {
                using var cts = new CancellationTokenSource();
                if (random.Next(3) == 0) cts.CancelAfter(TimeSpan.FromTicks(random.Next(0, 20_000)));
                PgConnection conn;
                try
                {
                    conn = await dataSource.OpenConnectionAsync(cts.Token);
                }
                catch (OperationCanceledException e) when (e.CancellationToken == cts.Token)
                {
                    Interlocked.Increment(ref cancelled);
                    continue;
                }
                await using (conn)
                    Assert.Equal(i, await conn.QueryScalarAsync<int>("SELECT $1::int4", i));
                Interlocked.Increment(ref completed);
            }
        })).ToArray();
        await PoolingTestSupport.WithinAsync(Task.WhenAll(tasks), TimeSpan.FromSeconds(60), "The churn with cancellations");

        Assert.Equal(16 * 60, completed + cancelled);
        Assert.True(cancelled > 0, "No open was cancelled: the test did not exercise cancelled waits.");
        Assert.True(completed > 16 * 60 / 2, $"Only {completed} of {16 * 60} opens completed.");
        var stats = dataSource.Statistics;
        Assert.Equal(0, stats.Busy);
        Assert.Equal(0, stats.Waiting);
        Assert.Equal(stats.Created - stats.Destroyed, stats.Idle);
        Assert.InRange(stats.Idle, 1, 2);

        // The pool still serves both of its places.
        await using var a = await dataSource.OpenConnectionAsync();
        await using var b = await dataSource.OpenConnectionAsync();
        Assert.NotEqual(a.ProcessId, b.ProcessId);
    }
}
