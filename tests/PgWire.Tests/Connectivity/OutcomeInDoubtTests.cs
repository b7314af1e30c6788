using System.Data;
using PgWire.Tests.Infrastructure;
using PgWire.Tests.Pooling;

namespace PgWire.Tests.Connectivity;

/// <summary>
/// When the connection is lost after a statement was sent and before its answer arrived, the driver cannot know whether
/// the server committed it, and the exception says so (DESIGN.md, "Nothing lost, nothing hidden"). A
/// <see cref="FaultProxy"/> goes silent at the server's answer: the statement has reached the server, the answer never
/// reaches the driver, Command Timeout sends a CancelRequest whose answer is lost too, and after Cancellation Timeout the
/// connection is given up. What the server really did is then checked on a connection of its own.
/// </summary>
[Collection("Database")]
public sealed class OutcomeInDoubtTests(DatabaseFixture db) : IAsyncLifetime
{
    private const string Limits = "Pooling=false;Command Timeout=1;Cancellation Timeout=500;Timeout=5";

    /// <summary>Only against hangs; never what decides a test.</summary>
    private static readonly TimeSpan HangBound = TimeSpan.FromSeconds(60);

    private readonly string _table = "in_doubt_" + Guid.NewGuid().ToString("N")[..10];

    public async Task InitializeAsync()
    {
        await using var admin = await db.OpenAsync();
        await admin.ExecuteAsync("CREATE TABLE " + _table + " (id int NOT NULL)");
    }

    public async Task DisposeAsync()
    {
        await using var admin = await db.OpenAsync();
        await admin.ExecuteAsync("DROP TABLE IF EXISTS " + _table);
    }

    [Fact]
    public async Task An_insert_outside_a_transaction_whose_answer_is_lost_says_it_may_have_committed_and_it_did()
    {
        Task Conversation(PgConnection conn) => conn.ExecuteAsync("INSERT INTO " + _table + " VALUES (1)").AsTask();

        var e = await StallLastCommandCompleteAsync(Conversation);

        Assert.Contains("may have run and committed it", e.Message);
        Assert.Equal(1, await CountAsync());
    }

    [Fact]
    public async Task An_insert_inside_a_transaction_whose_answer_is_lost_says_the_transaction_is_lost_and_nothing_is_committed()
    {
        async Task Conversation(PgConnection conn)
        {
            await using var transaction = await conn.BeginTransactionAsync();
            await conn.ExecuteAsync("INSERT INTO " + _table + " VALUES (1)");
            await transaction.RollbackAsync();
        }

        // The INSERT's CommandComplete: the one before ROLLBACK's, the last.
        var e = await StallAsync(Conversation, messages => FromEnd(messages, 'C', 2));

        Assert.Contains("transaction block it was sent in is lost", e.Message);
        Assert.DoesNotContain("may have run and committed", e.Message);
        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task A_COMMIT_whose_answer_is_lost_says_its_effect_is_unknown_and_here_it_took_effect()
    {
        async Task Conversation(PgConnection conn)
        {
            await using var transaction = await conn.BeginTransactionAsync();
            await conn.ExecuteAsync("INSERT INTO " + _table + " VALUES (1)");
            await transaction.CommitAsync();
        }

        var e = await StallLastCommandCompleteAsync(Conversation);

        Assert.Contains("whether a COMMIT sent then took effect is unknown", e.Message);
        Assert.Equal(1, await CountAsync());
    }

    [Fact]
    public async Task A_synchronous_insert_whose_answer_is_lost_says_so_too()
    {
        Task Conversation(PgConnection conn) => Task.Run(() =>
        {
            using var command = new PgCommand("INSERT INTO " + _table + " VALUES (1)", conn);
            command.ExecuteNonQuery();
        });

        var e = await StallLastCommandCompleteAsync(Conversation);

        Assert.Contains("may have run and committed it", e.Message);
        Assert.Equal(1, await CountAsync());
    }

    [Fact]
    public async Task A_select_whose_answer_is_lost_carries_the_same_note()
    {
        // A read-only statement is in doubt to the driver all the same: it cannot tell a SELECT that calls a function
        // with side effects from one that has none.
        Task Conversation(PgConnection conn) => conn.QueryAsync("SELECT n FROM generate_series(1, 3) AS n").AsTask();

        var e = await StallLastCommandCompleteAsync(Conversation);

        Assert.Contains("may have run and committed it", e.Message);
    }

    /// <summary>Runs <paramref name="conversation"/> once clean, then again with the server's last CommandComplete stalled.</summary>
    private Task<Exception> StallLastCommandCompleteAsync(Func<PgConnection, Task> conversation) =>
        StallAsync(conversation, messages => FromEnd(messages, 'C', 1));

    /// <summary>
    /// Records <paramref name="conversation"/> through a clean proxy (its rows then removed), runs it again through one
    /// that goes silent at the message <paramref name="choose"/> picks, and returns what it threw: a PgTimeoutException
    /// whose connection ended Broken.
    /// </summary>
    private async Task<Exception> StallAsync(Func<PgConnection, Task> conversation, Func<IReadOnlyList<RelayedMessage>, RelayedMessage> choose)
    {
        RelayedMessage point;
        await using (var clean = FaultProxy.Start(db.ConnectionString, ProxyFault.None))
        {
            await using (var conn = await OpenThroughAsync(clean))
                await conversation(conn).WaitAsync(HangBound);
            point = choose(clean.Messages);
        }
        await using (var admin = await db.OpenAsync())
            await admin.ExecuteAsync("TRUNCATE " + _table);

        await using var proxy = FaultProxy.Start(db.ConnectionString, new ProxyFault(point.Number, ProxyFaultKind.Stall));
        await using var stalled = await OpenThroughAsync(proxy);
        var e = await Record.ExceptionAsync(() => conversation(stalled).WaitAsync(HangBound));

        Assert.NotNull(e);
        Assert.False(e is TimeoutException, $"The conversation had not ended after {HangBound.TotalSeconds:0} s: it hangs.");
        Assert.True(proxy.FaultReached, $"The conversation never reached {point}, so the stall went untested.");
        Assert.Equal(point, proxy.Messages[point.Number - 1]);
        var timeout = Assert.IsType<PgTimeoutException>(e);
        Assert.Contains("Cancellation Timeout", timeout.Message);
        Assert.Equal(ConnectionState.Broken, stalled.State);
        return timeout;
    }

    /// <summary>The <paramref name="n"/>th server message of <paramref name="code"/> counted from the end (1: the last).</summary>
    private static RelayedMessage FromEnd(IReadOnlyList<RelayedMessage> messages, char code, int n)
    {
        var matching = messages.Where(m => m.Direction == MessageDirection.ServerToClient && m.Code == code).ToList();
        Assert.True(matching.Count >= n, $"The clean conversation had {matching.Count} '{code}' message(s), fewer than {n}:\n" + string.Join('\n', messages));
        return matching[^n];
    }

    private async Task<PgConnection> OpenThroughAsync(FaultProxy proxy)
    {
        var conn = new PgConnection(proxy.ConnectionStringThrough(db.ConnectionStringFor(PoolingTestSupport.NewApplicationName("indoubt"), Limits)));
        await conn.OpenAsync().WaitAsync(HangBound);
        return conn;
    }

    private async Task<long> CountAsync()
    {
        await using var admin = await db.OpenAsync();
        return await admin.QueryScalarAsync<long>("SELECT count(*) FROM " + _table);
    }
}
