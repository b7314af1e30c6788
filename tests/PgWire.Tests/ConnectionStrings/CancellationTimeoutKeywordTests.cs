using System.Data;
using PgWire.Tests.FakeServer;

namespace PgWire.Tests.ConnectionStrings;

/// <summary>
/// Cancellation Timeout=-1, Npgsql's "do not wait": against a server that neither finishes the command nor acts on
/// the CancelRequest, the command still ends (0 would wait for ever) and the connection is closed as broken.
/// </summary>
public sealed class CancellationTimeoutKeywordTests : IAsyncLifetime
{
    private readonly FakePgServer _server = FakePgServer.Start();
    private PgConnection? _connection;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Cancellation_Timeout_minus_one_gives_up_on_a_timed_out_command_without_waiting_for_the_server()
    {
        _connection = new PgConnection(_server.ConnectionString(10, "Command Timeout=1;Cancellation Timeout=-1"));
        var open = _connection.OpenAsync();
        await _server.CompleteStartupAsync();
        await FakePgServer.Bounded(open);

        var query = _connection.QueryScalarAsync<int>("SELECT 1").AsTask();
        await _server.ReadUntilSyncAsync(); // the server reads the command and then says nothing, ever

        await Assert.ThrowsAsync<PgTimeoutException>(() => FakePgServer.Bounded(query));
        Assert.Equal(ConnectionState.Broken, _connection.State);
    }
}
