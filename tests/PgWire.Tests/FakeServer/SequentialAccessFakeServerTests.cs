using System.Data;

namespace PgWire.Tests.FakeServer;

/// <summary>
/// A streamed row (CommandBehavior.SequentialAccess, a DataRow larger than the receive buffer) from a server that
/// lies about its lengths or hangs up half way: a clear error, and the connection is closed, never reused.
/// </summary>
public sealed class SequentialAccessFakeServerTests : IAsyncLifetime
{
    private const uint TextOid = 25;
    private readonly FakePgServer _server = FakePgServer.Start();
    private PgConnection? _connection;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync();
        await _server.DisposeAsync();
    }

    /// <summary>Opens, starts a SequentialAccess query of one text column and plays the server up to BindComplete.</summary>
    private async Task<(PgConnection, Task<PgDataReader>)> StartAsync()
    {
        var conn = _connection = new PgConnection(_server.ConnectionString(timeoutSeconds: 10));
        var open = conn.OpenAsync();
        await _server.CompleteStartupAsync();
        await FakePgServer.Bounded(open);
        var cmd = new PgCommand("SELECT big FROM t", conn);
        var reader = cmd.ExecuteReaderAsync(CommandBehavior.SequentialAccess);
        // A first run: described in the same write as its execution; a text column's text is its bytes.
        var run = await _server.AnswerFirstRunAsync([], ("big", TextOid));
        Assert.Equal("PDBES", string.Concat(run.Select(m => m.Code)));
        return (conn, reader);
    }

    /// <summary>The head of a DataRow of one column: message length, column count, column length.</summary>
    private static byte[] RowHead(int messageBody, int columnLength) =>
        [(byte)'D', .. FakePgConnection.Int32(messageBody + 4), 0x00, 0x01, .. FakePgConnection.Int32(columnLength)];

    [Fact]
    public async Task A_streamed_value_is_read_as_it_arrives_and_the_row_after_it_is_read_too()
    {
        var (conn, readerTask) = await StartAsync();
        await _server.SendRaw([.. RowHead(6 + 100_000, 100_000), .. new byte[60_000]]);
        var reader = await FakePgServer.Bounded(readerTask);
        Assert.True(await reader.ReadAsync());
        var stream = reader.GetStream(0);
        var part = new byte[60_000];
        int got = 0;
        while (got < part.Length) got += await stream.ReadAsync(part.AsMemory(got));
        // The rest arrives only now: the reader has handed over the first 60,000 bytes without the whole row.
        await _server.SendRaw(Enumerable.Repeat((byte)7, 40_000).ToArray());
        await _server.SendDataRow("abc"u8.ToArray());
        await _server.SendCommandComplete("SELECT 2");
        await _server.SendReadyForQuery('I');
        var rest = new MemoryStream();
        await stream.CopyToAsync(rest);
        Assert.Equal(40_000, rest.Length);
        Assert.All(rest.ToArray(), b => Assert.Equal(7, b));
        Assert.True(await reader.ReadAsync());
        Assert.Equal("abc", reader.GetString(0));
        Assert.False(await reader.ReadAsync());
        await reader.DisposeAsync();
        Assert.Equal(ConnectionState.Open, conn.State);
    }

    [Fact]
    public async Task A_server_that_hangs_up_in_the_middle_of_a_streamed_value_breaks_the_connection_with_a_clear_error()
    {
        var (conn, readerTask) = await StartAsync();
        await _server.SendRaw([.. RowHead(6 + 100_000, 100_000), .. new byte[30_000]]);
        var reader = await FakePgServer.Bounded(readerTask);
        Assert.True(await reader.ReadAsync());
        var stream = reader.GetStream(0);
        await _server.CloseAbruptly();

        var e = await Assert.ThrowsAsync<PgConnectionException>(() => FakePgServer.Bounded(stream.CopyToAsync(Stream.Null)));
        Assert.Contains("closed", e.Message);
        Assert.Equal(ConnectionState.Broken, conn.State);
    }

    [Fact]
    public async Task A_column_longer_than_its_streamed_row_is_a_protocol_error_that_breaks_the_connection()
    {
        var (conn, readerTask) = await StartAsync();
        // The column claims 200,000 bytes of a row that has 100,000.
        await _server.SendRaw([.. RowHead(6 + 100_000, 200_000), .. new byte[100_000]]);
        await _server.SendReadyForQuery('I');
        var reader = await FakePgServer.Bounded(readerTask);
        Assert.True(await reader.ReadAsync());

        var e = Assert.Throws<PgProtocolException>(() => reader.GetStream(0));
        Assert.Contains("malformed 'D'", e.Message);
        Assert.Equal(ConnectionState.Broken, conn.State);
    }
}
