using System.Net;
using System.Net.Sockets;
using PgWire.Protocol;
using PgWire.Protocol.Frontend;

namespace PgWire.Connection;

/// <summary>
/// Cancellation of the connection's running command: the caller's token, Command Timeout (one timer per connection)
/// and DbCommand.Cancel each send a CancelRequest on a separate connection; a server that does not stop the command
/// within Cancellation Timeout gets its socket shut down, so no wait outlives its bound.
/// The first of them to act decides what the command fails with: the caller (a token, or Cancel()) gets .NET's
/// OperationCanceledException carrying its token, a timeout gets PgTimeoutException; whichever comes second finds the
/// cancel already asked for and changes nothing.
/// </summary>
internal sealed class CommandCancellation(PgConnector connector)
{
    private PgConnector Connector => connector;

    private ConnectorSettings Settings => connector.Settings;

    /// <summary>Who asked the server to stop the running command: the caller (with its token) or Command Timeout.</summary>
    private sealed class CancelCause(bool byTimeout, CancellationToken token)
    {
        public bool ByTimeout { get; } = byTimeout;

        public CancellationToken Token { get; } = token;
    }

    private static readonly CancelCause TimeoutCause = new(byTimeout: true, default), CancelCallCause = new(byTimeout: false, default);

    /// <summary>Null until something cancels the running command; the first cause set stays (set once a command).</summary>
    private CancelCause? _cause;
    private int _commandTimeoutSeconds;
    private CancellationTokenRegistration _tokenRegistration;

    /// <summary>
    /// Arms cancellation for the command about to be sent: the caller's token and the command timeout both
    /// send a CancelRequest on a separate connection, so the server stops the command and this connection
    /// stays in step (cancelling a socket read instead would leave a half-read reply and a broken connection).
    /// </summary>
    internal void ArmCancellation(CancellationToken cancellationToken, int timeoutSeconds)
    {
        if (cancellationToken.IsCancellationRequested)
            throw new OperationCanceledException("The command was cancelled before it was sent; the connection is unaffected.", cancellationToken);
        Volatile.Write(ref _cause, null);
        _commandTimeoutPassed = false;
        _cancelAbandoned = false;
        _commandTimeoutSeconds = timeoutSeconds;
        _copyTimeout = false;
        if (cancellationToken.CanBeCanceled)
        {
            _tokenRegistration = cancellationToken.UnsafeRegister(OnTokenCancelled, this);
            if (cancellationToken.IsCancellationRequested)
            {
                // Cancelled between the check above and the registration: nothing is sent yet, so nothing needs stopping.
                DisarmCancellation();
                throw new OperationCanceledException("The command was cancelled before it was sent; the connection is unaffected.", cancellationToken);
            }
        }
        ArmDeadline(timeoutSeconds);
    }

    /// <summary>
    /// Starts Command Timeout's count for a wait on the server (the whole command; under COPY, each wait for the
    /// network, since the time the caller spends between rows is not the server's).
    /// </summary>
    internal void ArmDeadline(int timeoutSeconds)
    {
        if (timeoutSeconds <= 0) return;
        Volatile.Write(ref _commandDeadline, Environment.TickCount64 + timeoutSeconds * 1000L);
        // One timer per connector, armed at most once per timeout period: a stream of quick commands only moves
        // the deadline (a field write) instead of re-arming a timer each time.
        if (Interlocked.Exchange(ref _timerArmed, 1) == 0)
        {
            _commandTimer ??= new Timer(static s => ((CommandCancellation)s!).OnCommandTimer(), this, Timeout.Infinite, Timeout.Infinite);
            ChangeCommandTimer(timeoutSeconds * 1000L);
        }
    }

    /// <summary>A COPY's own Timeout replaced Command Timeout: the bound its timeout messages name.</summary>
    internal void ChangeTimeoutSeconds(int timeoutSeconds)
    {
        _commandTimeoutSeconds = timeoutSeconds;
        _copyTimeout = true;
    }

    /// <summary>The bound in force is a COPY's own Timeout, not Command Timeout: the timeout messages name it.</summary>
    private bool _copyTimeout;

    /// <summary>The setting that bounds the command, as the timeout messages name it.</summary>
    private string TimeoutSetting => _copyTimeout ? "the COPY's Timeout" : "Command Timeout";

    /// <summary>The bound as "did not finish within ..." names it.</summary>
    private string TimeoutBound => _copyTimeout ? "the COPY's Timeout" : "its Command Timeout";

    /// <summary>Stops Command Timeout's count while a COPY waits on the caller, not the server.</summary>
    internal void PauseDeadline() => Volatile.Write(ref _commandDeadline, 0);

    /// <summary>Something (the caller's token, Cancel(), Command Timeout) has asked the server to stop the running command.</summary>
    internal bool CancelRequested => Volatile.Read(ref _cause) is not null;

    private Timer? _commandTimer;
    private long _commandDeadline;
    private int _timerArmed;
    private volatile bool _commandTimeoutPassed;

    /// <summary>The running command's Command Timeout has passed, whether or not it was what cancelled the command.</summary>
    internal bool CommandTimeoutPassed => _commandTimeoutPassed;

    /// <summary>The command timer fired: cancel a command past its deadline, or wait on for a later deadline.</summary>
    private void OnCommandTimer()
    {
        long deadline = Volatile.Read(ref _commandDeadline);
        if (deadline != 0)
        {
            long remaining = deadline - Environment.TickCount64;
            if (remaining > 0)
            {
                ChangeCommandTimer(remaining);
                return;
            }
            // The deadline is still the one read (a later command sets a later one): its command is overdue.
            if (Volatile.Read(ref _commandDeadline) == deadline)
            {
                _commandTimeoutPassed = true;
                RequestCancel(TimeoutCause);
            }
        }
        Volatile.Write(ref _timerArmed, 0);
        // A command armed between the read above and the flag's reset found the timer armed: look again for it.
        if (Volatile.Read(ref _commandDeadline) != 0 && Interlocked.Exchange(ref _timerArmed, 1) == 0)
            ChangeCommandTimer(Math.Max(0, Volatile.Read(ref _commandDeadline) - Environment.TickCount64));
    }

    private void ChangeCommandTimer(long dueMilliseconds)
    {
        try
        {
            _commandTimer?.Change(dueMilliseconds, Timeout.Infinite);
        }
        catch (ObjectDisposedException)
        {
            // The connector closed meanwhile.
        }
    }

    /// <summary>The command is over (ReadyForQuery, or the connection broke): no cancel may reach a later command.</summary>
    internal void DisarmCancellation()
    {
        _tokenRegistration.Dispose();
        _tokenRegistration = default;
        Volatile.Write(ref _commandDeadline, 0);
        // The command is over: a grace-period timer still running for it must find nothing to close.
        Interlocked.Increment(ref _commandNumber);
        if (Volatile.Read(ref _graceTimer) is not null) Interlocked.Exchange(ref _graceTimer, null)?.Dispose();
    }

    /// <summary>Lets a token given to a later call (reading rows) cancel the running command too.</summary>
    internal CancellationTokenRegistration RegisterCancel(CancellationToken cancellationToken) =>
        cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(OnTokenCancelled, this)
            : default;

    private static readonly Action<object?, CancellationToken> OnTokenCancelled =
        static (s, token) => ((CommandCancellation)s!).RequestCancel(new CancelCause(byTimeout: false, token));

    /// <summary>DbCommand.Cancel: from another thread, while a command runs. The caller gave up, but with no token to carry.</summary>
    internal void CancelFromCaller() => RequestCancel(CancelCallCause);

    private void RequestCancel(CancelCause cause)
    {
        // The first cause wins: a timeout after the caller's token (or the reverse) finds the cancel already asked for.
        if (Interlocked.CompareExchange(ref _cause, cause, null) is not null) return;
        if (connector.State != ConnectorState.Executing) return;
        _cancelDelivery = SendCancelRequestAsync();
        StartCancelGracePeriod();
    }

    /// <summary>The last CancelRequest sent; complete once the server has taken it (or it could not be sent).</summary>
    private Task _cancelDelivery = Task.CompletedTask;

    /// <summary>
    /// Waits, before the next command is sent, until a CancelRequest sent for an earlier one has reached the server.
    /// The command may have ended before its cancel arrived (DbCommand.Cancel and then closing the reader, as Dapper
    /// does with a query left half-read): arriving later, the cancel would stop whichever command runs then. Once the
    /// server has closed the cancel connection, the backend has the signal, and between commands it ignores it.
    /// </summary>
    /// <remarks>The synchronous path blocks on the delivery: the cancel is sent asynchronously whoever asked for it.</remarks>
    internal ValueTask WaitForCancelDeliveryAsync(bool async)
    {
        var delivery = _cancelDelivery;
        if (delivery.IsCompleted) return default;
        if (async) return new ValueTask(delivery);
        delivery.GetAwaiter().GetResult();
        return default;
    }

    private Timer? _graceTimer;
    private int _commandNumber;
    private volatile bool _cancelAbandoned;

    /// <summary>The connection was given up on after its cancel went unanswered.</summary>
    public bool Abandoned => _cancelAbandoned;

    /// <summary>
    /// A server that has not stopped the command within Cancellation Timeout after the CancelRequest (unreachable,
    /// hung, or the cancel was lost) is given up on: the socket is shut down, which ends the waiting read, and the
    /// connection is closed as broken instead of waiting forever. Cancellation Timeout=-1 does not wait at all.
    /// </summary>
    private void StartCancelGracePeriod()
    {
        int grace = Settings.CancellationTimeoutMilliseconds;
        if (grace == 0) return;
        int command = Volatile.Read(ref _commandNumber);
        var timer = new Timer(static s =>
        {
            var (self, command) = ((CommandCancellation, int))s!;
            if (Volatile.Read(ref self._commandNumber) != command || self.Connector.State != ConnectorState.Executing) return;
            self._cancelAbandoned = true;
            try { self.Connector.Socket?.Shutdown(SocketShutdown.Both); }
            catch (Exception e) when (e is SocketException or ObjectDisposedException) { /* already closed */ }
        }, (this, command), Timeout.Infinite, Timeout.Infinite);
        Interlocked.Exchange(ref _graceTimer, timer)?.Dispose();
        timer.Change(Math.Max(grace, 0), Timeout.Infinite);
    }

    /// <summary>The exception for a command whose connection was given up on after its cancel went unanswered.</summary>
    internal Exception AbandonedCancel(Exception cause)
    {
        string why = $"the server did not stop it within the Cancellation Timeout of {Settings.CancellationTimeoutMilliseconds} ms, " +
                     "so the connection was closed (it will not be reused)";
        if (Volatile.Read(ref _cause) is not { } by || by.ByTimeout)
        {
            string message = $"The command did not finish within {TimeoutBound} of {_commandTimeoutSeconds} s and {why}.";
            return new PgTimeoutException(message, new TimeoutException(message, cause));
        }
        return new OperationCanceledException($"The command was cancelled and {why}.", cause, by.Token);
    }

    /// <summary>CancelRequest on a new connection, with this backend's key; the server answers by closing it.</summary>
    internal async Task SendCancelRequestAsync()
    {
        try
        {
            var host = connector.Host;
            using var socket = host.IsUnixSocket
                ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
                : new Socket(SocketType.Stream, ProtocolType.Tcp);
            EndPoint endPoint = host.IsUnixSocket
                ? new UnixDomainSocketEndPoint(host.SocketPath)
                : connector.Socket is { RemoteEndPoint: IPEndPoint remote } ? remote : new DnsEndPoint(host.Name, host.Port);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(Math.Max(Settings.ConnectTimeoutSeconds, 5)));
            await socket.ConnectAsync(endPoint, timeout.Token).ConfigureAwait(false);
            using var buffer = new WriteBuffer();
            CancelRequest.Write(buffer, connector.Session.BackendKey.ProcessId, connector.Session.BackendKey.SecretKey);
            await socket.SendAsync(buffer.WrittenSpan.ToArray(), SocketFlags.None, timeout.Token).ConfigureAwait(false);
            // Wait for the server to close the connection: the cancel has then been delivered.
            var discard = new byte[1];
            await socket.ReceiveAsync(discard, SocketFlags.None, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The cancel could not be delivered; the command runs to its end (or its connection fails) instead.
        }
    }

    /// <summary>
    /// A server error 57014 that answers our own CancelRequest becomes the exception that says why: the caller's
    /// cancellation is .NET's OperationCanceledException carrying its token, a timeout is a database failure
    /// (PgTimeoutException around a TimeoutException); the server's error is kept as the innermost exception. A 57014
    /// we did not ask for (pg_cancel_backend from another session) stays the server's error.
    /// </summary>
    internal Exception TranslateCancel(PgServerException error)
    {
        if (error.SqlState != PgErrorCodes.QueryCanceled || Volatile.Read(ref _cause) is not { } cause) return error;
        if (cause.ByTimeout)
        {
            string message = $"The command did not finish within {TimeoutBound} of {_commandTimeoutSeconds} s; the server stopped it " +
                             $"and the connection is still usable. Raise {TimeoutSetting} (0 for no limit) if the command needs longer.";
            return new PgTimeoutException(message, new TimeoutException(message, error));
        }
        return new OperationCanceledException(
            cause.Token.CanBeCanceled
                ? "The command was cancelled through its CancellationToken; the server stopped it and the connection is still usable."
                : "The command was cancelled by Cancel(); the server stopped it and the connection is still usable.",
            error, cause.Token);
    }

    /// <summary>The connection closed: its timer goes.</summary>
    internal void Dispose()
    {
        _commandTimer?.Dispose();
        _commandTimer = null;
        _timerArmed = 0;
    }
}
