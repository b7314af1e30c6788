using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace PgWire.Tests.Connectivity;

/// <summary>
/// A TCP proxy on 127.0.0.1 (a free port) in front of a PostgreSQL server that frames the protocol messages it
/// relays and can fault one of them: stall the connection there, or flip a high bit of its length
/// (<see cref="ProxyFault"/>). The messages of the first main connection are numbered from 1 in the order the proxy
/// receives them, both directions in one sequence, and recorded (<see cref="Messages"/>), so that a test can enumerate
/// every point of a conversation and fault each in turn; later main connections (a second connection of a pool) are
/// relayed clean. A connection whose first message is a CancelRequest is relayed untouched and not counted. Needs
/// SSL Mode=Disable (<see cref="ConnectionStringThrough"/> sets it): the proxy cannot frame TLS.
/// Disposing closes every socket; every wait inside the proxy ends then, or sooner.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    /// <summary>How long connecting to the server, or waiting for a relay to end, may take.</summary>
    public static readonly TimeSpan WaitBound = TimeSpan.FromSeconds(10);

    private const int CancelRequestCode = 80877102;
    private const int SslRequestCode = 80877103;
    private const int GssEncRequestCode = 80877104;

    /// <summary>The server's limit for an untyped message (MAX_STARTUP_PACKET_LENGTH).</summary>
    private const int MaxUntypedMessageLength = 10000;

    private readonly Socket _listener;
    private readonly string _serverHost;
    private readonly int _serverPort;
    private readonly ProxyFault _fault;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly List<ProxiedConnection> _connections = [];
    private readonly List<Task> _serving = [];
    private readonly Task _accepting;
    private ProxiedConnection? _firstMain;
    private bool _disposed;

    private FaultProxy(Socket listener, string serverHost, int serverPort, ProxyFault fault)
    {
        _listener = listener;
        _serverHost = serverHost;
        _serverPort = serverPort;
        _fault = fault;
        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        _accepting = AcceptAsync();
    }

    /// <summary>Starts a proxy in front of the server that <paramref name="serverConnectionString"/> names (its Host and Port).</summary>
    public static FaultProxy Start(string serverConnectionString, ProxyFault fault)
    {
        var server = new PgConnectionStringBuilder(serverConnectionString);
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen();
        }
        catch
        {
            listener.Dispose();
            throw;
        }
        return new FaultProxy(listener, server.Host ?? "127.0.0.1", server.Port, fault);
    }

    public int Port { get; }

    /// <summary><paramref name="connectionString"/> pointed at this proxy instead of the server, without TLS.</summary>
    public string ConnectionStringThrough(string connectionString) =>
        new PgConnectionStringBuilder(connectionString) { Host = "127.0.0.1", Port = Port, SslMode = SslMode.Disable }.ConnectionString;

    /// <summary>The messages of the first main connection received so far, in order (a stalled one included).</summary>
    public IReadOnlyList<RelayedMessage> Messages => FirstMain?.Messages ?? [];

    /// <summary>True once the message the fault plan names has arrived.</summary>
    public bool FaultReached => FirstMain?.FaultReached ?? false;

    private ProxiedConnection? FirstMain
    {
        get
        {
            lock (_gate) return _firstMain;
        }
    }

    /// <summary>
    /// The messages of the first main connection once it has ended in both directions (the client closed it and the
    /// server closed its end), for recording a whole conversation; fails when it has not ended within <see cref="WaitBound"/>.
    /// </summary>
    public async Task<IReadOnlyList<RelayedMessage>> MessagesWhenClosedAsync()
    {
        var first = FirstMain ?? throw new InvalidOperationException("No main connection came through the proxy.");
        try
        {
            await first.Completion.WaitAsync(WaitBound);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"The connection through the proxy had not closed after {WaitBound.TotalSeconds:0} s.", e);
        }
        return first.Messages;
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            lock (_gate)
            {
                if (_disposed)
                {
                    client.Dispose();
                    return;
                }
                _serving.Add(ServeAsync(client));
            }
        }
    }

    /// <summary>Reads the client's first (untyped) message, connects to the server and relays the connection.</summary>
    private async Task ServeAsync(Socket client)
    {
        await Task.Yield();
        Socket? server = null;
        try
        {
            client.NoDelay = true;
            byte[] first = await ReadUntypedMessageAsync(client);
            int code = BinaryPrimitives.ReadInt32BigEndian(first.AsSpan(4));
            if (code is SslRequestCode or GssEncRequestCode)
                throw new InvalidDataException("The client asked for encryption, which the proxy cannot frame: use SSL Mode=Disable.");
            server = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using (var bound = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token))
            {
                bound.CancelAfter(WaitBound);
                await server.ConnectAsync(_serverHost, _serverPort, bound.Token);
            }
            ProxiedConnection connection;
            lock (_gate)
            {
                if (_disposed) throw new ObjectDisposedException(nameof(FaultProxy));
                bool isCancel = code == CancelRequestCode;
                bool isFirstMain = !isCancel && _firstMain is null;
                connection = new ProxiedConnection(client, server, isFirstMain ? _fault : ProxyFault.None, _stopping.Token);
                if (isFirstMain) _firstMain = connection;
                _connections.Add(connection);
                if (isCancel) connection.StartUntouched(first);
                else connection.Start(first);
            }
            await connection.Completion;
            connection.Close();
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidDataException)
        {
            client.Dispose();
            server?.Dispose();
        }
    }

    /// <summary>A StartupMessage, CancelRequest or SSLRequest: Int32 length (counting itself), then the body; returned whole.</summary>
    private async Task<byte[]> ReadUntypedMessageAsync(Socket client)
    {
        await using var stream = new NetworkStream(client, ownsSocket: false);
        var lengthField = new byte[4];
        await stream.ReadExactlyAsync(lengthField, _stopping.Token);
        int length = BinaryPrimitives.ReadInt32BigEndian(lengthField);
        if (length is < 8 or > MaxUntypedMessageLength)
            throw new InvalidDataException($"The client's first message claims {length} bytes: not a startup-phase message.");
        var message = new byte[length];
        lengthField.CopyTo(message, 0);
        await stream.ReadExactlyAsync(message.AsMemory(4), _stopping.Token);
        return message;
    }

    /// <summary>Closes every socket and waits (bounded) for the relays to end.</summary>
    public async ValueTask DisposeAsync()
    {
        Task[] pending;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            pending = [_accepting, .. _serving];
        }
        await _stopping.CancelAsync();
        _listener.Dispose();
        ProxiedConnection[] connections;
        lock (_gate) connections = [.. _connections];
        foreach (var connection in connections) connection.Close();
        try
        {
            await Task.WhenAll(pending).WaitAsync(WaitBound);
        }
        catch (TimeoutException)
        {
            // A relay that does not end on a closed socket is abandoned rather than blocking the test run.
        }
        _stopping.Dispose();
    }
}
