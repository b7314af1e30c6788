using System.Data;
using PgWire.Tests.Infrastructure;
using static PgWire.Tests.Notifications.NotificationTestSupport;

namespace PgWire.Tests.Notifications;

/// <summary>LISTEN/NOTIFY on a real server: the Notification event, Wait and WaitAsync, and what arrives during commands.</summary>
[Collection("Database")]
public sealed class NotificationTests(DatabaseFixture db) : IAsyncLifetime
{
    private PgConnection _listener = null!;
    private readonly List<PgNotificationEventArgs> _received = [];
    private readonly string _channel = NewChannel();

    public async Task InitializeAsync()
    {
        _listener = await db.OpenAsync();
        _listener.Notification += (_, e) => _received.Add(e);
        await _listener.ExecuteAsync("LISTEN " + _channel);
    }

    public async Task DisposeAsync() => await _listener.DisposeAsync();

    [Fact]
    public async Task A_notification_from_another_connection_raises_the_event_with_channel_payload_and_sender()
    {
        await using var sender = await db.OpenAsync();
        await sender.ExecuteAsync("SELECT pg_notify($1, $2)", _channel, "hello");

        Assert.True(await _listener.WaitAsync(Bound));

        var n = Assert.Single(_received);
        Assert.Equal(_channel, n.Channel);
        Assert.Equal("hello", n.Payload);
        Assert.Equal(sender.ProcessId, n.ProcessId);
        Assert.Equal(sender.ProcessId, n.PID);
    }

    [Fact]
    public async Task Wait_with_a_timeout_returns_false_when_nothing_arrives_and_the_connection_stays_usable()
    {
        Assert.False(_listener.Wait(50));
        Assert.False(_listener.Wait(TimeSpan.FromMilliseconds(50)));
        Assert.False(await _listener.WaitAsync(50));
        Assert.False(await _listener.WaitAsync(TimeSpan.FromMilliseconds(50)));

        Assert.Empty(_received);
        Assert.Equal(1, await _listener.QueryScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public async Task Synchronous_Wait_returns_once_a_notification_arrives()
    {
        await using var sender = await db.OpenAsync();
        await sender.ExecuteAsync("NOTIFY " + _channel + ", 'sync'");

        _listener.Wait();
        Assert.Equal("sync", Assert.Single(_received).Payload);

        await sender.ExecuteAsync("NOTIFY " + _channel + ", 'sync again'");
        Assert.True(_listener.Wait((int)Bound.TotalMilliseconds));
        Assert.Equal(["sync", "sync again"], _received.Select(n => n.Payload));
    }

    [Fact]
    public async Task WaitAsync_with_a_cancelled_token_throws_OperationCanceledException_and_the_connection_stays_usable()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var before = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _listener.WaitAsync(cancelled.Token));
        Assert.Equal(cancelled.Token, before.CancellationToken);

        using var later = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var during = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _listener.WaitAsync(later.Token));
        Assert.Equal(later.Token, during.CancellationToken);

        Assert.Equal(ConnectionState.Open, _listener.State);
        Assert.Equal(7, await _listener.QueryScalarAsync<int>("SELECT 7"));
        await using var sender = await db.OpenAsync();
        await sender.ExecuteAsync("SELECT pg_notify($1, 'after the cancel')", _channel);
        Assert.True(await _listener.WaitAsync(Bound));
        Assert.Equal("after the cancel", Assert.Single(_received).Payload);
    }

    [Fact]
    public async Task Notifications_arriving_during_another_command_are_delivered_in_order_by_the_time_it_completes()
    {
        // The server sends a session's own notifications when its transaction commits, after the rows, before ReadyForQuery.
        await using var cmd = new PgCommand(
            "SELECT g FROM generate_series(1, 300) g, LATERAL (SELECT pg_notify($1, 'row ' || g)) n", _listener);
        cmd.Parameters.Add(new PgParameter { Value = _channel });
        var rows = new List<int>();
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync()) rows.Add(reader.GetInt32(0));

        Assert.Equal(Enumerable.Range(1, 300), rows);
        Assert.Equal(Enumerable.Range(1, 300).Select(g => "row " + g), _received.Select(n => n.Payload));
        Assert.All(_received, n => Assert.Equal(_listener.ProcessId, n.ProcessId));
    }

    [Fact]
    public async Task Notifications_sent_while_the_listener_is_in_a_transaction_are_delivered_once_it_commits()
    {
        await using var sender = await db.OpenAsync();
        await using (var transaction = await _listener.BeginTransactionAsync())
        {
            await sender.ExecuteAsync("SELECT pg_notify($1, 'one'), pg_notify($1, 'two')", _channel);
            Assert.Equal(1, await _listener.QueryScalarAsync<int>("SELECT 1"));
            await transaction.CommitAsync();
        }
        // The server holds them while the transaction runs, and sends them once it has committed.
        while (_received.Count < 2)
            Assert.True(await _listener.WaitAsync(Bound));

        Assert.Equal(["one", "two"], _received.Select(n => n.Payload));
    }

    [Fact]
    public async Task A_handler_that_throws_neither_breaks_the_connection_nor_stops_later_notifications()
    {
        int calls = 0;
        _listener.Notification += (_, _) =>
        {
            calls++;
            throw new InvalidOperationException("handler failure");
        };

        var rows = await _listener.QueryAsync(
            "SELECT g FROM generate_series(1, 5) g, LATERAL (SELECT pg_notify($1, 'n' || g)) n", _channel);

        Assert.Equal(5, rows.Count);
        Assert.Equal(5, calls);
        Assert.Equal(5, _received.Count);
        await using var sender = await db.OpenAsync();
        await sender.ExecuteAsync("SELECT pg_notify($1, 'later')", _channel);
        Assert.True(await _listener.WaitAsync(Bound));
        Assert.Equal("later", _received[^1].Payload);
        Assert.Equal(ConnectionState.Open, _listener.State);
    }

    [Fact]
    public async Task UNLISTEN_stops_the_delivery()
    {
        await using var sender = await db.OpenAsync();
        await _listener.ExecuteAsync("UNLISTEN " + _channel);
        string other = NewChannel();
        await _listener.ExecuteAsync("LISTEN " + other);

        await sender.ExecuteAsync("SELECT pg_notify($1, 'unheard')", _channel);
        await sender.ExecuteAsync("SELECT pg_notify($1, 'heard')", other);
        while (_received.Count == 0) Assert.True(await _listener.WaitAsync(Bound));

        // Both were committed in order on one sender: the unheard one would have come first.
        Assert.Equal("heard", Assert.Single(_received).Payload);
    }

    [Fact]
    public async Task A_command_is_refused_while_the_connection_waits()
    {
        var wait = _listener.WaitAsync(Bound);

        await Assert.ThrowsAsync<InvalidOperationException>(() => _listener.QueryScalarAsync<int>("SELECT 1").AsTask());

        await using var sender = await db.OpenAsync();
        await sender.ExecuteAsync("SELECT pg_notify($1, 'end the wait')", _channel);
        Assert.True(await wait);
        Assert.Equal(1, await _listener.QueryScalarAsync<int>("SELECT 1"));
    }
}
