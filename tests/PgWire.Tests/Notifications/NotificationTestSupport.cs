using System.Text;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Notifications;

/// <summary>Channels, payloads and a sender for the LISTEN/NOTIFY tests.</summary>
internal static class NotificationTestSupport
{
    /// <summary>The server refuses a payload of 8,000 bytes or more.</summary>
    public const int MaxPayloadBytes = 7999;

    /// <summary>A generous bound against hangs; never what decides whether a test passes.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    public static string NewChannel() => "notif_" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>
    /// The payload of notification <paramref name="index"/>: its number first, then filler up to a length between 0 and
    /// the 7,999-byte limit (every 97th exactly at it), some of it two-byte UTF-8, so a payload cut short or
    /// mixed up with another shows.
    /// </summary>
    public static string Payload(int index)
    {
        int bytes = index % 97 == 0 ? MaxPayloadBytes : (int)((index * 2654435761L) % (MaxPayloadBytes + 1));
        var text = new StringBuilder(bytes);
        text.Append(index).Append(':');
        int used = Encoding.UTF8.GetByteCount(text.ToString());
        bool wide = index % 3 == 0;
        while (used < bytes)
        {
            if (wide && used + 2 <= bytes)
            {
                text.Append('é');
                used += 2;
            }
            else
            {
                text.Append((char)('a' + (index + used) % 26));
                used++;
            }
        }
        return text.ToString();
    }

    /// <summary>Creates the sender's helper: pg_notify for each payload, in order, in one transaction.</summary>
    public static async Task<PgConnection> OpenSenderAsync(DatabaseFixture db)
    {
        var sender = await db.OpenAsync();
        await sender.ExecuteAsync(
            "CREATE FUNCTION pg_temp.notify_all(channel text, payloads text[]) RETURNS void LANGUAGE plpgsql AS " +
            "$$DECLARE p text; BEGIN FOREACH p IN ARRAY payloads LOOP PERFORM pg_notify(channel, p); END LOOP; END$$");
        return sender;
    }

    /// <summary>Sends notifications <paramref name="first"/> .. first+count-1 on <paramref name="channel"/>, committed in batches.</summary>
    public static async Task SendAsync(PgConnection sender, string channel, int first, int count, int batch = 250)
    {
        for (int start = first; start < first + count; start += batch)
        {
            int n = Math.Min(batch, first + count - start);
            string[] payloads = Enumerable.Range(start, n).Select(Payload).ToArray();
            await sender.ExecuteAsync("SELECT pg_temp.notify_all($1, $2)", channel, payloads);
        }
    }

    /// <summary>Ends <paramref name="pid"/>'s backend from another session and waits until it has exited (so its FATAL was sent).</summary>
    public static async Task TerminateAsync(DatabaseFixture db, int pid)
    {
        await using var admin = await db.OpenAsync();
        bool terminated = await admin.QueryScalarAsync<bool>("SELECT pg_terminate_backend($1, 30000)", pid);
        Assert.True(terminated, "The server did not end the backend.");
    }

    /// <summary>Waits (asynchronously) until <paramref name="received"/> holds <paramref name="count"/> notifications, running a query between waits.</summary>
    public static async Task ReceiveAsync(PgConnection listener, List<PgNotificationEventArgs> received, int count)
    {
        int step = 0;
        while (received.Count < count)
        {
            if (!await listener.WaitAsync(Bound))
                Assert.Fail($"No notification within {Bound.TotalSeconds} s; {received.Count} of {count} received.");
            Assert.Equal(step, await listener.QueryScalarAsync<int>("SELECT $1::int4", step));
            step++;
        }
    }
}
