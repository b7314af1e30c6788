using System.Net.Sockets;
using PgWire.LocalServer;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.ConnectionStrings;

/// <summary>
/// The Npgsql keywords PgWire honours, seen where they act: the authentication the client accepts (Require Auth),
/// the connection string shown after an open (Persist Security Info), the socket's options and the transport's
/// buffers; and the keywords without effect open a working connection.
/// </summary>
[Collection("Database")]
public sealed class HonouredKeywordTests(DatabaseFixture db)
{
    private string With(string extra, LocalPostgresRole role = LocalPostgresRole.Superuser) =>
        new PgConnectionStringBuilder(db.Server.ConnectionStringFor(role)) { Pooling = false }.ConnectionString + ";" + extra;

    // Require Auth

    [Theory]
    [InlineData("ScramSHA256")]
    [InlineData("scram-sha-256,md5")]
    [InlineData("!password")]
    public async Task Require_Auth_allowing_SCRAM_opens_a_connection_the_server_authenticates_with_SCRAM(string requireAuth)
    {
        await using var conn = await db.OpenAsync(With($"Require Auth={requireAuth};SSL Mode=Disable"));

        Assert.Equal("SCRAM-SHA-256", conn.AuthenticationMechanism);
    }

    [Theory]
    [InlineData("MD5", "SCRAM-SHA-256 authentication")]
    [InlineData("!scram-sha-256", "SCRAM-SHA-256 authentication")]
    public async Task Require_Auth_refuses_a_server_asking_for_a_method_it_does_not_allow(string requireAuth, string asked)
    {
        await using var conn = new PgConnection(With($"Require Auth={requireAuth}"));

        var e = await Assert.ThrowsAsync<PgAuthenticationException>(() => conn.OpenAsync());

        Assert.Contains($"asked for {asked}, which Require Auth={requireAuth} does not allow", e.Message);
    }

    [Fact]
    public async Task Require_Auth_refuses_a_cleartext_password_request_before_sending_the_password()
    {
        await using var conn = new PgConnection(With("Require Auth=ScramSHA256,MD5", LocalPostgresRole.Password));

        var e = await Assert.ThrowsAsync<PgAuthenticationException>(() => conn.OpenAsync());

        Assert.Contains("asked for a cleartext password", e.Message);
    }

    [Fact]
    public async Task Require_Auth_refuses_trust_unless_it_lists_none()
    {
        await using var refused = new PgConnection(With("Require Auth=ScramSHA256", LocalPostgresRole.Trust));
        var e = await Assert.ThrowsAsync<PgAuthenticationException>(() => refused.OpenAsync());
        Assert.Contains("asked for no authentication at all", e.Message);

        await using var allowed = await db.OpenAsync(With("Require Auth=ScramSHA256,None", LocalPostgresRole.Trust));
        Assert.Equal("trust", allowed.AuthenticationMechanism);
    }

    [Fact]
    public async Task Require_Auth_allowing_MD5_opens_an_MD5_role()
    {
        await using var conn = await db.OpenAsync(With("Require Auth=md5", LocalPostgresRole.Md5));

        Assert.Equal("MD5", conn.AuthenticationMechanism);
    }

    // Persist Security Info

    [Fact]
    public async Task After_an_open_the_connection_string_leaves_the_password_out()
    {
        string connectionString = With("");
        await using var conn = new PgConnection(connectionString);
        Assert.Equal(connectionString, conn.ConnectionString);

        await conn.OpenAsync();
        await conn.CloseAsync();

        var shown = new PgConnectionStringBuilder(conn.ConnectionString);
        Assert.False(shown.ContainsKey("Password"));
        Assert.Equal(new PgConnectionStringBuilder(connectionString).Username, shown.Username);
    }

    [Fact]
    public async Task Persist_Security_Info_keeps_the_password_in_the_connection_string_after_an_open()
    {
        string connectionString = With("Persist Security Info=true");
        await using var conn = await db.OpenAsync(connectionString);

        Assert.Equal(connectionString, conn.ConnectionString);
    }

    [Fact]
    public async Task A_connection_string_set_again_after_an_open_is_shown_whole_until_the_next_open()
    {
        string connectionString = With("");
        await using var conn = await db.OpenAsync(connectionString);
        await conn.CloseAsync();

        conn.ConnectionString = connectionString;

        Assert.Equal(connectionString, conn.ConnectionString);
    }

    // The socket and the transport's buffers

    [Fact]
    public async Task Read_and_Write_Buffer_Size_size_the_transports_buffers()
    {
        await using var sized = await db.OpenAsync(With("Read Buffer Size=65536;Write Buffer Size=131072"));
        await using var plain = await db.OpenAsync(With(""));

        Assert.True(sized.Connector.ReadBuffer.Capacity >= 65536);
        Assert.True(sized.Connector.WriteBuffer.Capacity >= 131072);
        Assert.True(plain.Connector.ReadBuffer.Capacity < 65536);
        Assert.True(plain.Connector.WriteBuffer.Capacity < 131072);
        Assert.Equal(100_000, (await sized.QueryScalarAsync<string>("SELECT repeat('x', 100000)"))!.Length);
    }

    [Fact]
    public async Task Socket_Receive_and_Send_Buffer_Size_set_the_sockets_buffers()
    {
        await using var conn = await db.OpenAsync(With("Socket Receive Buffer Size=4096;Socket Send Buffer Size=6144"));
        var socket = conn.Connector.Socket!;

        // Linux reports twice what was set (the kernel's bookkeeping); other systems report it as set.
        Assert.InRange(socket.ReceiveBufferSize, 4096, 2 * 4096);
        Assert.InRange(socket.SendBufferSize, 6144, 2 * 6144);
        Assert.Equal(3, await conn.QueryScalarAsync<int>("SELECT 3"));
    }

    [Fact]
    public async Task Tcp_Keepalive_turns_keepalive_on_and_without_it_keepalive_stays_off()
    {
        await using var on = await db.OpenAsync(With("Tcp Keepalive=true"));
        await using var off = await db.OpenAsync(With(""));

        Assert.Equal(1, KeepAlive(on.Connector.Socket!));
        Assert.Equal(0, KeepAlive(off.Connector.Socket!));
    }

    [Fact]
    public async Task Tcp_Keepalive_Interval_sets_the_seconds_between_probes_after_Keepalive()
    {
        await using var conn = await db.OpenAsync(With("Keepalive=60;Tcp Keepalive Interval=7"));
        var socket = conn.Connector.Socket!;

        Assert.Equal(1, KeepAlive(socket));
        Assert.Equal(60, (int)socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime)!);
        Assert.Equal(7, (int)socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval)!);
    }

    private static int KeepAlive(Socket socket) =>
        (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive)! == 0 ? 0 : 1;

    // Encodings

    [Fact]
    public async Task Client_Encoding_UTF8_opens_a_session_whose_client_encoding_is_UTF8()
    {
        await using var conn = await db.OpenAsync(With("Client Encoding=UTF8;Encoding=UTF8"));

        Assert.Equal("UTF8", await conn.QueryScalarAsync<string>("SHOW client_encoding"));
        Assert.Equal("€ and ü", await conn.QueryScalarAsync<string>("SELECT $1::text", "€ and ü"));
    }

    // Keywords without effect

    [Fact]
    public async Task A_connection_string_carrying_every_keyword_without_effect_opens_and_runs_queries()
    {
        await using var conn = await db.OpenAsync(With(
            "Enlist=false;Kerberos Service Name=postgres;Include Realm=true;GSS Encryption Mode=Prefer;SSL Negotiation=Postgres;" +
            "Multiplexing=true;Write Coalescing Buffer Threshold Bytes=1000;Internal Command Timeout=-1;Load Table Composites=true;" +
            "Array Nullability Mode=PerInstance;Trust Server Certificate=true;Check Certificate Revocation=false"));

        Assert.Equal(42, await conn.QueryScalarAsync<int>("SELECT 42"));
    }

    [Fact]
    public async Task Arrays_read_as_PgWire_always_reads_them_whatever_Array_Nullability_Mode_allows()
    {
        await using var conn = await db.OpenAsync(With("Array Nullability Mode=Never"));

        var rows = await conn.QueryAsync("SELECT ARRAY[1, 2] AS plain, ARRAY[1, NULL] AS holed");

        Assert.IsType<int[]>(rows[0]["plain"]);
        Assert.IsType<int?[]>(rows[0]["holed"]);
    }
}
