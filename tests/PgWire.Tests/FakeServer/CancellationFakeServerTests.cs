using System.Buffers.Binary;
using System.Data;
using PgWire.Tests.Pooling;

namespace PgWire.Tests.FakeServer;

/// <summary>
/// Cancellation where the order of events matters and a real server cannot be made to hold still: a server that waits
/// to answer until the test has made both the caller's token and Command Timeout act. The first of the two to act
/// decides: the caller's token gives OperationCanceledException carrying it, the timeout gives PgTimeoutException.
/// </summary>
public sealed class CancellationFakeServerTests : IAsyncLifetime
{
    private const int CancelRequestCode = 80877102;

    private readonly FakePgServer _server = FakePgServer.Start();
    private PgConnection? _connection;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync();
        await _server.DisposeAsync();
    }

    private async Task<PgConnection> OpenAsync(string extra)
    {
        _connection = new PgConnection(_server.ConnectionString(10, extra));
        var open = _connection.OpenAsync();
        await _server.CompleteStartupAsync();
        await FakePgServer.Bounded(open);
        return _connection;
    }

    /// <summary>The CancelRequest the client sends on a connection of its own, for the backend the startup named.</summary>
    private async Task ExpectCancelRequestAsync()
    {
        await using var cancel = await _server.AcceptAsync();
        var request = await cancel.ReadUntypedMessageAsync();
        Assert.Equal(CancelRequestCode, BinaryPrimitives.ReadInt32BigEndian(request));
        Assert.Equal(4242, BinaryPrimitives.ReadInt32BigEndian(request.AsSpan(4)));
    }

    private async Task AnswerCancelledAsync()
    {
        await _server.SendErrorResponse(('S', "ERROR"), ('V', "ERROR"), ('C', "57014"), ('M', "canceling statement due to user request"));
        await _server.SendReadyForQuery('I');
    }

    [Fact]
    public async Task A_token_that_acts_before_Command_Timeout_passes_wins_over_the_timeout()
    {
        // Cancellation Timeout=0: the client waits for the server's answer however long the script takes.
        var conn = await OpenAsync("Command Timeout=1;Cancellation Timeout=0");
        using var cts = new CancellationTokenSource();
        var query = conn.QueryScalarAsync<int>("SELECT 1", cts.Token).AsTask();
        await _server.ReadUntilSyncAsync();

        cts.Cancel();
        await ExpectCancelRequestAsync();
        // The command's Command Timeout passes too while the server has not answered yet.
        await PoolingTestSupport.EventuallyAsync(() => conn.Connector.Cancellation.CommandTimeoutPassed, "Command Timeout passes");
        await AnswerCancelledAsync();

        var e = await Assert.ThrowsAsync<OperationCanceledException>(() => FakePgServer.Bounded(query));
        Assert.Equal(cts.Token, e.CancellationToken);
        Assert.Equal(PgErrorCodes.QueryCanceled, Assert.IsType<PgServerException>(e.InnerException).SqlState);
        Assert.Equal(ConnectionState.Open, conn.State);
    }

    [Fact]
    public async Task Command_Timeout_that_acts_before_the_token_is_cancelled_stays_a_PgTimeoutException()
    {
        var conn = await OpenAsync("Command Timeout=1;Cancellation Timeout=0");
        using var cts = new CancellationTokenSource();
        var query = conn.QueryScalarAsync<int>("SELECT 1", cts.Token).AsTask();
        await _server.ReadUntilSyncAsync();

        // Nothing cancels the token yet: the CancelRequest that arrives is the timeout's.
        await ExpectCancelRequestAsync();
        Assert.True(conn.Connector.Cancellation.CommandTimeoutPassed);
        cts.Cancel();
        await AnswerCancelledAsync();

        var e = await Assert.ThrowsAsync<PgTimeoutException>(() => FakePgServer.Bounded(query));
        Assert.Contains("Command Timeout of 1 s", e.Message);
        var timeout = Assert.IsType<TimeoutException>(e.InnerException);
        Assert.Equal(PgErrorCodes.QueryCanceled, Assert.IsType<PgServerException>(timeout.InnerException).SqlState);
        Assert.Equal(ConnectionState.Open, conn.State);
    }

    [Fact]
    public async Task An_open_cancelled_while_the_server_has_not_answered_the_startup_throws_OperationCanceledException()
    {
        _connection = new PgConnection(_server.ConnectionString(30));
        using var cts = new CancellationTokenSource();
        var open = _connection.OpenAsync(cts.Token);
        await _server.ExpectStartupAsync(); // the server reads the StartupMessage and then says nothing

        cts.Cancel();

        var e = await Assert.ThrowsAsync<OperationCanceledException>(() => FakePgServer.Bounded(open));
        Assert.Equal(cts.Token, e.CancellationToken);
        Assert.Equal(ConnectionState.Closed, _connection.State);
    }
}
