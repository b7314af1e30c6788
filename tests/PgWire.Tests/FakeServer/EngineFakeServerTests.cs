using System.Text;

namespace PgWire.Tests.FakeServer;

/// <summary>
/// The protocol engine's routing, on a scripted server: what the driver writes for a batch, and replies a real server
/// sends only in rare timings (notices and ParameterStatus between rows, a FATAL error while idle).
/// </summary>
public sealed class EngineFakeServerTests : IAsyncLifetime
{
    private const uint Int4Oid = 23;
    private readonly FakePgServer _server = FakePgServer.Start();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<PgConnection> OpenAsync()
    {
        var conn = new PgConnection(_server.ConnectionString());
        var open = conn.OpenAsync();
        await _server.CompleteStartupAsync();
        await FakePgServer.Bounded(open);
        return conn;
    }

    private static string Codes(IEnumerable<FrontendMessage> messages) => string.Concat(messages.Select(m => m.Code));

    [Fact]
    public async Task A_batch_of_1000_inserts_is_one_write_with_one_Sync_that_describes_the_statement_once()
    {
        await using var conn = await OpenAsync();
        var batch = new PgBatch(conn);
        for (int i = 0; i < 1000; i++)
            batch.BatchCommands.Add("INSERT INTO t VALUES ($1)").Parameters.Add(new PgParameter { Value = i });
        var run = batch.ExecuteNonQueryAsync();

        // One write, one Sync; the new statement is parsed and described once, then bound a thousand times.
        var cycle = await _server.ReadUntilSyncAsync();
        Assert.Equal("PDBE", Codes(cycle.Take(4)));
        Assert.Equal(1, cycle.Count(m => m.Code == 'P'));
        Assert.Equal(1, cycle.Count(m => m.Code == 'D'));
        Assert.Equal(1000, cycle.Count(m => m.Code == 'B'));
        Assert.Equal(1000, cycle.Count(m => m.Code == 'E'));
        Assert.Equal(1, cycle.Count(m => m.Code == 'S'));
        Assert.Equal('S', cycle[^1].Code);

        var connection = await _server.FirstConnectionAsync();
        foreach (var message in cycle)
        {
            if (message.Code == 'P') await connection.SendParseComplete();
            else if (message.Code == 'B') await connection.SendBindComplete();
            else if (message.Code == 'D')
            {
                await connection.SendParameterDescription([Int4Oid]);
                await connection.SendNoData();
            }
            else if (message.Code == 'E') await connection.SendCommandComplete("INSERT 0 1");
        }
        await connection.SendReadyForQuery('I');

        Assert.Equal(1000, await FakePgServer.Bounded(run));
        Assert.All<PgBatchCommand>(batch.BatchCommands, c => Assert.Equal(1, c.RecordsAffected));
    }

    [Fact]
    public async Task An_error_in_the_middle_of_a_pipeline_fails_the_rest_up_to_the_Sync_and_the_connection_stays_usable()
    {
        await using var conn = await OpenAsync();
        var batch = new PgBatch(conn);
        batch.BatchCommands.Add("SELECT 1");
        batch.BatchCommands.Add("SELECT 2");
        batch.BatchCommands.Add("SELECT 3");
        // Known statements: Prepare describes them first.
        var prepare = batch.PrepareAsync();
        var describeCycle = await _server.ReadUntilSyncAsync();
        Assert.Equal("PDPDPDS", Codes(describeCycle));
        var connection = await _server.FirstConnectionAsync();
        for (int i = 0; i < 3; i++)
        {
            await connection.SendParseComplete();
            await connection.SendParameterDescription([]);
            await connection.SendRowDescription(("n", Int4Oid));
        }
        await connection.SendReadyForQuery('I');
        await FakePgServer.Bounded(prepare);

        var notices = new List<string>();
        conn.Notice += (_, e) => notices.Add(e.Notice.MessageText);
        var run = batch.ExecuteReaderAsync();
        var cycle = await _server.ReadUntilSyncAsync();
        // Prepared on request: each is parsed under its name and described with its first run, all before one Sync.
        Assert.Equal("PBDEPBDEPBDES", Codes(cycle));
        // The first statement's answer, with a notice and a ParameterStatus between its rows, then an error in the second.
        await connection.SendParseComplete();
        await connection.SendBindComplete();
        await connection.SendRowDescription(("n", Int4Oid));
        await connection.SendDataRow(FakePgConnection.Int32(1));
        await connection.SendAsync('N', Fields(('S', "NOTICE"), ('C', "00000"), ('M', "between rows")));
        await connection.SendParameterStatus("application_name", "changed");
        await connection.SendDataRow(FakePgConnection.Int32(11));
        await connection.SendCommandComplete("SELECT 2");
        await connection.SendParseComplete();
        await connection.SendErrorResponse(('S', "ERROR"), ('C', "42703"), ('M', "column does not exist"));
        await connection.SendReadyForQuery('I');

        await using var reader = await FakePgServer.Bounded(run);
        var values = new List<int>();
        while (await reader.ReadAsync()) values.Add(reader.GetInt32(0));
        Assert.Equal([1, 11], values);
        Assert.Equal("changed", conn.GetServerParameter("application_name"));
        Assert.Equal(["between rows"], notices);
        var e = await Assert.ThrowsAsync<PgServerException>(() => reader.NextResultAsync());
        Assert.Equal("42703", e.SqlState);
        Assert.False(await reader.NextResultAsync());
        await reader.DisposeAsync();

        Assert.Equal(System.Data.ConnectionState.Open, conn.State);
        // The first statement, prepared by the failed batch's Parse, is only bound now.
        var next = conn.QueryScalarAsync<int>("SELECT 1").AsTask();
        var nextCycle = await _server.ReadUntilSyncAsync();
        Assert.Equal("BES", Codes(nextCycle));
        await connection.SendBindComplete();
        await connection.SendDataRow(FakePgConnection.Int32(5));
        await connection.SendCommandComplete("SELECT 1");
        await connection.SendReadyForQuery('I');
        Assert.Equal(5, await FakePgServer.Bounded(next));
    }

    [Fact]
    public async Task A_FATAL_error_sent_while_idle_fails_the_next_command_with_it_and_breaks_the_connection()
    {
        await using var conn = await OpenAsync();
        await _server.SendErrorResponse(('S', "FATAL"), ('C', "57P01"), ('M', "terminating connection due to administrator command"));

        var e = await Assert.ThrowsAnyAsync<PgException>(() => conn.QueryScalarAsync<int>("SELECT 1").AsTask());

        // Found before the command was written (NotificationFakeServerTests makes sure of that timing), or read after it.
        var fatal = e as PgServerException ?? Assert.IsType<PgServerException>(Assert.IsType<PgConnectionException>(e).InnerException);
        Assert.Equal("57P01", fatal.SqlState);
        Assert.Equal(System.Data.ConnectionState.Broken, conn.State);
        await Assert.ThrowsAsync<PgConnectionException>(() => conn.ExecuteAsync("SELECT 1").AsTask());
    }

    [Fact]
    public async Task A_reply_that_answers_nothing_written_is_a_protocol_error_that_breaks_the_connection()
    {
        await using var conn = await OpenAsync();
        var run = conn.QueryScalarAsync<int>("SELECT 1").AsTask();
        await _server.ReadUntilSyncAsync();
        // BindComplete where the ParseComplete of the Parse is owed.
        await _server.SendBindComplete();

        await Assert.ThrowsAsync<PgProtocolException>(() => FakePgServer.Bounded(run));
        Assert.Equal(System.Data.ConnectionState.Broken, conn.State);
    }

    private static byte[] Fields(params (char Code, string Value)[] fields)
    {
        var bytes = new List<byte>();
        foreach (var (code, value) in fields)
        {
            bytes.Add((byte)code);
            bytes.AddRange(Encoding.UTF8.GetBytes(value));
            bytes.Add(0);
        }
        bytes.Add(0);
        return bytes.ToArray();
    }
}
