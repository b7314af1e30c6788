using System.Net;
using System.Net.Sockets;
using PgWire.Protocol;

namespace PgWire.Connection;

internal sealed partial class PgConnector
{
    private Socket? _socket;

    /// <summary>The host this connector is connected (or connecting) to.</summary>
    public PgHost Host { get; private set; } = new("localhost", 5432);

    /// <summary>
    /// Opens the socket to <see cref="Host"/> (TCP with NoDelay and the Keepalive setting, or a Unix-domain socket)
    /// within the connect timeout. The read buffer is made once TLS has been decided.
    /// </summary>
    private async ValueTask ConnectTransportAsync(bool async, CancellationToken cancellationToken)
    {
        var host = Host;
        Socket socket;
        if (host.IsUnixSocket)
        {
            socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
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
        _writeBuffer = new WriteBuffer();
    }

    /// <summary>Keepalive=N: TCP keepalive probes after N idle seconds, so a dead peer is noticed on an idle connection.</summary>
    private void SetKeepalive(Socket socket)
    {
        int seconds = Settings.KeepaliveSeconds;
        if (seconds <= 0) return;
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, seconds);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, Math.Max(1, Math.Min(seconds, 10)));
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
