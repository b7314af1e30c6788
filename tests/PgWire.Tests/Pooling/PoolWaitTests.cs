using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Pooling;

/// <summary>
/// Opens that wait on a full pool end in one of four ways: handed a connection, timed out, cancelled by their token,
/// or failed because the data source was disposed. The pool reuses its waiter objects, so each way is also followed
/// by waits that must still behave.
/// </summary>
[Collection("Database")]
public sealed class PoolWaitTests(DatabaseFixture db)
{
    private PgDataSource CreateDataSource(string settings) =>
        db.NewDataSource("wait", settings);

    [Fact]
    public async Task A_waiting_open_is_cancelled_by_its_token_and_leaves_no_waiter_behind()
    {
        await using var dataSource = CreateDataSource("Maximum Pool Size=1;Timeout=30");
        await using var holder = await dataSource.OpenConnectionAsync();
        using var cts = new CancellationTokenSource();
        var waiting = dataSource.OpenConnectionAsync(cts.Token).AsTask();
        await PoolingTestSupport.EventuallyAsync(() => dataSource.Statistics.Waiting == 1, "the open waits");

        cts.Cancel();

        var e = await Assert.ThrowsAsync<OperationCanceledException>(
            () => PoolingTestSupport.WithinAsync(waiting, PoolingTestSupport.WaitBound, "The cancelled open"));
        Assert.Contains("waited for a free pooled connection", e.Message);
        Assert.Equal(cts.Token, e.CancellationToken);
        Assert.Equal(new PgPoolStatistics(Idle: 0, Busy: 1, Waiting: 0, Created: 1, Destroyed: 0), dataSource.Statistics);
    }

    [Fact]
    public async Task An_open_with_a_token_already_cancelled_fails_without_taking_a_connection()
    {
        await using var dataSource = CreateDataSource("Maximum Pool Size=1;Timeout=30");
        await using var holder = await dataSource.OpenConnectionAsync();

        var cancelled = new CancellationToken(canceled: true);
        var e = await Assert.ThrowsAsync<OperationCanceledException>(() => dataSource.OpenConnectionAsync(cancelled).AsTask());

        Assert.Equal(cancelled, e.CancellationToken);
        Assert.Equal(0, dataSource.Statistics.Waiting);
    }

    [Fact]
    public async Task Waits_after_cancelled_and_timed_out_waits_still_get_the_returned_connection()
    {
        await using var dataSource = CreateDataSource("Maximum Pool Size=1;Timeout=1");
        var holder = await dataSource.OpenConnectionAsync();
        int pid = holder.ProcessId;
        for (int i = 0; i < 3; i++)
        {
            using var cts = new CancellationTokenSource();
            var cancelled = dataSource.OpenConnectionAsync(cts.Token).AsTask();
            await PoolingTestSupport.EventuallyAsync(() => dataSource.Statistics.Waiting == 1, "the open waits");
            cts.Cancel();
            Assert.Equal(cts.Token, (await Assert.ThrowsAsync<OperationCanceledException>(() => cancelled)).CancellationToken);
            await Assert.ThrowsAsync<PgPoolExhaustedException>(() => dataSource.OpenConnectionAsync().AsTask());
        }

        for (int round = 0; round < 3; round++)
        {
            // One asynchronous and one synchronous open wait together; each returned connection goes to one of them.
            var asyncWait = dataSource.OpenConnectionAsync().AsTask();
            await PoolingTestSupport.EventuallyAsync(() => dataSource.Statistics.Waiting == 1, "the async open waits");
            var syncWait = Task.Run(() => dataSource.OpenConnection());
            await PoolingTestSupport.EventuallyAsync(() => dataSource.Statistics.Waiting == 2, "the sync open waits");

            await holder.DisposeAsync();
            var first = await PoolingTestSupport.WithinAsync(asyncWait, PoolingTestSupport.WaitBound, "The async open");
            Assert.Equal(pid, first.ProcessId);
            await first.DisposeAsync();
            holder = await PoolingTestSupport.WithinAsync(syncWait, PoolingTestSupport.WaitBound, "The sync open");
            Assert.Equal(pid, holder.ProcessId);
            Assert.Equal(1, await holder.QueryScalarAsync<int>("SELECT 1"));
        }
        await holder.DisposeAsync();

        Assert.Equal(new PgPoolStatistics(Idle: 1, Busy: 0, Waiting: 0, Created: 1, Destroyed: 0), dataSource.Statistics);
    }

    [Fact]
    public async Task Disposing_the_data_source_fails_the_opens_waiting_on_it()
    {
        var dataSource = CreateDataSource("Maximum Pool Size=1;Timeout=30");
        var holder = await dataSource.OpenConnectionAsync();
        var waiting = dataSource.OpenConnectionAsync().AsTask();
        await PoolingTestSupport.EventuallyAsync(() => dataSource.Statistics.Waiting == 1, "the open waits");

        await dataSource.DisposeAsync();

        var e = await Assert.ThrowsAsync<PgConnectionException>(
            () => PoolingTestSupport.WithinAsync(waiting, PoolingTestSupport.WaitBound, "The waiting open"));
        Assert.Contains("disposed", e.Message);
        await holder.DisposeAsync();
    }
}
