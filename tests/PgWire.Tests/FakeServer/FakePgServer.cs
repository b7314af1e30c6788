using System.Net;
using System.Net.Sockets;

namespace PgWire.Tests.FakeServer;

/// <summary>
/// A scripted stand-in for PostgreSQL, for what a real server will not send: lying lengths, hostile SCRAM
/// messages, a connection dropped mid-result, silence. Listens on 127.0.0.1 on a free port. The script API
/// (<see cref="ExpectStartupAsync"/>, <see cref="SendAsync(char, byte[])"/>, ...) drives the first connection a
/// client makes; <see cref="AcceptAsync"/> gives further ones (a CancelRequest arrives on its own connection).
/// Every step is bounded by <see cref="StepTimeout"/>, so a script whose client went quiet fails instead of hanging.
/// </summary>
public sealed class FakePgServer : IAsyncDisposable
{
    /// <summary>How long any one step of a script, or a bounded wait on the client, may take.</summary>
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(10);

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<FakePgConnection> _connections = [];
    private FakePgConnection? _first;

    private FakePgServer(TcpListener listener)
    {
        _listener = listener;
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static FakePgServer Start()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new FakePgServer(listener);
    }

    public int Port { get; }

    /// <summary>
    /// A connection string for this server (user "u", password "pencil", database "d"), with the connect timeout
    /// given and <paramref name="extra"/> keywords appended (e.g. "SSL Mode=Require"). Unpooled, so that closing a
    /// connection ends its script instead of waiting on a pool reset the script does not answer.
    /// </summary>
    public string ConnectionString(int timeoutSeconds = 10, string extra = "") =>
        $"Host=127.0.0.1;Port={Port};Username=u;Password=pencil;Database=d;Timeout={timeoutSeconds};Pooling=false;Server Compatibility Mode=NoTypeLoading" +
        (extra.Length > 0 ? ";" + extra : "");

    /// <summary>Accepts the next client connection.</summary>
    public async Task<FakePgConnection> AcceptAsync()
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        bound.CancelAfter(StepTimeout);
        TcpClient client;
        try
        {
            client = await _listener.AcceptTcpClientAsync(bound.Token);
        }
        catch (OperationCanceledException e) when (!_stopping.IsCancellationRequested)
        {
            throw new TimeoutException($"No client connected to the fake server within {StepTimeout.TotalSeconds} s.", e);
        }
        var connection = new FakePgConnection(client, _stopping.Token);
        lock (_connections) _connections.Add(connection);
        return connection;
    }

    /// <summary>The first client connection, accepted on first use.</summary>
    public async Task<FakePgConnection> FirstConnectionAsync() => _first ??= await AcceptAsync();

    /// <summary>
    /// Waits for a task of the client under test within <see cref="StepTimeout"/>: a client that hangs fails the
    /// test with a <see cref="TimeoutException"/> instead of blocking the run. Not a timing assertion.
    /// </summary>
    public static async Task Bounded(Task clientTask)
    {
        try
        {
            await clientTask.WaitAsync(StepTimeout);
        }
        catch (TimeoutException e) when (!clientTask.IsCompleted)
        {
            throw new TimeoutException($"The client did not finish within {StepTimeout.TotalSeconds} s.", e);
        }
    }

    /// <inheritdoc cref="Bounded(Task)"/>
    public static async Task<T> Bounded<T>(Task<T> clientTask)
    {
        await Bounded((Task)clientTask);
        return await clientTask;
    }

    // ---- The script API, on the first connection ----

    public async Task<IReadOnlyDictionary<string, string>> ExpectStartupAsync() => await (await FirstConnectionAsync()).ExpectStartupAsync();

    public async Task<IReadOnlyDictionary<string, string>> CompleteStartupAsync() => await (await FirstConnectionAsync()).CompleteStartupAsync();

    public async Task CompleteStartupAfterAuthenticationAsync() => await (await FirstConnectionAsync()).CompleteStartupAfterAuthenticationAsync();

    public async Task<byte[]> ReadUntypedMessageAsync() => await (await FirstConnectionAsync()).ReadUntypedMessageAsync();

    public async Task<FrontendMessage> ReadMessageAsync() => await (await FirstConnectionAsync()).ReadMessageAsync();

    public async Task<byte[]> ExpectMessageAsync(char code) => await (await FirstConnectionAsync()).ExpectMessageAsync(code);

    public async Task<IReadOnlyList<FrontendMessage>> ReadUntilSyncAsync() => await (await FirstConnectionAsync()).ReadUntilSyncAsync();

    public async Task<IReadOnlyList<FrontendMessage>> ReadUntilClientClosesAsync() => await (await FirstConnectionAsync()).ReadUntilClientClosesAsync();

    public async Task<(string Mechanism, string Data)> ExpectSaslInitialResponseAsync() => await (await FirstConnectionAsync()).ExpectSaslInitialResponseAsync();

    public async Task<string> ExpectSaslResponseAsync() => await (await FirstConnectionAsync()).ExpectSaslResponseAsync();

    public async Task<IReadOnlyList<FrontendMessage>> AnswerFirstRunAsync(uint[] parameterTypes, params (string Name, uint TypeOid)[] columns) =>
        await (await FirstConnectionAsync()).AnswerFirstRunAsync(parameterTypes, columns);

    public async Task<IReadOnlyList<FrontendMessage>> AnswerDescribeAsync(uint[] parameterTypes, params (string Name, uint TypeOid)[] columns) =>
        await (await FirstConnectionAsync()).AnswerDescribeAsync(parameterTypes, columns);

    public async Task SendAsync(char code, byte[] body) => await (await FirstConnectionAsync()).SendAsync(code, body);

    public async Task SendAsync(byte code, byte[] body) => await (await FirstConnectionAsync()).SendAsync(code, body);

    public async Task SendRaw(byte[] bytes) => await (await FirstConnectionAsync()).SendRaw(bytes);

    public async Task SendAuthenticationRequest(int request, byte[]? data = null) => await (await FirstConnectionAsync()).SendAuthenticationRequest(request, data);

    public async Task SendAuthOk() => await (await FirstConnectionAsync()).SendAuthOk();

    public async Task SendAuthenticationCleartextPassword() => await (await FirstConnectionAsync()).SendAuthenticationCleartextPassword();

    public async Task SendAuthenticationMD5Password(byte[] salt) => await (await FirstConnectionAsync()).SendAuthenticationMD5Password(salt);

    public async Task SendAuthenticationSasl(params string[] mechanisms) => await (await FirstConnectionAsync()).SendAuthenticationSasl(mechanisms);

    public async Task SendSaslContinue(string serverFirstMessage) => await (await FirstConnectionAsync()).SendSaslContinue(serverFirstMessage);

    public async Task SendSaslFinal(string serverFinalMessage) => await (await FirstConnectionAsync()).SendSaslFinal(serverFinalMessage);

    public async Task SendBackendKeyData(int processId = 4242, int secretKey = 0x5EC12E7) => await (await FirstConnectionAsync()).SendBackendKeyData(processId, secretKey);

    public async Task SendParameterStatus(string name, string value) => await (await FirstConnectionAsync()).SendParameterStatus(name, value);

    public async Task SendReadyForQuery(char status = 'I') => await (await FirstConnectionAsync()).SendReadyForQuery(status);

    public async Task SendErrorResponse(params (char Code, string Value)[] fields) => await (await FirstConnectionAsync()).SendErrorResponse(fields);

    public async Task SendBindComplete() => await (await FirstConnectionAsync()).SendBindComplete();

    public async Task SendDataRow(params byte[]?[] values) => await (await FirstConnectionAsync()).SendDataRow(values);

    public async Task SendCommandComplete(string tag) => await (await FirstConnectionAsync()).SendCommandComplete(tag);

    public async Task CloseAbruptly() => (await FirstConnectionAsync()).CloseAbruptly();

    /// <summary>Stops listening and closes every connection: whatever the client awaits fails at once.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        FakePgConnection[] connections;
        lock (_connections) connections = [.. _connections];
        foreach (var connection in connections)
            await connection.DisposeAsync();
        _stopping.Dispose();
    }
}
