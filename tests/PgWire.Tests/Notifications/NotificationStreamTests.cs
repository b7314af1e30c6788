using System.Data;
using PgWire.Tests.Infrastructure;
using static PgWire.Tests.Notifications.NotificationTestSupport;

namespace PgWire.Tests.Notifications;

/// <summary>
/// Many notifications with payloads up to the server's limit, sent from another connection while the listener runs
/// commands between its waits: every one arrives, in order, intact; and a pooled connection's next user gets none
/// of its previous user's.
/// </summary>
[Collection("Database")]
public sealed class NotificationStreamTests(DatabaseFixture db)
{
    private const int Count = 10_000;

    /// <summary>
    /// What the listener does between two waits: a one-row query and, every few steps, one of many rows (notifications
    /// then arrive within its reply). COPY joins here once the COPY branch is merged.
    /// </summary>
    private static async Task BetweenWaitsAsync(PgConnection listener, int step)
    {
        Assert.Equal(step, await listener.QueryScalarAsync<int>("SELECT $1::int4", step));
        if (step % 5 == 0)
        {
            var rows = await listener.QueryAsync("SELECT g FROM generate_series(1, 200) g");
            Assert.Equal(200, rows.Count);
        }
        if (step % 7 == 3)
        {
            // A COPY each way between waits: notifications arriving during it are delivered in order like any other.
            await listener.ExecuteAsync("CREATE TEMP TABLE IF NOT EXISTS copy_between (n int4)");
            await using (var import = await listener.BeginBinaryImportAsync("COPY copy_between (n) FROM STDIN (FORMAT BINARY)"))
            {
                for (int i = 0; i < 500; i++)
                {
                    await import.StartRowAsync();
                    await import.WriteAsync(i);
                }
                Assert.Equal(500UL, await import.CompleteAsync());
            }
            long sum = 0;
            await using (var export = await listener.BeginBinaryExportAsync("COPY copy_between (n) TO STDOUT (FORMAT BINARY)"))
                while (await export.StartRowAsync() != -1) sum += await export.ReadAsync<int>();
            await listener.ExecuteAsync("TRUNCATE copy_between");
            Assert.Equal(499L * 500 / 2, sum);
        }
    }

    private static async Task ListenUntilAsync(PgConnection listener, List<PgNotificationEventArgs> received, int count, Task sending)
    {
        int step = 0;
        while (received.Count < count)
        {
            bool arrived = step % 2 == 0 ? await listener.WaitAsync(Bound) : listener.Wait(Bound);
            if (!arrived)
            {
                if (sending.IsFaulted) await sending;
                Assert.Fail($"No notification within {Bound.TotalSeconds} s; {received.Count} of {count} received.");
            }
            await BetweenWaitsAsync(listener, step++);
        }
    }

    private static void AssertReceived(IReadOnlyList<PgNotificationEventArgs> received, string channel, int first, int count, int senderPid)
    {
        Assert.Equal(count, received.Count);
        for (int i = 0; i < count; i++)
        {
            var n = received[i];
            if (n.Payload != Payload(first + i) || n.Channel != channel)
                Assert.Fail($"Notification {i} is '{n.Channel}' / {n.Payload[..Math.Min(20, n.Payload.Length)]}..., " +
                            $"expected '{channel}' / {Payload(first + i)[..Math.Min(20, Payload(first + i).Length)]}...");
            Assert.Equal(senderPid, n.ProcessId);
        }
    }

    [Fact]
    public async Task Ten_thousand_notifications_up_to_the_payload_limit_all_arrive_in_order_and_intact_while_the_listener_runs_queries()
    {
        string channel = NewChannel();
        await using var listener = await db.OpenAsync();
        var received = new List<PgNotificationEventArgs>();
        listener.Notification += (_, e) => received.Add(e);
        await listener.ExecuteAsync("LISTEN " + channel);
        await using var sender = await OpenSenderAsync(db);

        var sending = Task.Run(() => SendAsync(sender, channel, 0, Count));
        await ListenUntilAsync(listener, received, Count, sending);
        await sending;

        AssertReceived(received, channel, 0, Count, sender.ProcessId);
        Assert.Contains(received, n => System.Text.Encoding.UTF8.GetByteCount(n.Payload) == MaxPayloadBytes);
    }

    [Fact]
    public async Task A_pooled_connection_returned_and_reused_gets_none_of_its_previous_users_notifications()
    {
        string previousChannel = NewChannel(), nextChannel = NewChannel();
        const int Half = Count / 2, Orphans = 500;
        await using var dataSource = PgDataSource.Create(db.ConnectionString + ";Maximum Pool Size=1;Application Name=notif_pool");
        await using var sender = await OpenSenderAsync(db);
        // A second listener on the previous user's channel, to know when the server has sent what the pooled one ignores.
        await using var witness = await db.OpenAsync();
        var witnessed = new List<PgNotificationEventArgs>();
        witness.Notification += (_, e) => witnessed.Add(e);
        await witness.ExecuteAsync("LISTEN " + previousChannel);

        int pid;
        var first = new List<PgNotificationEventArgs>();
        await using (var previous = await dataSource.OpenConnectionAsync())
        {
            pid = previous.ProcessId;
            previous.Notification += (_, e) => first.Add(e);
            await previous.ExecuteAsync("LISTEN " + previousChannel);
            var sending = Task.Run(() => SendAsync(sender, previousChannel, 0, Half));
            await ListenUntilAsync(previous, first, Half, sending);
            await sending;
            AssertReceived(first, previousChannel, 0, Half, sender.ProcessId);
            // Sent while the previous user still holds the connection, and never read by it.
            await SendAsync(sender, previousChannel, Half, Orphans);
        }
        // Sent while the connection sits in the pool, still listening until its reset runs.
        await SendAsync(sender, previousChannel, Half + Orphans, Orphans);
        await ReceiveAsync(witness, witnessed, Half + 2 * Orphans);

        await using var next = await dataSource.OpenConnectionAsync();
        Assert.Equal(pid, next.ProcessId);
        var second = new List<PgNotificationEventArgs>();
        next.Notification += (_, e) => second.Add(e);
        await next.ExecuteAsync("LISTEN " + nextChannel);
        var sendingNext = Task.Run(async () =>
        {
            await SendAsync(sender, nextChannel, 0, Half);
            // Committed before the last one below: it would arrive first if the session still listened on it.
            await SendAsync(sender, previousChannel, Count, 1);
            await SendAsync(sender, nextChannel, Half, 1);
        });
        await ListenUntilAsync(next, second, Half + 1, sendingNext);
        await sendingNext;

        Assert.DoesNotContain(second, n => n.Channel == previousChannel);
        AssertReceived(second, nextChannel, 0, Half + 1, sender.ProcessId);
        Assert.Equal(1, dataSource.Statistics.Created);
    }
}
