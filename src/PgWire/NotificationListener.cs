using System.Data;
using System.Runtime.CompilerServices;

namespace PgWire;

/// <summary>
/// The long-running listener behind <see cref="PgDataSource.ListenAsync(IEnumerable{string}, CancellationToken)"/>: one
/// connection of the data source, held for as long as the enumeration runs, that LISTENs on the channels and waits.
/// When the connection is lost (a terminated backend, a restart, a network failure) it opens another, LISTENs again
/// and yields a <see cref="PgNotification.Reconnected"/> mark, since what was sent in between was missed.
/// </summary>
internal static class NotificationListener
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100), LastRetryDelay = TimeSpan.FromSeconds(5);

    public static async IAsyncEnumerable<PgNotification> ListenAsync(PgDataSource dataSource, string[] channels,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string listen = string.Join("; ", channels.Select(c => "LISTEN " + QuoteIdentifier(c)));
        var pending = new Queue<PgNotification>();
        PgNotificationEventHandler handler = (_, e) => pending.Enqueue(new PgNotification(e.Channel, e.Payload, e.ProcessId));
        bool listenedBefore = false;
        while (true)
        {
            var connection = await ConnectAsync(dataSource, listen, handler, retry: listenedBefore, cancellationToken).ConfigureAwait(false);
            try
            {
                if (listenedBefore) yield return new PgNotification("", "", 0, reconnected: true);
                listenedBefore = true;
                do
                {
                    while (pending.Count > 0) yield return pending.Dequeue();
                }
                while (await WaitAsync(connection, cancellationToken).ConfigureAwait(false));
                // Lost: what arrived before the failure is still delivered.
                while (pending.Count > 0) yield return pending.Dequeue();
            }
            finally
            {
                connection.Notification -= handler;
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Opens a connection and LISTENs; after a loss (<paramref name="retry"/>), tries again with growing pauses until it works or the token cancels.</summary>
    private static async Task<PgConnection> ConnectAsync(PgDataSource dataSource, string listen, PgNotificationEventHandler handler, bool retry,
        CancellationToken cancellationToken)
    {
        var delay = FirstRetryDelay;
        while (true)
        {
            PgConnection? connection = null;
            try
            {
                connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                connection.Notification += handler;
                await connection.ExecuteAsync(listen, cancellationToken).ConfigureAwait(false);
                return connection;
            }
            catch (PgException e) when (retry && (e.IsTransient || e is PgConnectionException))
            {
                if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false);
            }
            catch
            {
                if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LastRetryDelay.Ticks));
        }
    }

    /// <summary>True once a notification arrived; false when the connection was lost.</summary>
    private static async Task<bool> WaitAsync(PgConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await connection.WaitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (PgException) when (connection.State is ConnectionState.Broken or ConnectionState.Closed)
        {
            return false;
        }
    }

    /// <summary>A channel name as a quoted identifier: taken literally, as pg_notify(channel, ...) takes it.</summary>
    internal static string QuoteIdentifier(string channel) => "\"" + channel.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
