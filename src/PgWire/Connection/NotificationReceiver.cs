using System.Net.Sockets;
using System.Runtime.CompilerServices;
using PgWire.Protocol.Backend;

namespace PgWire.Connection;

/// <summary>
/// LISTEN/NOTIFY on one connection: hands each NotificationResponse to the connection's user, and waits for them on a
/// connection that only listens.
/// <para>
/// A notification is delivered synchronously, on the thread reading, as soon as its message is read: while the
/// connection waits, or in the middle of a command (the server sends them before a ReadyForQuery, or while idle), so
/// they reach the handler in the order the server sent them, each after the messages before it. The user's handler
/// runs while the connection is busy: a command it starts on the same connection is refused, and an exception it
/// throws is caught here (as Npgsql does), so the reply being read stays in step.
/// </para>
/// <para>
/// Until a pooled connection's reset has run (owed, or sent and not yet answered), the session still LISTENs for its
/// previous user: what arrives then is the previous user's, and is dropped, as is what arrives while no user holds the
/// connection.
/// </para>
/// </summary>
internal sealed class NotificationReceiver(PgConnector connector)
{
    /// <summary>The user of the connection, or null while it sits in the pool.</summary>
    public INotificationSink? Sink { get; set; }

    /// <summary>Notifications handed to a user so far.</summary>
    private long _delivered;

    /// <summary>A Wait is reading the connection: no command may start meanwhile.</summary>
    public bool Waiting { get; private set; }

    public void Receive(in NotificationResponse notification)
    {
        if (Sink is not { } sink || connector.Session.ResetOwed || connector.Engine.ResetPending) return;
        _delivered++;
        try
        {
            sink.OnNotification(notification.ProcessId, notification.Channel, notification.Payload);
        }
        catch
        {
            // A user's handler that throws must not leave a reply half read.
        }
    }

    /// <summary>
    /// Waits until a notification arrives (true), <paramref name="timeoutMilliseconds"/> pass (false; -1 for no limit)
    /// or the token cancels (OperationCanceledException; the connection stays usable). Only asynchronous messages may
    /// arrive while nothing was asked of the server: an ErrorResponse (FATAL, the server ending the session) is thrown,
    /// anything else is a protocol violation; either way the connection is broken.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> WaitAsync(bool async, int timeoutMilliseconds, CancellationToken cancellationToken)
    {
        connector.CheckReady();
        if (cancellationToken.IsCancellationRequested)
            throw new OperationCanceledException("Waiting for notifications was cancelled before it started; the connection is unaffected.", cancellationToken);
        long deadline = timeoutMilliseconds < 0 ? long.MaxValue : Environment.TickCount64 + timeoutMilliseconds;
        if (connector.Session.ResetOwed)
        {
            // A pooled connection's first use: its reset (UNLISTEN * among it) runs first, so that nothing is waited
            // for on behalf of the previous user. An empty query is all it needs to ride with.
            await connector.ExecuteInternalAsync("", async, cancellationToken).ConfigureAwait(false);
        }
        long before = _delivered;
        // The rest of a message the server has begun to send comes within Command Timeout, or the connection goes.
        int restSeconds = connector.Settings.CommandTimeoutSeconds;
        using var rest = async && restSeconds > 0 ? new CancellationTokenSource() : null;
        if (!async && restSeconds > 0) connector.Transport.SetReceiveTimeout(restSeconds * 1000);
        Waiting = true;
        int spurious = 0;
        try
        {
            while (true)
            {
                connector.Engine.RouteBuffered();
                if (_delivered != before) return true;
                int remaining = -1;
                if (deadline != long.MaxValue)
                {
                    remaining = (int)Math.Clamp(deadline - Environment.TickCount64, 0, int.MaxValue);
                    if (remaining == 0) return false;
                }
                if (!await WaitForDataAsync(async, remaining, cancellationToken).ConfigureAwait(false)) return false;
                if (IsSpuriousWake())
                {
                    // Woken with nothing to read (seen once under heavy load): waiting again is right, and reading a
                    // message now would wait under Command Timeout for one that may never come. A short pause keeps a
                    // wake-up that repeats from spinning.
                    if (++spurious > 2)
                    {
                        if (async) await Task.Delay(10, cancellationToken).ConfigureAwait(false);
                        else Thread.Sleep(10);
                    }
                    continue;
                }
                spurious = 0;
                if (rest is not null)
                {
                    rest.TryReset();
                    rest.CancelAfter(restSeconds * 1000);
                }
                try
                {
                    await connector.Engine.ReadAsynchronousAsync(async, rest?.Token ?? CancellationToken.None).ConfigureAwait(false);
                }
                catch (OperationCanceledException e) when (rest is { IsCancellationRequested: true })
                {
                    string message = $"The server began a message and did not send the rest of it within the Command Timeout of {restSeconds} s; the connection was closed.";
                    throw new PgTimeoutException(message, new TimeoutException(message, e));
                }
            }
        }
        finally
        {
            Waiting = false;
            if (!async && restSeconds > 0) connector.Transport.SetReceiveTimeout(0);
        }
    }

    /// <summary>On a plain socket, whether nothing at all is there to read (over TLS the socket cannot tell).</summary>
    private bool IsSpuriousWake()
    {
        if (connector.IsSecure || connector.ReadBuffer.BufferedBytes > 0 || connector.Socket is not { } socket) return false;
        try
        {
            return socket.Available == 0 && !socket.Poll(0, SelectMode.SelectRead);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    private async ValueTask<bool> WaitForDataAsync(bool async, int timeoutMilliseconds, CancellationToken cancellationToken)
    {
        try
        {
            return await connector.Transport.WaitForDataAsync(async, timeoutMilliseconds, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Nothing was read: the connection is exactly as it was.
            throw new OperationCanceledException("Waiting for notifications was cancelled; the connection is still usable.", cancellationToken);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            connector.Break();
            throw new PgConnectionException($"Waiting for notifications failed: {e.Message}. The connection was closed.", e);
        }
    }
}
