using System.Net;
using System.Net.Sockets;
using PgWire.Protocol;

namespace PgWire.Connection;

/// <summary>
/// The connection's transport: the socket (TCP or Unix-domain), TLS over it, and the read and write buffers.
/// Knows bytes and messages' framing, nothing of what they mean.
/// </summary>
internal sealed partial class Transport(ConnectorSettings settings)
{
    private ConnectorSettings Settings => settings;

    private Socket? _socket;
    private Stream? _stream;
    private ReadBuffer? _readBuffer;
    private WriteBuffer? _writeBuffer;

    /// <summary>The host this transport is connected (or connecting) to.</summary>
    public PgHost Host { get; set; } = new("localhost", 5432);

    public Socket? Socket => _socket;

    public bool IsOpen => _stream is not null && _writeBuffer is not null;

    public ReadBuffer ReadBuffer => _readBuffer ?? throw new InvalidOperationException("The connection is not open.");

    public WriteBuffer WriteBuffer => _writeBuffer ?? throw new InvalidOperationException("The connection is not open.");

    /// <summary>Starts reading messages, once TLS has been decided.</summary>
    public void StartReading() => _readBuffer = new ReadBuffer(_stream!, Settings.ReadBufferSize);

    public void ClearWriteBuffer() => _writeBuffer?.Clear();

    /// <summary>Sends what the write buffer holds.</summary>
    public async ValueTask FlushAsync(bool async, CancellationToken cancellationToken)
    {
        var stream = _stream ?? throw new ObjectDisposedException(nameof(Transport), "The connection is closed.");
        if (async) await WriteBuffer.FlushAsync(stream, cancellationToken).ConfigureAwait(false);
        else WriteBuffer.Flush(stream);
        WriteBuffer.ShrinkIfLarge();
    }

    /// <summary>
    /// Waits until the server has sent something, without reading it: giving up the wait (a timeout, a token) consumes
    /// nothing, so the stream stays in step. A zero-byte read completes once data has arrived (or the server closed the
    /// connection, which the read that follows reports); synchronously on a plain socket, Socket.Poll does the same.
    /// </summary>
    /// <returns>False when <paramref name="timeoutMilliseconds"/> passed first (-1: no limit).</returns>
    public ValueTask<bool> WaitForDataAsync(bool async, int timeoutMilliseconds, CancellationToken cancellationToken)
    {
        if (async) return WaitForDataCoreAsync(timeoutMilliseconds, cancellationToken);
        if (!IsSecure)
        {
            var socket = _socket ?? throw new ObjectDisposedException(nameof(Transport), "The connection is closed.");
            if (timeoutMilliseconds < 0) return new(socket.Poll(-1, SelectMode.SelectRead));
            long deadline = Environment.TickCount64 + timeoutMilliseconds;
            while (true)
            {
                // Poll takes microseconds in an int: a long wait goes in steps.
                long remaining = Math.Max(0, deadline - Environment.TickCount64);
                if (socket.Poll((int)Math.Min(remaining, 1_000_000) * 1000, SelectMode.SelectRead)) return new(true);
                if (remaining <= 1_000_000) return new(false);
            }
        }
        // SslStream has no readiness wait with a timeout, and may hold decrypted bytes the socket no longer shows:
        // the one wait here that blocks on asynchronous work.
        return new(WaitForDataCoreAsync(timeoutMilliseconds, cancellationToken).AsTask().GetAwaiter().GetResult());
    }

    private async ValueTask<bool> WaitForDataCoreAsync(int timeoutMilliseconds, CancellationToken cancellationToken)
    {
        var stream = _stream ?? throw new ObjectDisposedException(nameof(Transport), "The connection is closed.");
        using var bound = timeoutMilliseconds >= 0 ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken) : null;
        bound?.CancelAfter(timeoutMilliseconds);
        try
        {
            await stream.ReadAsync(Memory<byte>.Empty, bound?.Token ?? cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (bound is { IsCancellationRequested: true } && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>A receive timeout for synchronous reads (the startup's), 0 for none.</summary>
    public void SetReceiveTimeout(int milliseconds)
    {
        if (_socket is { } socket) socket.ReceiveTimeout = milliseconds;
    }

    /// <summary>Closes the socket and gives the buffers back.</summary>
    public void Close()
    {
        try { _stream?.Dispose(); } catch { /* already failing; nothing more to do */ }
        _stream = null;
        _socket = null;
        _readBuffer?.Dispose();
        _writeBuffer?.Dispose();
        _readBuffer = null;
        _writeBuffer = null;
    }

    /// <summary>
    /// Opens the socket to <see cref="Host"/> (TCP with NoDelay and the Keepalive setting, or a Unix-domain socket)
    /// within the connect timeout. The read buffer is made once TLS has been decided.
    /// </summary>
    public async ValueTask ConnectAsync(bool async, CancellationToken cancellationToken)
    {
        var host = Host;
        Socket socket;
        if (host.IsUnixSocket)
        {
            socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            SetBufferSizes(socket);
            try
            {
                await ConnectSocketAsync(socket, new UnixDomainSocketEndPoint(host.SocketPath), async, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or TimeoutException)
            {
                socket.Dispose();
                throw ConnectFailed(e, $"Is the server running locally and accepting connections on the Unix socket \"{host.SocketPath}\"?");
            }
        }
        else
        {
            IPAddress[] addresses;
            try
            {
                addresses = IPAddress.TryParse(host.Name, out var literal)
                    ? [literal]
                    : async
                        ? await Dns.GetHostAddressesAsync(host.Name, cancellationToken).ConfigureAwait(false)
                        : Dns.GetHostAddresses(host.Name);
            }
            catch (SocketException e)
            {
                throw new PgConnectionException($"Could not resolve the host name \"{host.Name}\": {e.Message}.", e);
            }
            if (addresses.Length == 0)
                throw new PgConnectionException($"The host name \"{host.Name}\" resolved to no address.");

            socket = null!;
            Exception? last = null;
            foreach (var address in addresses)
            {
                var candidate = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                SetBufferSizes(candidate);
                try
                {
                    await ConnectSocketAsync(candidate, new IPEndPoint(address, host.Port), async, cancellationToken).ConfigureAwait(false);
                    socket = candidate;
                    last = null;
                    break;
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException or TimeoutException)
                {
                    candidate.Dispose();
                    last = e;
                    if (e is OperationCanceledException && cancellationToken.IsCancellationRequested) break;
                }
            }
            if (last is not null)
                throw ConnectFailed(last, "Is the server running on that host and accepting TCP/IP connections?");
            SetKeepalive(socket);
        }
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _writeBuffer = new WriteBuffer(Settings.WriteBufferSize);
    }

    /// <summary>
    /// Keepalive=N: TCP keepalive probes after N idle seconds, so a dead peer is noticed on an idle connection, every
    /// Tcp Keepalive Interval seconds after (PgWire's choice without it: N, at most 10). Tcp Keepalive alone turns the
    /// probes on with the system's timings.
    /// </summary>
    private void SetKeepalive(Socket socket)
    {
        int seconds = Settings.KeepaliveSeconds;
        if (seconds <= 0 && !Settings.TcpKeepalive) return;
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        if (seconds <= 0) return;
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, seconds);
        int interval = Settings.TcpKeepaliveIntervalSeconds > 0 ? Settings.TcpKeepaliveIntervalSeconds : Math.Max(1, Math.Min(seconds, 10));
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, interval);
    }

    /// <summary>Socket Receive Buffer Size and Socket Send Buffer Size, set before connecting (TCP's window scale is agreed then).</summary>
    private void SetBufferSizes(Socket socket)
    {
        if (Settings.SocketReceiveBufferSize > 0) socket.ReceiveBufferSize = Settings.SocketReceiveBufferSize;
        if (Settings.SocketSendBufferSize > 0) socket.SendBufferSize = Settings.SocketSendBufferSize;
    }

    private async ValueTask ConnectSocketAsync(Socket socket, EndPoint endPoint, bool async, CancellationToken cancellationToken)
    {
        int timeout = Settings.ConnectTimeoutSeconds;
        if (async)
        {
            using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (timeout > 0) timeoutSource.CancelAfter(TimeSpan.FromSeconds(timeout));
            try
            {
                await socket.ConnectAsync(endPoint, timeoutSource.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"no answer within the connect timeout of {timeout} s");
            }
        }
        else if (timeout > 0)
        {
            // Socket.Connect has no timeout of its own: connect non-blocking and poll, without a thread-pool task.
            socket.Blocking = false;
            try
            {
                socket.Connect(endPoint);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
            {
                int micros = (int)Math.Min(timeout * 1_000_000L, int.MaxValue);
                if (!socket.Poll(micros, SelectMode.SelectWrite))
                    throw new TimeoutException($"no answer within the connect timeout of {timeout} s");
                var error = (SocketError)(int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
                if (error != SocketError.Success)
                    throw new SocketException((int)error);
            }
            socket.Blocking = true;
        }
        else
        {
            socket.Connect(endPoint);
        }
    }

    private PgConnectionException ConnectFailed(Exception e, string hint)
    {
        string reason = e switch
        {
            SocketException { SocketErrorCode: SocketError.ConnectionRefused } => "the connection was refused",
            SocketException s => s.Message,
            TimeoutException t => t.Message,
            OperationCanceledException => "the connection attempt was cancelled",
            _ => e.Message,
        };
        return new PgConnectionException($"Could not connect to the server at {Host}: {reason}. {hint}", e);
    }
}
