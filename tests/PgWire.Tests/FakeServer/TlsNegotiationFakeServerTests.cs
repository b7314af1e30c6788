using System.Buffers.Binary;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PgWire.Tests.FakeServer;

/// <summary>
/// The answer to SSLRequest from a server that lies: plaintext injected after 'S' (CVE-2021-23222), an 'E' answer
/// whose text nobody authenticated, 'N' when TLS is required, a password asked for when channel binding is required.
/// </summary>
public sealed class TlsNegotiationFakeServerTests : IAsyncLifetime
{
    private const int SslRequestCode = 80877103;
    private readonly FakePgServer _server = FakePgServer.Start();
    private PgConnection? _connection;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync();
        await _server.DisposeAsync();
    }

    private PgConnection NewConnection(string extra) => _connection = new PgConnection(_server.ConnectionString(10, extra));

    private async Task ExpectSslRequestAsync(FakePgConnection connection)
    {
        byte[] body = await connection.ReadUntypedMessageAsync();
        Assert.Equal(SslRequestCode, BinaryPrimitives.ReadInt32BigEndian(body));
    }

    /// <summary>An ErrorResponse as a server sends it, as raw bytes.</summary>
    private static byte[] ErrorResponseBytes(string message)
    {
        var fields = new List<byte>();
        void Field(char code, string value)
        {
            fields.Add((byte)code);
            fields.AddRange(System.Text.Encoding.UTF8.GetBytes(value));
            fields.Add(0);
        }
        Field('S', "FATAL");
        Field('C', "28000");
        Field('M', message);
        fields.Add(0);
        var bytes = new byte[5 + fields.Count];
        bytes[0] = (byte)'E';
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(1), 4 + fields.Count);
        fields.CopyTo(bytes, 5);
        return bytes;
    }

    [Theory]
    [InlineData("SSL Mode=Prefer")]
    [InlineData("SSL Mode=Require")]
    public async Task Plaintext_sent_after_S_and_before_the_handshake_is_refused_as_injection(string mode)
    {
        var open = NewConnection(mode).OpenAsync();
        var connection = await _server.FirstConnectionAsync();
        await ExpectSslRequestAsync(connection);
        // 'S', then what a man in the middle would inject: a message meant to be read as if it came through TLS.
        await connection.SendRaw([(byte)'S', .. ErrorResponseBytes("injected")]);

        var e = await Assert.ThrowsAsync<PgProtocolException>(() => FakePgServer.Bounded(open));
        Assert.Contains("before the TLS", e.Message);
        Assert.DoesNotContain("injected", e.Message);
        Assert.Equal(System.Data.ConnectionState.Closed, _connection!.State);
    }

    [Fact]
    public async Task An_E_answer_to_SSLRequest_with_TLS_required_fails_without_showing_the_unauthenticated_text()
    {
        var open = NewConnection("SSL Mode=Require").OpenAsync();
        var connection = await _server.FirstConnectionAsync();
        await ExpectSslRequestAsync(connection);
        await connection.SendRaw(ErrorResponseBytes("please visit evil.example and enter your password"));

        var e = await Assert.ThrowsAsync<PgConnectionException>(() => FakePgServer.Bounded(open));
        Assert.IsNotType<PgServerException>(e);
        Assert.DoesNotContain("evil.example", e.Message);
        Assert.Contains("TLS", e.Message);
    }

    [Fact]
    public async Task An_E_answer_to_SSLRequest_with_SSL_Mode_Prefer_reconnects_without_TLS()
    {
        var open = NewConnection("SSL Mode=Prefer").OpenAsync();
        var first = await _server.FirstConnectionAsync();
        await ExpectSslRequestAsync(first);
        await first.SendRaw(ErrorResponseBytes("unsupported frontend protocol"));
        first.CloseAbruptly();

        var second = await _server.AcceptAsync();
        var parameters = await second.CompleteStartupAsync();
        await FakePgServer.Bounded(open);

        Assert.False(second.SawSslRequest);
        Assert.Equal("u", parameters["user"]);
        Assert.False(_connection!.IsSecure);
    }

    [Fact]
    public async Task An_N_answer_with_SSL_Mode_Require_fails_saying_the_server_does_not_accept_TLS()
    {
        var open = NewConnection("SSL Mode=Require").OpenAsync();
        var connection = await _server.FirstConnectionAsync();
        await ExpectSslRequestAsync(connection);
        await connection.SendRaw([(byte)'N']);

        var e = await Assert.ThrowsAsync<PgConnectionException>(() => FakePgServer.Bounded(open));
        Assert.Contains("does not accept TLS", e.Message);
    }

    [Fact]
    public async Task An_answer_to_SSLRequest_that_is_no_PostgreSQL_answer_is_a_protocol_error()
    {
        var open = NewConnection("SSL Mode=Prefer").OpenAsync();
        var connection = await _server.FirstConnectionAsync();
        await ExpectSslRequestAsync(connection);
        await connection.SendRaw("H"u8.ToArray());

        var e = await Assert.ThrowsAsync<PgProtocolException>(() => FakePgServer.Bounded(open));
        Assert.Contains("0x48", e.Message);
    }

    [Fact]
    public async Task SSL_Mode_Disable_sends_no_SSLRequest()
    {
        var open = NewConnection("SSL Mode=Disable").OpenAsync();
        await _server.CompleteStartupAsync();
        await FakePgServer.Bounded(open);

        Assert.False((await _server.FirstConnectionAsync()).SawSslRequest);
    }

    [Theory]
    [InlineData(3)] // cleartext
    [InlineData(5)] // MD5
    public async Task Channel_Binding_Require_refuses_a_password_request_without_sending_the_password(int request)
    {
        var open = NewConnection("SSL Mode=Prefer;Channel Binding=Require").OpenAsync();
        var connection = await _server.FirstConnectionAsync();
        await connection.ExpectStartupAsync(); // answers the SSLRequest 'N'
        await connection.SendAuthenticationRequest(request, request == 5 ? [1, 2, 3, 4] : null);

        var e = await Assert.ThrowsAsync<PgAuthenticationException>(() => FakePgServer.Bounded(open));
        Assert.Contains("Channel Binding=Require", e.Message);
        var sent = await connection.ReadUntilClientClosesAsync();
        Assert.DoesNotContain(sent, m => m.Code == 'p');
    }

    [Fact]
    public async Task Channel_Binding_Require_refuses_a_server_that_asks_for_nothing()
    {
        var open = NewConnection("SSL Mode=Prefer;Channel Binding=Require").OpenAsync();
        var connection = await _server.FirstConnectionAsync();
        await connection.ExpectStartupAsync();
        await connection.SendAuthOk();

        var e = await Assert.ThrowsAsync<PgAuthenticationException>(() => FakePgServer.Bounded(open));
        Assert.Contains("trust", e.Message);
    }

    [Fact]
    public async Task Over_TLS_with_SSL_Mode_Require_and_no_root_certificate_a_self_signed_server_is_accepted()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=fake-server", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        var open = NewConnection("SSL Mode=Require").OpenAsync();
        var connection = await _server.FirstConnectionAsync();
        await ExpectSslRequestAsync(connection);
        await connection.SendRaw([(byte)'S']);
        await connection.UpgradeStreamAsync(async (stream, token) =>
        {
            var ssl = new SslStream(stream);
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, token);
            return ssl;
        });
        await connection.CompleteStartupAsync();
        await FakePgServer.Bounded(open);

        Assert.True(_connection!.IsSecure);
        Assert.Equal("trust", _connection.AuthenticationMechanism);
    }

    [Fact]
    public async Task Over_TLS_with_SSL_Mode_VerifyCA_an_untrusted_self_signed_server_is_refused_saying_it_is_not_trusted()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=fake-server", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var otherRoot = new CertificateRequest("CN=some other CA", otherKey, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        string rootFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(rootFile, otherRoot.ExportCertificatePem());
        try
        {
            var open = NewConnection($"SSL Mode=VerifyCA;Root Certificate={rootFile}").OpenAsync();
            var connection = await _server.FirstConnectionAsync();
            await ExpectSslRequestAsync(connection);
            await connection.SendRaw([(byte)'S']);
            var handshake = connection.UpgradeStreamAsync(async (stream, token) =>
            {
                var ssl = new SslStream(stream);
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, token);
                return ssl;
            });

            var e = await Assert.ThrowsAsync<PgConnectionException>(() => FakePgServer.Bounded(open));
            Assert.Contains("not trusted", e.Message);
            Assert.Contains("CN=fake-server", e.Message);
            // Under TLS 1.3 the server's side of the handshake may complete before the client refuses: nothing to assert there.
            await Task.WhenAny(handshake);
        }
        finally
        {
            File.Delete(rootFile);
        }
    }
}
