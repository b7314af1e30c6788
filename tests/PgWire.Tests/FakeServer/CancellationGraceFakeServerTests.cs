using System.Data;

namespace PgWire.Tests.FakeServer;

/// <summary>
/// A server that neither finishes a command nor acts on the CancelRequest: after Cancellation Timeout the client gives
/// up on the connection (closed as broken, never reused) instead of waiting forever.
/// </summary>
public sealed class CancellationGraceFakeServerTests : IAsyncLifetime
{
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

    [Fact]
    public async Task A_command_timeout_whose_cancel_goes_unanswered_ends_after_the_grace_period_and_breaks_the_connection()
    {
        var conn = await OpenAsync("Command Timeout=1;Cancellation Timeout=300");
        var query = conn.QueryScalarAsync<int>("SELECT 1").AsTask();
        await _server.ReadUntilSyncAsync(); // the server reads the command and then says nothing, ever

        var e = await Assert.ThrowsAsync<PgTimeoutException>(() => FakePgServer.Bounded(query));
        Assert.Contains("Cancellation Timeout of 300 ms", e.Message);
        Assert.Equal("57014", e.SqlState);
        Assert.IsType<TimeoutException>(e.InnerException);
        Assert.Equal(ConnectionState.Broken, conn.State);
    }

    [Fact]
    public async Task A_cancelled_token_whose_cancel_goes_unanswered_ends_after_the_grace_period_and_breaks_the_connection()
    {
        var conn = await OpenAsync("Command Timeout=0;Cancellation Timeout=300");
        using var cts = new CancellationTokenSource();
        var query = conn.QueryScalarAsync<int>("SELECT 1", cts.Token).AsTask();
        await _server.ReadUntilSyncAsync();
        cts.Cancel();

        var e = await Assert.ThrowsAsync<OperationCanceledException>(() => FakePgServer.Bounded(query));
        Assert.Contains("Cancellation Timeout", e.Message);
        Assert.Equal(cts.Token, e.CancellationToken);
        Assert.Equal(ConnectionState.Broken, conn.State);
    }

    [Fact]
    public async Task A_synchronous_command_whose_cancel_goes_unanswered_ends_too()
    {
        var conn = await OpenAsync("Command Timeout=1;Cancellation Timeout=300");
        var serverSide = _server.ReadUntilSyncAsync();
        var e = await Assert.ThrowsAsync<PgTimeoutException>(() => FakePgServer.Bounded(Task.Run(() => conn.Query("SELECT 1"))));
        Assert.Contains("Cancellation Timeout", e.Message);
        Assert.True(serverSide.IsCompletedSuccessfully);
        Assert.Equal(ConnectionState.Broken, conn.State);
    }
}
