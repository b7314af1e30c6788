using System.Buffers.Binary;
using System.Data;
using System.Text;

namespace PgWire.Tests.FakeServer;

/// <summary>
/// Notifications and a FATAL error where a real server sends them only in rare timings: between DataRows, around a
/// pooled connection's pipelined reset, in the same write as a ReadyForQuery, split across writes while waiting.
/// </summary>
public sealed class NotificationFakeServerTests : IAsyncLifetime
{
    private const uint Int4Oid = 23;
    private readonly FakePgServer _server = FakePgServer.Start();
    private PgDataSource? _dataSource;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_dataSource is not null) await _dataSource.DisposeAsync();
        await _server.DisposeAsync();
    }

    private async Task<PgConnection> OpenAsync()
    {
        var conn = new PgConnection(_server.ConnectionString());
        var open = conn.OpenAsync();
        await _server.CompleteStartupAsync();
        await FakePgServer.Bounded(open);
        return conn;
    }

    /// <summary>A backend message as bytes: type, length, body.</summary>
    private static byte[] Message(char code, byte[] body)
    {
        var bytes = new byte[5 + body.Length];
        bytes[0] = (byte)code;
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(1), 4 + body.Length);
        body.CopyTo(bytes, 5);
        return bytes;
    }

    private static byte[] Notification(int processId, string channel, string payload) =>
        Message('A', [.. FakePgConnection.Int32(processId), .. FakePgConnection.CString(channel), .. FakePgConnection.CString(payload)]);

    private static byte[] Fatal() =>
        Message('E', [.. Field('S', "FATAL"), .. Field('V', "FATAL"), .. Field('C', "57P01"), .. Field('M', "terminating connection due to administrator command"), 0]);

    private static byte[] Field(char code, string value) => [(byte)code, .. Encoding.UTF8.GetBytes(value), 0];

    private static byte[] ReadyForQuery() => Message('Z', [(byte)'I']);

    [Fact]
    public async Task A_notification_between_DataRows_is_delivered_between_the_rows_it_came_between()
    {
        await using var conn = await OpenAsync();
        var log = new List<string>();
        conn.Notification += (_, e) => log.Add($"{e.Channel}:{e.Payload}:{e.ProcessId}");
        await using var cmd = new PgCommand("SELECT n FROM t", conn);
        var run = cmd.ExecuteReaderAsync();
        await _server.AnswerFirstRunAsync([], ("n", Int4Oid));
        var connection = await _server.FirstConnectionAsync();
        await connection.SendDataRow("1"u8.ToArray());
        await connection.SendRaw(Notification(77, "jobs", "first"));
        await connection.SendDataRow("2"u8.ToArray());
        await connection.SendRaw(Notification(78, "jobs", "second"));
        await connection.SendCommandComplete("SELECT 2");
        await connection.SendReadyForQuery('I');

        await using (var reader = await FakePgServer.Bounded(run))
            while (await reader.ReadAsync()) log.Add("row " + reader.GetInt32(0));

        Assert.Equal(["row 1", "jobs:first:77", "row 2", "jobs:second:78"], log);
        Assert.Equal(ConnectionState.Open, conn.State);
    }

    [Fact]
    public async Task Notifications_for_the_previous_user_sent_before_or_during_the_pipelined_reset_are_dropped_and_later_ones_delivered()
    {
        _dataSource = PgDataSource.Create(_server.ConnectionString(extra: "Pooling=true;Maximum Pool Size=1"));
        var open = _dataSource.OpenConnectionAsync().AsTask();
        await _server.CompleteStartupAsync();
        var connection = await _server.FirstConnectionAsync();
        await using (var previous = await FakePgServer.Bounded(open))
        {
            var listen = previous.ExecuteAsync("LISTEN jobs").AsTask();
            await _server.AnswerFirstRunAsync([]);
            await connection.SendCommandComplete("LISTEN");
            await connection.SendReadyForQuery('I');
            await FakePgServer.Bounded(listen);
        }
        // The connection sits in the pool, still listening until its reset has run.
        await connection.SendRaw(Notification(1, "jobs", "while pooled"));

        await using var next = await FakePgServer.Bounded(_dataSource.OpenConnectionAsync().AsTask());
        var received = new List<string>();
        next.Notification += (_, e) => received.Add(e.Payload);
        await connection.SendRaw(Notification(2, "jobs", "before the first command"));
        var command = next.ExecuteAsync("SELECT 1").AsTask();
        var cycle = await _server.ReadUntilSyncAsync();
        Assert.Contains(cycle, m => m.Code == 'P' && Encoding.UTF8.GetString(m.Body).Contains("UNLISTEN *"));
        // The reset's replies (BEGIN ... COMMIT, a SELECT among them), with notifications sent in the middle of them.
        foreach (var message in cycle.TakeWhile(m => !(m.Code == 'P' && Encoding.UTF8.GetString(m.Body).Contains("SELECT 1"))))
        {
            if (message.Code == 'P') await connection.SendParseComplete();
            else if (message.Code == 'B') await connection.SendBindComplete();
            else if (message.Code == 'E')
            {
                await connection.SendRaw(Notification(3, "jobs", "during the reset"));
                await connection.SendCommandComplete("RESET");
            }
        }
        // The command's own replies: a notification now is the new user's (it could only have LISTENed after the reset).
        await connection.SendParseComplete();
        await connection.SendParameterDescription();
        await connection.SendRowDescription(("?column?", Int4Oid));
        await connection.SendBindComplete();
        await connection.SendDataRow("1"u8.ToArray());
        await connection.SendCommandComplete("SELECT 1");
        await connection.SendRaw(Notification(4, "mine", "after the reset"));
        await connection.SendReadyForQuery('I');
        await FakePgServer.Bounded(command);

        Assert.Equal(["after the reset"], received);
        Assert.Equal(ConnectionState.Open, next.State);
    }

    [Fact]
    public async Task A_FATAL_error_received_while_idle_fails_the_next_command_before_it_is_written()
    {
        await using var conn = await OpenAsync();
        var run = conn.QueryScalarAsync<int>("SELECT 1").AsTask();
        await _server.AnswerFirstRunAsync([], ("?column?", Int4Oid));
        var connection = await _server.FirstConnectionAsync();
        await connection.SendDataRow("1"u8.ToArray());
        await connection.SendCommandComplete("SELECT 1");
        // The FATAL comes in the same write as the command's ReadyForQuery, so it is in the client's buffer once the command is done.
        await connection.SendRaw([.. ReadyForQuery(), .. Fatal()]);
        Assert.Equal(1, await FakePgServer.Bounded(run));

        var e = await Assert.ThrowsAsync<PgConnectionException>(() => conn.ExecuteAsync("INSERT INTO t VALUES (1)").AsTask());

        Assert.Contains("not sent", e.Message);
        Assert.Equal("57P01", Assert.IsType<PgServerException>(e.InnerException).SqlState);
        Assert.Equal(ConnectionState.Broken, conn.State);
        var afterwards = await connection.ReadUntilClientClosesAsync();
        Assert.DoesNotContain(afterwards, m => m.Code is 'P' or 'B' or 'E' or 'Q' or 'S');
    }

    [Fact]
    public async Task A_notification_split_across_writes_is_assembled_and_ends_the_wait()
    {
        await using var conn = await OpenAsync();
        var received = new List<string>();
        conn.Notification += (_, e) => received.Add(e.Payload);
        var wait = conn.WaitAsync(FakePgServer.StepTimeout);
        var connection = await _server.FirstConnectionAsync();
        var bytes = Notification(5, "jobs", new string('x', 3000));
        await connection.SendRaw(bytes[..3]);
        await connection.SendRaw(bytes[3..1000]);
        await connection.SendRaw(bytes[1000..]);

        Assert.True(await FakePgServer.Bounded(wait));
        Assert.Equal(3000, Assert.Single(received).Length);
        Assert.Equal(ConnectionState.Open, conn.State);
    }

    [Fact]
    public async Task A_notice_or_a_parameter_status_does_not_end_the_wait_but_is_handled()
    {
        await using var conn = await OpenAsync();
        var notices = new List<string>();
        conn.Notice += (_, e) => notices.Add(e.Notice.MessageText);
        var received = new List<string>();
        conn.Notification += (_, e) => received.Add(e.Payload);
        var wait = conn.WaitAsync(FakePgServer.StepTimeout);
        var connection = await _server.FirstConnectionAsync();
        await connection.SendRaw(Message('N', [.. Field('S', "NOTICE"), .. Field('C', "00000"), .. Field('M', "just so you know"), 0]));
        await connection.SendParameterStatus("application_name", "renamed");
        await connection.SendRaw(Notification(6, "jobs", "the one"));

        Assert.True(await FakePgServer.Bounded(wait));
        Assert.Equal(["just so you know"], notices);
        Assert.Equal("renamed", conn.ServerParameters["application_name"]);
        Assert.Equal(["the one"], received);
    }

    [Fact]
    public async Task A_FATAL_error_while_waiting_ends_the_wait_with_the_servers_error()
    {
        await using var conn = await OpenAsync();
        var wait = conn.WaitAsync(FakePgServer.StepTimeout);
        await _server.SendRaw(Fatal());

        var e = await Assert.ThrowsAsync<PgServerException>(() => FakePgServer.Bounded(wait));
        Assert.Equal("57P01", e.SqlState);
        Assert.Equal(ConnectionState.Broken, conn.State);
    }

    [Fact]
    public async Task The_server_closing_the_connection_while_waiting_ends_the_wait_with_a_PgConnectionException()
    {
        await using var conn = await OpenAsync();
        var wait = conn.WaitAsync(FakePgServer.StepTimeout);
        await _server.CloseAbruptly();

        await Assert.ThrowsAsync<PgConnectionException>(() => FakePgServer.Bounded(wait));
        Assert.Equal(ConnectionState.Broken, conn.State);
    }

    [Fact]
    public async Task A_message_that_answers_nothing_while_waiting_is_a_protocol_error_that_breaks_the_connection()
    {
        await using var conn = await OpenAsync();
        var wait = conn.WaitAsync(FakePgServer.StepTimeout);
        await _server.SendDataRow("1"u8.ToArray());

        await Assert.ThrowsAsync<PgProtocolException>(() => FakePgServer.Bounded(wait));
        Assert.Equal(ConnectionState.Broken, conn.State);
    }

    [Fact]
    public async Task A_synchronous_Wait_returns_false_at_its_timeout_and_true_for_a_notification()
    {
        await using var conn = await OpenAsync();
        Assert.False(conn.Wait(20));

        await _server.SendRaw(Notification(9, "jobs", "sync"));
        Assert.True(await FakePgServer.Bounded(Task.Run(() => conn.Wait((int)FakePgServer.StepTimeout.TotalMilliseconds))));
    }
}
