using System.Data;
using System.Text;

namespace PgWire.Tests.FakeServer;

/// <summary>
/// The shape of the reset a pooled connection sends ahead of its next user's first command, and the client's answer
/// to a server that fails it or ends it early: things a real server is not made to do on cue. The real server's side
/// of the same reset is in <c>Pooling/PipelinedResetTests</c>.
/// </summary>
public sealed class PipelinedResetFakeServerTests : IAsyncLifetime
{
    private static readonly string[] ResetStatements =
    [
        "BEGIN", "CLOSE ALL", "SET SESSION AUTHORIZATION DEFAULT", "RESET ALL", "DEALLOCATE ALL", "UNLISTEN *",
        "SELECT pg_advisory_unlock_all()", "DISCARD PLANS", "DISCARD TEMP", "DISCARD SEQUENCES", "COMMIT",
    ];

    private readonly FakePgServer _server = FakePgServer.Start();
    private PgDataSource? _dataSource;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_dataSource is not null) await _dataSource.DisposeAsync();
        await _server.DisposeAsync();
    }

    /// <summary>
    /// A pool of one on the fake server; its connection runs one command and goes back to the pool, and the
    /// connection the next open hands out (the same one) is returned.
    /// </summary>
    private async Task<PgConnection> NextUserOfAUsedConnectionAsync()
    {
        _dataSource = PgDataSource.Create(_server.ConnectionString(extra: "Pooling=true;Maximum Pool Size=1"));
        var open = _dataSource.OpenConnectionAsync().AsTask();
        await _server.CompleteStartupAsync();
        var previous = await FakePgServer.Bounded(open);

        var set = previous.ExecuteAsync("SET search_path = foo").AsTask();
        Assert.Equal("PDBES", Codes(await _server.AnswerFirstRunAsync([])));
        await CompleteStatementAsync("SET");
        await FakePgServer.Bounded(set);
        await previous.CloseAsync();

        return await FakePgServer.Bounded(_dataSource.OpenConnectionAsync().AsTask());
    }

    private async Task CompleteStatementAsync(string tag)
    {
        var connection = await _server.FirstConnectionAsync();
        await connection.SendCommandComplete(tag);
        await connection.SendReadyForQuery('I');
    }

    /// <summary>Answers each statement of the reset as a server does (ParseComplete, BindComplete, the SELECT's row, CommandComplete).</summary>
    private async Task<FakePgConnection> AnswerResetAsync()
    {
        var connection = await _server.FirstConnectionAsync();
        foreach (var sql in ResetStatements)
        {
            bool select = sql.StartsWith("SELECT", StringComparison.Ordinal);
            await connection.SendParseComplete();
            await connection.SendBindComplete();
            if (select) await connection.SendDataRow(Array.Empty<byte>());
            await connection.SendCommandComplete(select ? "SELECT 1" : sql);
        }
        return connection;
    }

    /// <summary>Checks that <paramref name="cycle"/> starts with the reset, Parse, Bind and Execute of each statement; returns what follows it.</summary>
    private static List<FrontendMessage> AfterTheReset(IReadOnlyList<FrontendMessage> cycle)
    {
        int resetMessages = 3 * ResetStatements.Length;
        Assert.Equal(string.Concat(Enumerable.Repeat("PBE", ResetStatements.Length)), Codes(cycle.Take(resetMessages)));
        Assert.Equal(ResetStatements, cycle.Take(resetMessages).Where(m => m.Code == 'P').Select(ParsedSql));
        return cycle.Skip(resetMessages).ToList();
    }

    private static string Codes(IEnumerable<FrontendMessage> messages) => string.Concat(messages.Select(m => m.Code));

    /// <summary>The SQL of a Parse message: its body is the statement name, the SQL, then the parameter types.</summary>
    private static string ParsedSql(FrontendMessage parse)
    {
        Assert.Equal('P', parse.Code);
        int nameEnd = Array.IndexOf(parse.Body, (byte)0);
        int sqlEnd = Array.IndexOf(parse.Body, (byte)0, nameEnd + 1);
        return Encoding.UTF8.GetString(parse.Body, nameEnd + 1, sqlEnd - nameEnd - 1);
    }

    /// <summary>Starts the next user's first command and reads what the client sends for it, up to its Sync.</summary>
    private async Task<(Task Command, IReadOnlyList<FrontendMessage> Cycle)> StartFirstCommandAsync(PgConnection next)
    {
        var command = next.ExecuteAsync("SET search_path = bar").AsTask();
        var cycle = await _server.ReadUntilSyncAsync();
        return (command, cycle);
    }

    [Fact]
    public async Task The_reset_rides_ahead_of_the_first_command_as_extended_statements_inside_BEGIN_and_COMMIT_with_one_Sync()
    {
        var next = await NextUserOfAUsedConnectionAsync();
        var (command, cycle) = await StartFirstCommandAsync(next);

        var behind = AfterTheReset(cycle);
        // Then the command itself (described in the same write as its execution, as its SQL is new on this
        // connection), and the only Sync.
        Assert.Equal("PDBES", Codes(behind));
        Assert.Equal("SET search_path = bar", ParsedSql(behind[0]));

        var connection = await AnswerResetAsync();
        await connection.SendParseComplete();
        await connection.SendParameterDescription();
        await connection.SendNoData();
        await connection.SendBindComplete();
        await CompleteStatementAsync("SET");

        await FakePgServer.Bounded(command);
        Assert.Equal(ConnectionState.Open, next.State);
    }

    [Fact]
    public async Task A_transaction_begun_first_sends_its_BEGIN_behind_the_reset_with_one_Sync()
    {
        var next = await NextUserOfAUsedConnectionAsync();
        var begin = next.BeginTransactionAsync().AsTask();
        var cycle = await _server.ReadUntilSyncAsync();

        var behind = AfterTheReset(cycle);
        Assert.Equal("PBES", Codes(behind));
        Assert.Equal("BEGIN", ParsedSql(behind[0]));

        var connection = await AnswerResetAsync();
        await connection.SendParseComplete();
        await connection.SendBindComplete();
        await connection.SendCommandComplete("BEGIN");
        await connection.SendReadyForQuery('T');

        var transaction = await FakePgServer.Bounded(begin);
        Assert.True(next.InTransaction);

        // With no reset owed, the next internal command is a simple Query again.
        var rollback = transaction.RollbackAsync();
        var query = await _server.ReadMessageAsync();
        Assert.Equal('Q', query.Code);
        await connection.SendCommandComplete("ROLLBACK");
        await connection.SendReadyForQuery('I');
        await FakePgServer.Bounded(rollback);
        Assert.False(next.InTransaction);
    }

    [Theory]
    [InlineData("XX000", false)]
    [InlineData("26000", true)] // invalid_sql_statement_name: the server lacks a statement the reset binds by name
    public async Task An_error_in_the_reset_fails_the_first_command_and_the_pool_opens_a_new_connection_instead(
        string sqlState, bool pointsToPreparedStatementsSetting)
    {
        var next = await NextUserOfAUsedConnectionAsync();
        var (command, _) = await StartFirstCommandAsync(next);

        // A server skips everything after an error up to the Sync, the command included.
        var connection = await _server.FirstConnectionAsync();
        await connection.SendErrorResponse(('S', "ERROR"), ('V', "ERROR"), ('C', sqlState), ('M', "the script refuses the reset"));
        await connection.SendReadyForQuery('E');

        var error = await Assert.ThrowsAsync<PgConnectionException>(() => FakePgServer.Bounded(command));
        Assert.Contains("Resetting the session", error.Message);
        Assert.Contains("the script refuses the reset", error.Message);
        Assert.Equal(pointsToPreparedStatementsSetting, error.Message.Contains("Prepared Statements=false", StringComparison.Ordinal));
        Assert.Equal(sqlState, Assert.IsType<PgServerException>(error.InnerException).SqlState);
        Assert.Equal(ConnectionState.Broken, next.State);
        await next.DisposeAsync();

        // The half-reset session is never handed out again: the next open is a new connection.
        var open = _dataSource!.OpenConnectionAsync().AsTask();
        await using var second = await _server.AcceptAsync();
        await second.CompleteStartupAsync();
        await using var fresh = await FakePgServer.Bounded(open);
        Assert.Equal(ConnectionState.Open, fresh.State);
    }

    [Fact]
    public async Task A_ReadyForQuery_before_the_reset_completed_is_a_protocol_error_that_closes_the_connection()
    {
        var next = await NextUserOfAUsedConnectionAsync();
        var (command, _) = await StartFirstCommandAsync(next);

        await (await _server.FirstConnectionAsync()).SendReadyForQuery('I');

        var error = await Assert.ThrowsAsync<PgConnectionException>(() => FakePgServer.Bounded(command));
        Assert.Contains("Resetting the session", error.Message);
        Assert.IsType<PgProtocolException>(error.InnerException);
        Assert.Equal(ConnectionState.Broken, next.State);
    }
}
