using System.Buffers;
using System.Data;
using System.Security.Cryptography;
using System.Text;

namespace PgWire.Tests.FakeServer;

/// <summary>
/// The client against a scripted server that lies, stalls or hangs up. The first tests run each exchange the
/// honest way and succeed, so that the refusals after them are refusals of exactly the step that was broken.
/// </summary>
public sealed class FakeServerTests : IAsyncLifetime
{
    private const uint Int4Oid = 23;

    private static readonly byte[] Salt = Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ==");

    private readonly FakePgServer _server = FakePgServer.Start();
    private PgConnection? _connection;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync();
        await _server.DisposeAsync();
    }

    private PgConnection NewConnection(int timeoutSeconds = 10, bool withPassword = true)
    {
        string connectionString = _server.ConnectionString(timeoutSeconds);
        if (!withPassword) connectionString = connectionString.Replace("Password=pencil;", "");
        return _connection = new PgConnection(connectionString);
    }

    private static string Codes(IEnumerable<FrontendMessage> messages) => string.Concat(messages.Select(m => m.Code));

    /// <summary>Offers SCRAM-SHA-256 and reads the client-first-message into a new exchange.</summary>
    private async Task<ScramServerExchange> StartScramAsync(int iterations = 4096)
    {
        await _server.ExpectStartupAsync();
        await _server.SendAuthenticationSasl("SCRAM-SHA-256");
        var (mechanism, clientFirst) = await _server.ExpectSaslInitialResponseAsync();
        Assert.Equal("SCRAM-SHA-256", mechanism);
        var scram = new ScramServerExchange("pencil", Salt, iterations);
        scram.ReadClientFirst(clientFirst);
        return scram;
    }

    // ---- SCRAM-SHA-256 ----

    [Fact]
    public async Task A_correct_SCRAM_exchange_opens_the_connection()
    {
        var conn = NewConnection();
        var open = conn.OpenAsync();
        var scram = await StartScramAsync();
        await _server.SendSaslContinue(scram.ServerFirst());
        string clientFinal = await _server.ExpectSaslResponseAsync();
        Assert.True(scram.ClientProofIsValid(clientFinal), $"the client's proof does not check out: {clientFinal}");
        await _server.SendSaslFinal(scram.ServerFinal(clientFinal));
        await _server.SendAuthOk();
        await _server.CompleteStartupAfterAuthenticationAsync();

        await FakePgServer.Bounded(open);

        Assert.Equal(ConnectionState.Open, conn.State);
        Assert.Equal("15.0", conn.ServerVersion);
        Assert.Equal(4242, conn.ProcessId);
    }

    [Fact]
    public async Task SCRAM_client_first_message_carries_no_channel_binding_an_empty_user_and_a_nonce()
    {
        _ = NewConnection().OpenAsync();
        await _server.ExpectStartupAsync();
        await _server.SendAuthenticationSasl("SCRAM-SHA-256");

        var (_, clientFirst) = await _server.ExpectSaslInitialResponseAsync();

        Assert.Matches(@"^n,,n=,r=[\x21-\x2B\x2D-\x7E]+$", clientFirst);
    }

    [Fact]
    public async Task SCRAM_server_nonce_that_does_not_start_with_the_client_nonce_is_refused()
    {
        var open = NewConnection().OpenAsync();
        var scram = await StartScramAsync();

        await _server.SendSaslContinue(scram.ServerFirst("Xq" + scram.ClientNonce + "extra"));

        var error = await Assert.ThrowsAsync<PgAuthenticationException>(() => FakePgServer.Bounded(open));
        Assert.Contains("nonce", error.Message);
        Assert.Empty(await _server.ReadUntilClientClosesAsync());
    }

    [Fact]
    public async Task SCRAM_server_nonce_equal_to_the_client_nonce_with_nothing_added_is_refused()
    {
        var open = NewConnection().OpenAsync();
        var scram = await StartScramAsync();

        await _server.SendSaslContinue(scram.ServerFirst(scram.ClientNonce));

        var error = await Assert.ThrowsAsync<PgAuthenticationException>(() => FakePgServer.Bounded(open));
        Assert.Contains("nonce", error.Message);
        Assert.Empty(await _server.ReadUntilClientClosesAsync());
    }

    [Fact]
    public async Task SCRAM_wrong_server_signature_is_refused_and_no_query_follows()
    {
        var conn = NewConnection();
        var open = conn.OpenAsync();
        var scram = await StartScramAsync();
        await _server.SendSaslContinue(scram.ServerFirst());
        await _server.ExpectSaslResponseAsync();

        await _server.SendSaslFinal("v=" + Convert.ToBase64String(new byte[32]));

        var error = await Assert.ThrowsAsync<PgAuthenticationException>(() => FakePgServer.Bounded(open));
        Assert.Contains("signature", error.Message);
        Assert.Empty(await _server.ReadUntilClientClosesAsync());
        Assert.Equal(ConnectionState.Closed, conn.State);
    }

    [Fact]
    public async Task SCRAM_AuthenticationOk_without_SASLFinal_is_refused()
    {
        var open = NewConnection().OpenAsync();
        var scram = await StartScramAsync();
        await _server.SendSaslContinue(scram.ServerFirst());
        await _server.ExpectSaslResponseAsync();

        await _server.SendAuthOk();
        // The client may already have refused and closed by now; the rest of the startup is only offered.
        try
        {
            await _server.CompleteStartupAfterAuthenticationAsync();
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
        }

        var error = await Assert.ThrowsAsync<PgAuthenticationException>(() => FakePgServer.Bounded(open));
        Assert.Contains("signature", error.Message);
        Assert.Empty(await _server.ReadUntilClientClosesAsync());
    }

    [Fact]
    public async Task SCRAM_iteration_count_of_100_million_is_refused_before_any_proof_is_sent()
    {
        var open = NewConnection().OpenAsync();
        var scram = await StartScramAsync(iterations: 100_000_000);

        await _server.SendSaslContinue(scram.ServerFirst());

        var error = await Assert.ThrowsAsync<PgAuthenticationException>(() => FakePgServer.Bounded(open));
        Assert.Contains("iterations", error.Message);
        Assert.Empty(await _server.ReadUntilClientClosesAsync());
    }

    [Fact]
    public async Task SASL_offering_only_SCRAM_SHA_256_PLUS_without_TLS_is_refused_naming_the_mechanism()
    {
        var open = NewConnection().OpenAsync();
        await _server.ExpectStartupAsync();

        await _server.SendAuthenticationSasl("SCRAM-SHA-256-PLUS");

        var error = await Assert.ThrowsAsync<PgAuthenticationException>(() => FakePgServer.Bounded(open));
        Assert.Contains("SCRAM-SHA-256-PLUS", error.Message);
        Assert.Empty(await _server.ReadUntilClientClosesAsync());
    }

    [Fact]
    public async Task SASLContinue_before_AuthenticationSASL_is_a_protocol_violation()
    {
        var open = NewConnection().OpenAsync();
        await _server.ExpectStartupAsync();

        await _server.SendSaslContinue("r=abc,s=QSXCR+Q6sek8bf92,i=4096");

        await Assert.ThrowsAsync<PgProtocolException>(() => FakePgServer.Bounded(open));
        Assert.Empty(await _server.ReadUntilClientClosesAsync());
    }

    // ---- Cleartext and MD5 passwords ----

    [Fact]
    public async Task StartupMessage_names_the_user_and_the_database_of_the_connection_string()
    {
        var open = NewConnection().OpenAsync();

        var parameters = await _server.CompleteStartupAsync();

        await FakePgServer.Bounded(open);
        Assert.Equal("u", parameters["user"]);
        Assert.Equal("d", parameters["database"]);
        Assert.Equal("UTF8", parameters["client_encoding"]);
    }

    [Fact]
    public async Task Cleartext_password_request_is_answered_with_the_password_null_terminated()
    {
        var open = NewConnection().OpenAsync();
        await _server.ExpectStartupAsync();

        await _server.SendAuthenticationCleartextPassword();
        byte[] password = await _server.ExpectMessageAsync('p');
        await _server.SendAuthOk();
        await _server.CompleteStartupAfterAuthenticationAsync();

        await FakePgServer.Bounded(open);
        Assert.Equal("pencil\0"u8.ToArray(), password);
    }

    [Fact]
    public async Task MD5_password_request_is_answered_with_md5_of_the_hex_md5_of_password_and_user_then_salt()
    {
        byte[] salt = [0x93, 0x7A, 0x01, 0xFE];
        string inner = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes("pencil" + "u")));
        string outer = Convert.ToHexStringLower(MD5.HashData([.. Encoding.ASCII.GetBytes(inner), .. salt]));
        var open = NewConnection().OpenAsync();
        await _server.ExpectStartupAsync();

        await _server.SendAuthenticationMD5Password(salt);
        byte[] password = await _server.ExpectMessageAsync('p');
        await _server.SendAuthOk();
        await _server.CompleteStartupAfterAuthenticationAsync();

        await FakePgServer.Bounded(open);
        Assert.Equal("md5" + outer + "\0", Encoding.ASCII.GetString(password));
    }

    [Fact]
    public async Task Password_request_without_a_password_in_the_connection_string_is_refused_and_nothing_is_sent()
    {
        var open = NewConnection(withPassword: false).OpenAsync();
        await _server.ExpectStartupAsync();

        await _server.SendAuthenticationCleartextPassword();

        var error = await Assert.ThrowsAsync<PgAuthenticationException>(() => FakePgServer.Bounded(open));
        Assert.Contains("Password", error.Message);
        Assert.Empty(await _server.ReadUntilClientClosesAsync());
    }

    [Theory]
    [InlineData(2, "KerberosV5")]
    [InlineData(7, "GSS")]
    [InlineData(9, "SSPI")]
    public async Task Unsupported_authentication_method_is_refused_naming_the_method(int request, string name)
    {
        var open = NewConnection().OpenAsync();
        await _server.ExpectStartupAsync();

        await _server.SendAuthenticationRequest(request);

        var error = await Assert.ThrowsAsync<PgAuthenticationException>(() => FakePgServer.Bounded(open));
        Assert.Contains(name, error.Message);
        Assert.Empty(await _server.ReadUntilClientClosesAsync());
    }

    // ---- Errors and silence during startup ----

    [Fact]
    public async Task FATAL_ErrorResponse_during_startup_surfaces_as_PgServerException_with_its_SQLSTATE()
    {
        var conn = NewConnection();
        var open = conn.OpenAsync();
        await _server.ExpectStartupAsync();
        await _server.SendAuthenticationCleartextPassword();
        await _server.ExpectMessageAsync('p');

        await _server.SendErrorResponse(('S', "FATAL"), ('V', "FATAL"), ('C', "28P01"),
            ('M', "password authentication failed for user \"u\""));
        await _server.CloseAbruptly();

        var error = await Assert.ThrowsAsync<PgServerException>(() => FakePgServer.Bounded(open));
        Assert.Equal("28P01", error.SqlState);
        Assert.Equal("FATAL", error.Severity);
        Assert.Equal("password authentication failed for user \"u\"", error.MessageText);
        Assert.Equal(ConnectionState.Closed, conn.State);
    }

    [Fact]
    public async Task Server_that_never_answers_the_startup_fails_OpenAsync_with_the_connect_timeout()
    {
        var open = NewConnection(timeoutSeconds: 1).OpenAsync();
        await ReadStartupAndStaySilentAsync();

        var error = await Assert.ThrowsAsync<PgConnectionException>(() => FakePgServer.Bounded(open));

        Assert.Contains("timeout", error.Message);
    }

    [Fact]
    public async Task Server_that_never_answers_the_startup_fails_Open_with_the_connect_timeout()
    {
        var conn = NewConnection(timeoutSeconds: 1);
        var open = Task.Run(conn.Open);
        await ReadStartupAndStaySilentAsync();

        var error = await Assert.ThrowsAsync<PgConnectionException>(() => FakePgServer.Bounded(open));

        Assert.Contains("timeout", error.Message);
    }

    /// <summary>
    /// The server takes the client's startup and answers nothing. On a loaded machine the first open of a test run
    /// (code not yet compiled) can spend its whole 1 s Timeout before it has sent the startup; the server then sees
    /// the client hang up instead, which leaves the client's side of the test the same: no answer, so a timeout.
    /// </summary>
    private async Task ReadStartupAndStaySilentAsync()
    {
        try
        {
            await _server.ExpectStartupAsync();
        }
        catch (EndOfStreamException)
        {
            // The client gave up first; its error is asserted by the caller.
        }
    }

    // ---- Lies and hang-ups after startup ----

    private async Task<PgConnection> OpenTrustedAsync()
    {
        var conn = NewConnection();
        var open = conn.OpenAsync();
        await _server.CompleteStartupAsync();
        await FakePgServer.Bounded(open);
        return conn;
    }

    /// <summary>
    /// Starts a query of one int4 column and plays the server up to BindComplete: the first run of a SQL text is
    /// Parse/Describe(statement)/Sync, answered with its description, then Bind/Execute/Sync.
    /// </summary>
    private async Task<Task<IReadOnlyList<PgRow>>> StartQueryOfOneInt4ColumnAsync(PgConnection conn)
    {
        var query = conn.QueryAsync("SELECT n FROM t").AsTask();
        // A statement's first run: described in the same write as its execution, its rows then come as text.
        var firstRun = await _server.AnswerFirstRunAsync([], ("n", Int4Oid));
        Assert.Equal("PDBES", Codes(firstRun));
        return query;
    }

    [Fact]
    public async Task Query_answered_as_a_server_does_returns_its_row_and_leaves_the_connection_open()
    {
        var conn = await OpenTrustedAsync();
        var query = await StartQueryOfOneInt4ColumnAsync(conn);

        await _server.SendDataRow("42"u8.ToArray());
        await _server.SendCommandComplete("SELECT 1");
        await _server.SendReadyForQuery('I');

        var rows = await FakePgServer.Bounded(query);
        Assert.Equal(42, Assert.Single(rows).Get<int>(0));
        Assert.Equal(ConnectionState.Open, conn.State);
    }

    [Fact]
    public async Task Message_with_a_negative_length_is_a_protocol_error_that_breaks_the_connection()
    {
        var conn = await OpenTrustedAsync();
        var query = await StartQueryOfOneInt4ColumnAsync(conn);

        await _server.SendRaw([(byte)'D', 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x01]);

        await Assert.ThrowsAsync<PgProtocolException>(() => FakePgServer.Bounded(query));
        Assert.Equal(ConnectionState.Broken, conn.State);
        Assert.Empty(await _server.ReadUntilClientClosesAsync());
    }

    [Fact]
    public async Task DataRow_column_length_past_the_message_end_is_a_protocol_error_that_breaks_the_connection()
    {
        var conn = await OpenTrustedAsync();
        var query = await StartQueryOfOneInt4ColumnAsync(conn);

        // One column claiming 16 bytes in a message that carries 4; a ReadyForQuery follows to be misread.
        await _server.SendAsync('D', [0x00, 0x01, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x2A]);
        await _server.SendReadyForQuery('I');

        await Assert.ThrowsAsync<PgProtocolException>(() => FakePgServer.Bounded(query));
        Assert.Equal(ConnectionState.Broken, conn.State);
        Assert.Empty(await _server.ReadUntilClientClosesAsync());
    }

    [Fact]
    public async Task Server_closing_the_socket_mid_result_is_a_connection_failure_that_breaks_the_connection()
    {
        var conn = await OpenTrustedAsync();
        var query = await StartQueryOfOneInt4ColumnAsync(conn);

        await _server.SendRaw([(byte)'D', 0x00, 0x00, 0x00, 0x0A, 0x00, 0x01]);
        await _server.CloseAbruptly();

        await Assert.ThrowsAsync<PgConnectionException>(() => FakePgServer.Bounded(query));
        Assert.Equal(ConnectionState.Broken, conn.State);
    }

    [Fact]
    public async Task ReadyForQuery_with_an_unknown_status_is_a_protocol_error_that_breaks_the_connection()
    {
        var conn = await OpenTrustedAsync();
        var query = await StartQueryOfOneInt4ColumnAsync(conn);

        await _server.SendCommandComplete("SELECT 0");
        await _server.SendReadyForQuery('X');

        await Assert.ThrowsAsync<PgProtocolException>(() => FakePgServer.Bounded(query));
        Assert.Equal(ConnectionState.Broken, conn.State);
    }

    [Fact]
    public async Task Broken_connection_refuses_the_next_command_without_sending_it()
    {
        var conn = await OpenTrustedAsync();
        var query = await StartQueryOfOneInt4ColumnAsync(conn);
        await _server.SendRaw([(byte)'D', 0xFF, 0xFF, 0xFF, 0xFF]);
        await Assert.ThrowsAsync<PgProtocolException>(() => FakePgServer.Bounded(query));

        await Assert.ThrowsAsync<PgConnectionException>(() => FakePgServer.Bounded(conn.QueryAsync("SELECT 1").AsTask()));

        Assert.Empty(await _server.ReadUntilClientClosesAsync());
    }

    // ---- Commands refused before they are sent ----

    [Fact]
    public async Task SQL_with_an_embedded_NUL_is_refused_and_the_connection_stays_usable()
    {
        var conn = await OpenTrustedAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => conn.QueryAsync("SELECT 1\0").AsTask());

        Assert.Equal(ConnectionState.Open, conn.State);
        var query = await StartQueryOfOneInt4ColumnAsync(conn);
        await _server.SendDataRow("7"u8.ToArray());
        await _server.SendCommandComplete("SELECT 1");
        await _server.SendReadyForQuery('I');
        Assert.Equal(7, Assert.Single(await FakePgServer.Bounded(query)).Get<int>(0));
    }

    [Fact]
    public async Task Bind_too_large_once_the_statement_is_described_is_refused_and_the_connection_stays_usable()
    {
        var conn = await OpenTrustedAsync();
        // Small enough for the check made before anything is sent, too large once Bind carries five result
        // format codes (four binary int4 columns and one text column): refused after the description.
        var value = new ClaimedLengthMemory(0x3FFF_FFFF - 26).Memory;
        const string sql = "SELECT a, b, c, d, e FROM t WHERE x = $1";
        // Its first run (small) describes the statement; the second binds with the five result formats.
        var first = conn.QueryAsync(sql, new byte[] { 1 }).AsTask();
        await _server.AnswerFirstRunAsync([17], ("a", Int4Oid), ("b", Int4Oid), ("c", Int4Oid), ("d", Int4Oid), ("e", 600));
        await _server.SendCommandComplete("SELECT 0");
        await _server.SendReadyForQuery('I');
        Assert.Empty(await FakePgServer.Bounded(first));
        var query = conn.QueryAsync(sql, value).AsTask();

        await Assert.ThrowsAsync<PgProtocolException>(() => FakePgServer.Bounded(query));

        Assert.Equal(ConnectionState.Open, conn.State);
    }

    [Fact]
    public async Task CommandComplete_with_a_row_count_past_Int64_is_a_protocol_error_that_breaks_the_connection()
    {
        var conn = await OpenTrustedAsync();
        var execute = conn.ExecuteAsync("UPDATE t SET x = 1").AsTask();
        await _server.AnswerFirstRunAsync([]);

        await _server.SendCommandComplete("UPDATE 99999999999999999999");
        await _server.SendReadyForQuery('I');

        await Assert.ThrowsAsync<PgProtocolException>(() => FakePgServer.Bounded(execute));
        Assert.Equal(ConnectionState.Broken, conn.State);
    }

    [Fact]
    public async Task SASLContinue_sent_twice_is_refused_as_an_authentication_error()
    {
        var open = (_connection = new PgConnection(_server.ConnectionString())).OpenAsync();
        await _server.ExpectStartupAsync();
        await _server.SendAuthenticationSasl("SCRAM-SHA-256");
        var (_, clientFirst) = await _server.ExpectSaslInitialResponseAsync();
        var scram = new ScramServerExchange("pencil", [1, 2, 3, 4]);
        scram.ReadClientFirst(clientFirst);
        string serverFirst = scram.ServerFirst();
        await _server.SendSaslContinue(serverFirst);
        await _server.ExpectSaslResponseAsync();

        await _server.SendSaslContinue(serverFirst);

        await Assert.ThrowsAsync<PgAuthenticationException>(() => FakePgServer.Bounded(open));
    }

    /// <summary>A bytea value that only claims its length: reading its bytes fails, so the size check must come first.</summary>
    private sealed class ClaimedLengthMemory(int length) : MemoryManager<byte>
    {
        public new Memory<byte> Memory => CreateMemory(length);

        public override Span<byte> GetSpan() => throw new NotSupportedException("The value's bytes were read before its size was checked.");

        public override MemoryHandle Pin(int elementIndex = 0) => throw new NotSupportedException();

        public override void Unpin() { }

        protected override void Dispose(bool disposing) { }
    }
}
