using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace PgWire.Tests.FakeServer;

/// <summary>A frontend message as the fake server received it: its type byte and its body (without the length).</summary>
public readonly record struct FrontendMessage(char Code, byte[] Body)
{
    public override string ToString() => $"'{Code}' ({Body.Length} byte(s))";
}

/// <summary>
/// The server's end of one client connection, driven step by step by a test script. Every step is bounded by
/// <see cref="FakePgServer.StepTimeout"/> and fails with a <see cref="TimeoutException"/> rather than hanging.
/// Messages are written exactly as given, so a test can send what no real server would.
/// </summary>
public sealed class FakePgConnection : IAsyncDisposable
{
    /// <summary>The largest frontend message the fake will read; anything larger is a bug in the client or the test.</summary>
    private const int MaxFrontendMessageLength = 16 * 1024 * 1024;

    private const int ProtocolVersion3 = 196608;
    private const int SslRequestCode = 80877103;

    private readonly TcpClient _client;
    private readonly CancellationToken _serverStopping;

    internal FakePgConnection(TcpClient client, CancellationToken serverStopping)
    {
        _client = client;
        _client.NoDelay = true;
        _serverStopping = serverStopping;
        Stream = client.GetStream();
    }

    /// <summary>The transport; <see cref="UpgradeStreamAsync"/> replaces it (with an SslStream, for instance).</summary>
    public Stream Stream { get; private set; }

    /// <summary>True when the client asked for TLS before its StartupMessage and was refused.</summary>
    public bool SawSslRequest { get; private set; }

    /// <summary>Wraps the transport, e.g. in an SslStream after answering 'S' to an SSLRequest.</summary>
    public async Task UpgradeStreamAsync(Func<Stream, CancellationToken, Task<Stream>> upgrade)
    {
        Stream = await Bounded(token => upgrade(Stream, token), "the transport upgrade");
    }

    // ---- Reading what the client sends ----

    /// <summary>
    /// Reads one message without a type byte (StartupMessage, SSLRequest, CancelRequest, GSSENCRequest):
    /// the body after the length, starting with the protocol version or request code.
    /// </summary>
    public Task<byte[]> ReadUntypedMessageAsync() => Bounded(async token =>
    {
        var header = new byte[4];
        await ReadExactlyAsync(header, "the length of an untyped message", token);
        int length = CheckedLength(BinaryPrimitives.ReadInt32BigEndian(header), "untyped message");
        var body = new byte[length - 4];
        await ReadExactlyAsync(body, "the body of an untyped message", token);
        return body;
    }, "an untyped message (startup, SSL or cancel request)");

    /// <summary>
    /// Reads the StartupMessage and returns its parameters (user, database, ...). An SSLRequest before it is
    /// answered 'N' (no TLS here), as a server without TLS does, and recorded in <see cref="SawSslRequest"/>.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> ExpectStartupAsync()
    {
        while (true)
        {
            byte[] body = await ReadUntypedMessageAsync();
            int code = BinaryPrimitives.ReadInt32BigEndian(body);
            if (code == SslRequestCode && body.Length == 4)
            {
                SawSslRequest = true;
                await SendRaw([(byte)'N']);
                continue;
            }
            if (code != ProtocolVersion3)
                throw new InvalidDataException($"Expected a StartupMessage for protocol 3.0 (196608), got code {code}.");
            return ParseStartupParameters(body.AsSpan(4));
        }
    }

    private static Dictionary<string, string> ParseStartupParameters(ReadOnlySpan<byte> data)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        while (true)
        {
            string name = ReadCString(ref data);
            if (name.Length == 0) break;
            parameters[name] = ReadCString(ref data);
        }
        if (!data.IsEmpty) throw new InvalidDataException($"{data.Length} byte(s) after the StartupMessage's terminator.");
        return parameters;
    }

    /// <summary>Reads the next typed frontend message.</summary>
    public Task<FrontendMessage> ReadMessageAsync() => Bounded(async token =>
    {
        var header = new byte[5];
        await ReadExactlyAsync(header, "a message header", token);
        int length = CheckedLength(BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1)), $"'{(char)header[0]}' message");
        var body = new byte[length - 4];
        await ReadExactlyAsync(body, $"the body of a '{(char)header[0]}' message", token);
        return new FrontendMessage((char)header[0], body);
    }, "a message from the client");

    /// <summary>Reads the next message and fails unless it is of type <paramref name="code"/>; returns its body.</summary>
    public async Task<byte[]> ExpectMessageAsync(char code)
    {
        var message = await ReadMessageAsync();
        if (message.Code != code)
            throw new InvalidDataException($"Expected a '{code}' message from the client, got {message}.");
        return message.Body;
    }

    /// <summary>Reads messages up to and including the next Sync: one extended-query cycle.</summary>
    public async Task<IReadOnlyList<FrontendMessage>> ReadUntilSyncAsync()
    {
        var messages = new List<FrontendMessage>();
        while (true)
        {
            var message = await ReadMessageAsync();
            messages.Add(message);
            if (message.Code == 'S') return messages;
        }
    }

    /// <summary>
    /// Reads until the client closes the connection and returns the messages it sent before closing
    /// (empty when it closed without a word). Fails if the client keeps the connection open past the bound.
    /// </summary>
    public Task<IReadOnlyList<FrontendMessage>> ReadUntilClientClosesAsync() => Bounded<IReadOnlyList<FrontendMessage>>(async token =>
    {
        var messages = new List<FrontendMessage>();
        var header = new byte[5];
        while (true)
        {
            try
            {
                int first = await Stream.ReadAsync(header.AsMemory(0, 1), token);
                if (first == 0) return messages;
                await Stream.ReadExactlyAsync(header.AsMemory(1), token);
                int length = CheckedLength(BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1)), $"'{(char)header[0]}' message");
                var body = new byte[length - 4];
                await Stream.ReadExactlyAsync(body, token);
                messages.Add(new FrontendMessage((char)header[0], body));
            }
            catch (Exception e) when (e is IOException or SocketException && !token.IsCancellationRequested)
            {
                // A reset is a close too (the client closed with our bytes still unread).
                return messages;
            }
        }
    }, "the client to close the connection");

    /// <summary>Reads a SASLInitialResponse: the chosen mechanism and the client-first-message.</summary>
    public async Task<(string Mechanism, string Data)> ExpectSaslInitialResponseAsync()
    {
        ReadOnlySpan<byte> body = await ExpectMessageAsync('p');
        string mechanism = ReadCString(ref body);
        int length = BinaryPrimitives.ReadInt32BigEndian(body);
        body = body[4..];
        if (length != body.Length)
            throw new InvalidDataException($"SASLInitialResponse announces {length} byte(s) of data but carries {body.Length}.");
        return (mechanism, Encoding.UTF8.GetString(body));
    }

    /// <summary>Reads a SASLResponse and returns its data (the client-final-message).</summary>
    public async Task<string> ExpectSaslResponseAsync() => Encoding.UTF8.GetString(await ExpectMessageAsync('p'));

    // ---- Sending what the server says ----

    /// <summary>Sends one typed backend message, framed with its correct length.</summary>
    public Task SendAsync(byte code, byte[] body)
    {
        var message = new byte[5 + body.Length];
        message[0] = code;
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(1), body.Length + 4);
        body.CopyTo(message, 5);
        return SendRaw(message);
    }

    public Task SendAsync(char code, byte[] body) => SendAsync((byte)code, body);

    /// <summary>Sends bytes exactly as given: for lying lengths, partial messages, the answer to SSLRequest.</summary>
    public Task SendRaw(byte[] bytes) => Bounded(async token =>
    {
        await Stream.WriteAsync(bytes, token);
        await Stream.FlushAsync(token);
        return true;
    }, "a write to the client");

    public Task SendAuthenticationRequest(int request, byte[]? data = null) =>
        SendAsync('R', [.. Int32(request), .. data ?? []]);

    public Task SendAuthOk() => SendAuthenticationRequest(0);

    public Task SendAuthenticationCleartextPassword() => SendAuthenticationRequest(3);

    public Task SendAuthenticationMD5Password(byte[] salt) => SendAuthenticationRequest(5, salt);

    /// <summary>AuthenticationSASL: the mechanisms offered, each null-terminated, then an empty name.</summary>
    public Task SendAuthenticationSasl(params string[] mechanisms) =>
        SendAuthenticationRequest(10, [.. mechanisms.SelectMany(CString), 0]);

    public Task SendSaslContinue(string serverFirstMessage) =>
        SendAuthenticationRequest(11, Encoding.UTF8.GetBytes(serverFirstMessage));

    public Task SendSaslFinal(string serverFinalMessage) =>
        SendAuthenticationRequest(12, Encoding.UTF8.GetBytes(serverFinalMessage));

    public Task SendBackendKeyData(int processId = 4242, int secretKey = 0x5EC12E7) =>
        SendAsync('K', [.. Int32(processId), .. Int32(secretKey)]);

    public Task SendParameterStatus(string name, string value) => SendAsync('S', [.. CString(name), .. CString(value)]);

    public Task SendReadyForQuery(char status = 'I') => SendAsync('Z', [(byte)status]);

    /// <summary>ErrorResponse with the given fields, e.g. ('S', "FATAL"), ('C', "28P01"), ('M', "...").</summary>
    public Task SendErrorResponse(params (char Code, string Value)[] fields) =>
        SendAsync('E', [.. fields.SelectMany(f => (byte[])[(byte)f.Code, .. CString(f.Value)]), 0]);

    public Task SendParseComplete() => SendAsync('1', []);

    public Task SendBindComplete() => SendAsync('2', []);

    public Task SendNoData() => SendAsync('n', []);

    public Task SendParameterDescription(params uint[] typeOids) =>
        SendAsync('t', [.. UInt16(typeOids.Length), .. typeOids.SelectMany(UInt32)]);

    /// <summary>RowDescription with text format codes, as the answer to Describe(statement) carries.</summary>
    public Task SendRowDescription(params (string Name, uint TypeOid)[] columns) =>
        SendAsync('T', [.. UInt16(columns.Length), .. columns.SelectMany(c => (byte[])
        [
            .. CString(c.Name),
            .. UInt32(0),           // table OID
            .. UInt16(0),           // column attribute number
            .. UInt32(c.TypeOid),
            .. UInt16(-1),          // type size
            .. Int32(-1),           // type modifier
            .. UInt16(0),           // format code
        ])]);

    /// <summary>DataRow with each value's bytes as given; null is NULL.</summary>
    public Task SendDataRow(params byte[]?[] values) =>
        SendAsync('D', [.. UInt16(values.Length), .. values.SelectMany(v => v is null ? Int32(-1) : [.. Int32(v.Length), .. v])]);

    public Task SendCommandComplete(string tag) => SendAsync('C', CString(tag));

    // ---- Whole steps ----

    /// <summary>
    /// The startup of a server that trusts the client: StartupMessage, AuthenticationOk, BackendKeyData,
    /// server_version, ReadyForQuery. Returns the startup parameters.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> CompleteStartupAsync()
    {
        var parameters = await ExpectStartupAsync();
        await SendAuthOk();
        await CompleteStartupAfterAuthenticationAsync();
        return parameters;
    }

    /// <summary>What a server sends after AuthenticationOk: BackendKeyData, ParameterStatus server_version=15.0, ReadyForQuery.</summary>
    public async Task CompleteStartupAfterAuthenticationAsync()
    {
        await SendBackendKeyData();
        await SendParameterStatus("server_version", "15.0");
        await SendReadyForQuery('I');
    }

    /// <summary>
    /// Answers a Parse/Describe(statement)/Sync cycle: ParseComplete, ParameterDescription, then RowDescription
    /// (or NoData when <paramref name="columns"/> is empty), ReadyForQuery. Returns the messages of the cycle.
    /// </summary>
    public async Task<IReadOnlyList<FrontendMessage>> AnswerDescribeAsync(uint[] parameterTypes, params (string Name, uint TypeOid)[] columns)
    {
        var cycle = await ReadUntilSyncAsync();
        await SendParseComplete();
        await SendParameterDescription(parameterTypes);
        if (columns.Length == 0) await SendNoData();
        else await SendRowDescription(columns);
        await SendReadyForQuery('I');
        return cycle;
    }

    /// <summary>
    /// Answers the head of a statement's first run, which comes in one write (Parse, Describe(statement), Bind,
    /// Execute, Sync): ParseComplete, ParameterDescription, RowDescription (or NoData when <paramref name="columns"/> is
    /// empty) and BindComplete. The rows (as text: their formats were chosen before the description), the completion and
    /// ReadyForQuery are the test's to send. Returns the messages of the cycle.
    /// </summary>
    public async Task<IReadOnlyList<FrontendMessage>> AnswerFirstRunAsync(uint[] parameterTypes, params (string Name, uint TypeOid)[] columns)
    {
        var cycle = await ReadUntilSyncAsync();
        await SendParseComplete();
        await SendParameterDescription(parameterTypes);
        if (columns.Length == 0) await SendNoData();
        else await SendRowDescription(columns);
        await SendBindComplete();
        return cycle;
    }

    /// <summary>Closes the socket abruptly, as a crashed server would.</summary>
    public void CloseAbruptly()
    {
        try { _client.Client.Shutdown(SocketShutdown.Both); } catch (SocketException) { /* already gone */ }
        _client.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    // ---- Encoding helpers ----

    public static byte[] Int32(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }

    public static byte[] UInt32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    public static byte[] UInt16(int value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, unchecked((ushort)value));
        return bytes;
    }

    public static byte[] CString(string value) => [.. Encoding.UTF8.GetBytes(value), 0];

    private static string ReadCString(ref ReadOnlySpan<byte> data)
    {
        int end = data.IndexOf((byte)0);
        if (end < 0) throw new InvalidDataException("A string from the client has no terminating NUL.");
        string value = Encoding.UTF8.GetString(data[..end]);
        data = data[(end + 1)..];
        return value;
    }

    private static int CheckedLength(int length, string what)
    {
        if (length < 4 || length > MaxFrontendMessageLength)
            throw new InvalidDataException($"The client sent a {what} with length {length}.");
        return length;
    }

    private async Task ReadExactlyAsync(byte[] buffer, string what, CancellationToken token)
    {
        try
        {
            await Stream.ReadExactlyAsync(buffer, token);
        }
        catch (EndOfStreamException e)
        {
            throw new EndOfStreamException($"The client closed the connection while the fake server was reading {what}.", e);
        }
    }

    /// <summary>Runs one step of the script within <see cref="FakePgServer.StepTimeout"/>.</summary>
    private async Task<T> Bounded<T>(Func<CancellationToken, Task<T>> step, string what)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(_serverStopping);
        bound.CancelAfter(FakePgServer.StepTimeout);
        try
        {
            return await step(bound.Token);
        }
        catch (OperationCanceledException e) when (bound.IsCancellationRequested && !_serverStopping.IsCancellationRequested)
        {
            throw new TimeoutException($"The fake server waited more than {FakePgServer.StepTimeout.TotalSeconds} s for {what}.", e);
        }
    }
}
