using PgWire.Tests.Infrastructure;
using static PgWire.Tests.Notifications.NotificationTestSupport;

namespace PgWire.Tests.Notifications;

/// <summary>PgDataSource.ListenAsync: a long-running listener that LISTENs again after losing its connection, and says so.</summary>
[Collection("Database")]
public sealed class ListenAsyncTests(DatabaseFixture db)
{
    /// <summary>The backend of the data source's listener, once its LISTEN has completed (its last query, now idle).</summary>
    private async Task<int> ListeningBackendAsync(string applicationName, int except = 0)
    {
        await using var admin = await db.OpenAsync();
        var giveUpAt = DateTime.UtcNow + Bound;
        while (true)
        {
            int? pid = await admin.QueryScalarAsync<int?>(
                "SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND state = 'idle' AND query LIKE 'LISTEN%' AND pid <> $2",
                applicationName, except);
            if (pid is { } found) return found;
            if (DateTime.UtcNow > giveUpAt) Assert.Fail($"No backend of '{applicationName}' listened within {Bound.TotalSeconds} s.");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Yields_the_notifications_of_its_channels_in_order()
    {
        string app = "notif_listen_" + Guid.NewGuid().ToString("N")[..8], jobs = NewChannel(), mixed = "Mixed Case " + NewChannel();
        await using var dataSource = PgDataSource.Create(db.ConnectionString + ";Application Name=" + app);
        using var stop = new CancellationTokenSource(Bound);
        await using var listener = dataSource.ListenAsync([jobs, mixed], stop.Token).GetAsyncEnumerator();
        var first = listener.MoveNextAsync().AsTask();
        await ListeningBackendAsync(app);

        await using var sender = await db.OpenAsync();
        await sender.ExecuteAsync("SELECT pg_notify($1, 'a'), pg_notify($2, 'b'), pg_notify($1, 'c')", jobs, mixed);

        Assert.True(await first);
        var received = new List<string> { $"{listener.Current.Channel}/{listener.Current.Payload}" };
        while (received.Count < 3)
        {
            Assert.True(await listener.MoveNextAsync());
            received.Add($"{listener.Current.Channel}/{listener.Current.Payload}");
        }
        Assert.Equal([jobs + "/a", mixed + "/b", jobs + "/c"], received);
    }

    [Fact]
    public async Task After_its_backend_is_terminated_it_listens_again_and_marks_that_notifications_may_have_been_missed()
    {
        string app = "notif_listen_" + Guid.NewGuid().ToString("N")[..8], channel = NewChannel();
        await using var dataSource = PgDataSource.Create(db.ConnectionString + ";Application Name=" + app);
        using var stop = new CancellationTokenSource(Bound);
        await using var listener = dataSource.ListenAsync(channel, stop.Token).GetAsyncEnumerator();
        var next = listener.MoveNextAsync().AsTask();
        int firstPid = await ListeningBackendAsync(app);
        await using var sender = await db.OpenAsync();
        await sender.ExecuteAsync("SELECT pg_notify($1, 'before')", channel);
        Assert.True(await next);
        Assert.Equal("before", listener.Current.Payload);

        next = listener.MoveNextAsync().AsTask();
        await TerminateAsync(db, firstPid);
        await ListeningBackendAsync(app, except: firstPid);
        Assert.True(await next);
        Assert.True(listener.Current.Reconnected);

        await sender.ExecuteAsync("SELECT pg_notify($1, 'after')", channel);
        Assert.True(await listener.MoveNextAsync());
        Assert.False(listener.Current.Reconnected);
        Assert.Equal("after", listener.Current.Payload);
    }

    [Fact]
    public async Task Cancelling_the_token_ends_the_enumeration_with_OperationCanceledException_and_returns_the_connection()
    {
        string app = "notif_listen_" + Guid.NewGuid().ToString("N")[..8];
        await using var dataSource = PgDataSource.Create(db.ConnectionString + ";Application Name=" + app);
        using var stop = new CancellationTokenSource();
        var listener = dataSource.ListenAsync(NewChannel(), stop.Token).GetAsyncEnumerator();
        var next = listener.MoveNextAsync().AsTask();
        await ListeningBackendAsync(app);

        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next.WaitAsync(Bound));
        await listener.DisposeAsync();
        Assert.Equal(0, dataSource.Statistics.Busy);
    }
}
