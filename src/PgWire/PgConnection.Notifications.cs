using System.Runtime.CompilerServices;
using PgWire.Connection;

namespace PgWire;

/// <summary>LISTEN/NOTIFY and the run-time parameters the server reports.</summary>
public sealed partial class PgConnection : INotificationSink
{
    /// <summary>
    /// Raised for every notification (NOTIFY, pg_notify) sent on a channel this connection LISTENs on, in the order the
    /// server sent them. Raised on the thread that reads the connection, as soon as the notification is read: during
    /// <see cref="Wait()"/> or <see cref="WaitAsync(CancellationToken)"/>, or in the middle of another command (then
    /// the connection is busy: do not use it from the handler). An exception the handler throws is caught and dropped,
    /// so that the command being read stays in step. A pooled connection's user never sees notifications for the
    /// connection's previous user: closing it ends its LISTENs.
    /// </summary>
    public event PgNotificationEventHandler? Notification;

    void INotificationSink.OnNotification(int processId, string channel, string payload) =>
        Notification?.Invoke(this, new PgNotificationEventArgs(processId, channel, payload));

    /// <summary>
    /// The run-time parameters the server reported (server_version, TimeZone, application_name, ...); a SET of one of
    /// them shows here as soon as the command that set it has been read.
    /// </summary>
    public IReadOnlyDictionary<string, string> ServerParameters => Connector.ServerParameters;

    /// <summary>
    /// Waits until a notification arrives (raised through <see cref="Notification"/>) or the connection ends (then it
    /// throws a <see cref="PgException"/>: the server's FATAL error, or a <see cref="PgConnectionException"/>).
    /// </summary>
    public void Wait() => WaitCoreAsync(Timeout.Infinite, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>
    /// Waits until a notification arrives (true, raised through <see cref="Notification"/>) or
    /// <paramref name="timeout"/> milliseconds pass (false). As in Npgsql, 0 and -1 mean no time limit.
    /// </summary>
    public bool Wait(int timeout) => WaitCoreAsync(Milliseconds(timeout), async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="Wait(int)"/>
    public bool Wait(TimeSpan timeout) => WaitCoreAsync(Milliseconds(timeout), async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>
    /// Waits until a notification arrives (raised through <see cref="Notification"/>). A cancelled token throws
    /// OperationCanceledException and leaves the connection usable; a connection the server ends throws a
    /// <see cref="PgException"/>.
    /// </summary>
    public Task WaitAsync(CancellationToken cancellationToken = default) =>
        WaitCoreAsync(Timeout.Infinite, async: true, cancellationToken).AsTask();

    /// <summary>
    /// Waits until a notification arrives (true) or <paramref name="timeout"/> milliseconds pass (false); as in
    /// Npgsql, 0 and -1 mean no time limit. See <see cref="WaitAsync(CancellationToken)"/>.
    /// </summary>
    public Task<bool> WaitAsync(int timeout, CancellationToken cancellationToken = default) =>
        WaitCoreAsync(Milliseconds(timeout), async: true, cancellationToken).AsTask();

    /// <inheritdoc cref="WaitAsync(int, CancellationToken)"/>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        WaitCoreAsync(Milliseconds(timeout), async: true, cancellationToken).AsTask();

    private ValueTask<bool> WaitCoreAsync(int milliseconds, bool async, CancellationToken cancellationToken) =>
        ConnectorForCommand.Notifications.WaitAsync(async, milliseconds, cancellationToken);

    /// <summary>Npgsql's convention: 0 and -1 wait without a time limit (-1 internally).</summary>
    private static int Milliseconds(int timeout) => timeout switch
    {
        0 or Timeout.Infinite => Timeout.Infinite,
        < 0 => throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "A timeout is a number of milliseconds, or 0 or -1 for none."),
        _ => timeout,
    };

    private static int Milliseconds(TimeSpan timeout)
    {
        if (timeout == Timeout.InfiniteTimeSpan) return Timeout.Infinite;
        double milliseconds = Math.Ceiling(timeout.TotalMilliseconds);
        if (milliseconds is < 0 or > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "A timeout is between 0 and int.MaxValue milliseconds, or Timeout.InfiniteTimeSpan.");
        return Milliseconds((int)milliseconds);
    }
}
