using System.Buffers.Binary;
using System.Net.Sockets;

namespace PgWire.Tests.Connectivity;

/// <summary>
/// One client connection that <see cref="FaultProxy"/> relays to the server. A main connection is framed into protocol
/// messages in both directions (client to server: the untyped StartupMessage, then typed messages; server to client:
/// typed messages), each numbered in one sequence in the order the proxy receives it, recorded, and relayed or
/// faulted as the <see cref="ProxyFault"/> says. A CancelRequest's connection is relayed untouched and not counted.
/// Every wait ends when the proxy is disposed.
/// </summary>
internal sealed class ProxiedConnection
{
    private const int ChunkSize = 8192;

    /// <summary>A message header: the type byte and the Int32 length that counts itself but not the type byte.</summary>
    private const int HeaderSize = 5;

    private readonly Socket _client;
    private readonly Socket _server;
    private readonly NetworkStream _fromClient;
    private readonly NetworkStream _fromServer;
    private readonly ProxyFault _fault;
    private readonly CancellationToken _stopping;
    private readonly Lock _gate = new();
    private readonly List<RelayedMessage> _messages = [];
    private bool _stalled;
    private volatile bool _faultReached;

    public ProxiedConnection(Socket client, Socket server, ProxyFault fault, CancellationToken stopping)
    {
        _client = client;
        _server = server;
        _fromClient = new NetworkStream(client, ownsSocket: false);
        _fromServer = new NetworkStream(server, ownsSocket: false);
        _fault = fault;
        _stopping = stopping;
    }

    /// <summary>The messages received so far (a stalled message included, those after it not).</summary>
    public IReadOnlyList<RelayedMessage> Messages
    {
        get
        {
            lock (_gate) return [.. _messages];
        }
    }

    /// <summary>True once the message the fault plan names has arrived.</summary>
    public bool FaultReached => _faultReached;

    /// <summary>Ends when both directions have ended (or the proxy was disposed).</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Relays a main connection whose StartupMessage (length prefix included) has been read already.</summary>
    public void Start(byte[] startupMessage) => Completion = Task.WhenAll(
        RelayStartupThenFrontendAsync(startupMessage),
        PumpMessagesAsync(_fromServer, _fromClient, _client, MessageDirection.ServerToClient));

    /// <summary>Relays a connection bytes as they come, <paramref name="firstMessage"/> first (a CancelRequest).</summary>
    public void StartUntouched(byte[] firstMessage) => Completion = Task.WhenAll(
        RelayUntouchedAsync(firstMessage),
        GuardedAsync(() => CopyRawAsync(_fromServer, _fromClient, _client)));

    /// <summary>Closes both sockets: whatever either side awaits from the proxy ends at once.</summary>
    public void Close()
    {
        _client.Dispose();
        _server.Dispose();
    }

    private Task RelayUntouchedAsync(byte[] firstMessage) => GuardedAsync(async () =>
    {
        await _fromServer.WriteAsync(firstMessage, _stopping);
        await CopyRawAsync(_fromClient, _fromServer, _server);
    });

    private Task RelayStartupThenFrontendAsync(byte[] startupMessage) => GuardedAsync(async () =>
    {
        switch (Admit(MessageDirection.ClientToServer, '\0'))
        {
            case Action.Stall:
                await StallAsync();
                return;
            case Action.FlipLengthBit:
                FlipLengthBit(startupMessage, 0);
                await _fromServer.WriteAsync(startupMessage, _stopping);
                await CopyRawAsync(_fromClient, _fromServer, _server);
                return;
            default:
                await _fromServer.WriteAsync(startupMessage, _stopping);
                await PumpMessagesAsync(_fromClient, _fromServer, _server, MessageDirection.ClientToServer);
                return;
        }
    });

    /// <summary>Relays typed messages from <paramref name="from"/> to <paramref name="to"/> until either end closes.</summary>
    private Task PumpMessagesAsync(NetworkStream from, NetworkStream to, Socket toSocket, MessageDirection direction) => GuardedAsync(async () =>
    {
        var header = new byte[HeaderSize];
        var chunk = new byte[ChunkSize];
        while (true)
        {
            int got = await from.ReadAtLeastAsync(header, HeaderSize, throwOnEndOfStream: false, _stopping);
            if (got < HeaderSize)
            {
                await EndOfStreamAsync(to, toSocket, header.AsMemory(0, got));
                return;
            }
            switch (Admit(direction, (char)header[0]))
            {
                case Action.Stall:
                    await StallAsync();
                    return;
                case Action.FlipLengthBit:
                    FlipLengthBit(header, 1);
                    await to.WriteAsync(header, _stopping);
                    await CopyRawAsync(from, to, toSocket);
                    return;
            }
            await to.WriteAsync(header, _stopping);
            int length = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1));
            if (length < 4)
            {
                // Not a message a sound peer sends: nothing to frame any more, relay what comes.
                await CopyRawAsync(from, to, toSocket);
                return;
            }
            for (int left = length - 4; left > 0;)
            {
                int read = await from.ReadAsync(chunk.AsMemory(0, Math.Min(left, chunk.Length)), _stopping);
                if (read == 0)
                {
                    await EndOfStreamAsync(to, toSocket, ReadOnlyMemory<byte>.Empty);
                    return;
                }
                await to.WriteAsync(chunk.AsMemory(0, read), _stopping);
                left -= read;
            }
        }
    });

    private async Task CopyRawAsync(NetworkStream from, NetworkStream to, Socket toSocket)
    {
        var chunk = new byte[ChunkSize];
        while (true)
        {
            int read = await from.ReadAsync(chunk, _stopping);
            if (read == 0)
            {
                await EndOfStreamAsync(to, toSocket, ReadOnlyMemory<byte>.Empty);
                return;
            }
            if (IsStalled)
            {
                await StallAsync();
                return;
            }
            await to.WriteAsync(chunk.AsMemory(0, read), _stopping);
        }
    }

    /// <summary>One side closed: pass on the bytes of a partial header and the end, as the network would (unless stalled).</summary>
    private async Task EndOfStreamAsync(NetworkStream to, Socket toSocket, ReadOnlyMemory<byte> partial)
    {
        if (IsStalled)
        {
            await StallAsync();
            return;
        }
        if (!partial.IsEmpty) await to.WriteAsync(partial, _stopping);
        toSocket.Shutdown(SocketShutdown.Send);
    }

    /// <summary>
    /// Runs one direction of the relay; a socket error ends it and, unless the connection is stalled (which keeps both
    /// sockets open), closes both sockets, as a reset does.
    /// </summary>
    private async Task GuardedAsync(Func<Task> relay)
    {
        try
        {
            await relay();
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            if (IsStalled) await StallAsync();
            else Close();
        }
    }

    private bool IsStalled
    {
        get
        {
            lock (_gate) return _stalled;
        }
    }

    /// <summary>Numbers and records a message that has arrived and says what to do with it.</summary>
    private Action Admit(MessageDirection direction, char code)
    {
        lock (_gate)
        {
            if (_stalled) return Action.Stall;
            int number = _messages.Count + 1;
            _messages.Add(new RelayedMessage(number, direction, code));
            if (_fault.Kind == ProxyFaultKind.None || number != _fault.At) return Action.Relay;
            _faultReached = true;
            if (_fault.Kind == ProxyFaultKind.FlipLengthBit) return Action.FlipLengthBit;
            _stalled = true;
            return Action.Stall;
        }
    }

    /// <summary>Relays nothing and keeps the sockets open until the proxy is disposed.</summary>
    private async Task StallAsync()
    {
        try
        {
            await Task.Delay(Timeout.Infinite, _stopping);
        }
        catch (OperationCanceledException)
        {
            // The proxy is being disposed: it closes the sockets.
        }
    }

    private static void FlipLengthBit(byte[] message, int lengthOffset)
    {
        var field = message.AsSpan(lengthOffset, 4);
        BinaryPrimitives.WriteInt32BigEndian(field, BinaryPrimitives.ReadInt32BigEndian(field) ^ ProxyFault.LengthBit);
    }

    private enum Action
    {
        Relay,
        Stall,
        FlipLengthBit,
    }
}
