using System.Data;
using System.Diagnostics;
using PgWire.Tests.Infrastructure;
using PgWire.Tests.Pooling;
using Xunit.Abstractions;

namespace PgWire.Tests.Connectivity;

/// <summary>
/// A network that stalls, or garbles the length of, any one message of open, BEGIN, INSERT, COMMIT, close never makes
/// the caller wait past the driver's own limits: the startup is bounded by Timeout, and every command the driver sends
/// by itself (BEGIN, COMMIT, ROLLBACK, the session reset) by Command Timeout, like the user's. The caller gets a
/// PgException, the connection is broken and never reused as sound, and disposing the transaction and the connection
/// does not throw. A <see cref="FaultProxy"/> records the clean conversation; then each test faults every one of its
/// messages, the points side by side (each with a proxy and a connection of its own, up to <see cref="PointsAtOnce"/>
/// at a time, so that a test takes seconds), and reports every bad point, not just the first.
/// </summary>
[Collection("Database")]
public sealed class NetworkStallTests(DatabaseFixture db, ITestOutputHelper output)
{
    /// <summary>Short limits, so that a bounded wait ends in seconds: Timeout=3 s, Command Timeout=2 s, Cancellation Timeout=1 s.</summary>
    private const string Limits = "Timeout=3;Command Timeout=2;Cancellation Timeout=1000";

    /// <summary>
    /// How long a faulted conversation may take before it counts as hung: the longest wait the limits allow is the open's
    /// 3 s, or a command's 2 s plus 1 s for the server to answer its cancel; the rest is room for a busy 2-core machine.
    /// </summary>
    private static readonly TimeSpan ConversationBound = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan DisposeBound = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many points run at once: a point holds up to two backends (the faulted one, kept until its proxy closes, and
    /// the pool's next one), and the test server allows 200 connections. A conversation of up to this many messages is
    /// faulted in one wave.
    /// </summary>
    private const int PointsAtOnce = 50;

    [Fact]
    public async Task The_clean_conversation_through_the_proxy_is_a_startup_BEGIN_an_INSERT_with_a_parameter_COMMIT_and_a_Terminate()
    {
        string table = await CreateTableAsync();

        var messages = await RecordConversationAsync(Variant.Unpooled, table);

        output.WriteLine(string.Join('\n', messages));
        Assert.InRange(messages.Count, 20, 80);
        Assert.Equal(new RelayedMessage(1, MessageDirection.ClientToServer, '\0'), messages[0]);
        Assert.Equal(new RelayedMessage(messages.Count, MessageDirection.ClientToServer, 'X'), messages[^1]);
        Assert.Contains(new RelayedMessage(0, MessageDirection.ServerToClient, 'K'), messages.Select(m => m with { Number = 0 }));
        Assert.Contains(new RelayedMessage(0, MessageDirection.ClientToServer, 'B'), messages.Select(m => m with { Number = 0 }));
        Assert.True(messages.Count(m => m is { Direction: MessageDirection.ServerToClient, Code: 'Z' }) >= 3,
            "Expected a ReadyForQuery for the startup and for the commands at least.");
        Assert.Contains(0, await CommittedRowsAsync(table));
        await DropTableAsync(table);
    }

    [Theory]
    [InlineData(ProxyFaultKind.Stall)]
    [InlineData(ProxyFaultKind.FlipLengthBit)]
    public async Task A_fault_at_any_message_ends_the_conversation_within_the_limits_with_a_PgException_and_the_connection_is_never_reused(ProxyFaultKind kind) =>
        await FaultEveryPointAsync(kind, Variant.Unpooled);

    [Theory]
    [InlineData(ProxyFaultKind.Stall)]
    [InlineData(ProxyFaultKind.FlipLengthBit)]
    public async Task After_a_fault_at_any_message_the_pool_never_hands_out_the_broken_connection_and_its_next_connection_works(ProxyFaultKind kind) =>
        await FaultEveryPointAsync(kind, Variant.Pooled);

    [Theory]
    [InlineData(ProxyFaultKind.Stall)]
    [InlineData(ProxyFaultKind.FlipLengthBit)]
    public async Task A_fault_at_any_message_after_a_connection_came_back_from_the_pool_and_its_session_reset_went_out_with_BEGIN_is_handled_the_same(ProxyFaultKind kind) =>
        await FaultEveryPointAsync(kind, Variant.ReusedFromPool);

    /// <summary>How the conversation gets its connection.</summary>
    private enum Variant
    {
        /// <summary>Pooling=false: a new physical connection, closed with a Terminate.</summary>
        Unpooled,

        /// <summary>Pooling=true: a new physical connection, returned to the pool.</summary>
        Pooled,

        /// <summary>
        /// Pooling=true and a connection used and returned first, so that the conversation's BEGIN carries the session
        /// reset; only the conversation's own messages are faulted (the first ones are the Pooled variant's).
        /// </summary>
        ReusedFromPool,
    }

    /// <summary>
    /// Records the clean conversation, runs it once per message with <paramref name="kind"/> at that message, the points
    /// side by side, and fails listing every point where the driver hung, threw the wrong exception, reused the connection,
    /// threw from a Dispose, or (pooled) handed out the broken connection again.
    /// </summary>
    private async Task FaultEveryPointAsync(ProxyFaultKind kind, Variant variant)
    {
        string table = await CreateTableAsync();
        var points = await RecordConversationAsync(variant, table);
        var clock = Stopwatch.StartNew();

        using var slots = new SemaphoreSlim(PointsAtOnce);
        var outcomes = await Task.WhenAll(points.Select(async point =>
        {
            await slots.WaitAsync();
            try
            {
                return await FaultOnePointAsync(point, kind, variant, table);
            }
            finally
            {
                slots.Release();
            }
        }));

        output.WriteLine($"{points.Count} points, {kind}, {variant}, all done in {clock.Elapsed.TotalSeconds:0.0} s:");
        foreach (var outcome in outcomes) output.WriteLine(outcome.ToString());
        var committed = await CommittedRowsAsync(table);
        foreach (var outcome in outcomes.Where(o => o.Completed && !committed.Contains(o.Point.Number)))
            outcome.Fail("the conversation completed, but its row is not in the table: a COMMIT reported done did not commit");
        await DropTableAsync(table);
        var problems = outcomes.SelectMany(o => o.Problems).ToList();
        Assert.True(problems.Count == 0, $"{problems.Count} problem(s) at {outcomes.Count(o => o.Problems.Count > 0)} of {points.Count} points:\n" +
                                         string.Join('\n', problems));
    }

    private async Task<PointOutcome> FaultOnePointAsync(RelayedMessage point, ProxyFaultKind kind, Variant variant, string table)
    {
        await Task.Yield();
        var outcome = new PointOutcome(point, kind);
        await using var proxy = FaultProxy.Start(db.ConnectionString, new ProxyFault(point.Number, kind));
        string connectionString = ConnectionStringThrough(proxy, variant);
        var conversation = new BeginInsertCommitConversation(connectionString, table, row: point.Number);
        var clock = Stopwatch.StartNew();
        var run = Start(async () =>
        {
            if (variant == Variant.ReusedFromPool) await conversation.UseAndReturnToPoolAsync();
            await conversation.RunAsync();
        });

        if (!await EndsWithinAsync(run, ConversationBound))
        {
            outcome.Result = $"HANGS in {conversation.Step}";
            outcome.Fail($"{conversation.Step} had not returned after {ConversationBound.TotalSeconds:0} s: it hangs");
            await AbandonAsync(proxy, conversation, run);
            return outcome;
        }
        if (!await ReachedAsync(proxy, point))
            outcome.Fail("the conversation never reached this message (it differed from the recorded one), so the point went untested");

        var failure = run.Exception?.InnerException;
        if (failure is null)
        {
            outcome.Completed = true;
            outcome.Result = $"completed in {clock.Elapsed.TotalSeconds:0.0} s";
        }
        else
        {
            outcome.Result = $"{conversation.Step} threw {Describe(failure)} after {clock.Elapsed.TotalSeconds:0.0} s" +
                             (conversation.ProcessId is { } pid ? $" (backend {pid})" : "");
            if (conversation.Step.Contains("Dispose", StringComparison.Ordinal))
                outcome.Fail($"{conversation.Step} threw {Describe(failure)}: disposing never throws");
            else if (failure is not PgException)
                outcome.Fail($"{conversation.Step} threw {Describe(failure)}; due: a PgException (and no token was cancelled)");
            await CheckNotReusedAsync(conversation.Connection, outcome);
            await CheckDisposeAsync(() => conversation.Transaction?.DisposeAsync() ?? ValueTask.CompletedTask, "the transaction's DisposeAsync", outcome);
            await CheckDisposeAsync(conversation.Connection.DisposeAsync, "the connection's DisposeAsync", outcome);
        }
        if (variant != Variant.Unpooled) await CheckNextPooledConnectionAsync(connectionString, failure is null ? null : conversation.ProcessId, outcome);
        return outcome;
    }

    /// <summary>
    /// A connection whose command failed on a fault is not Open any more, or refuses the next command: with a
    /// PgException that is not a timeout, since a command that timed out went out on the network as if it were sound.
    /// </summary>
    private static async Task CheckNotReusedAsync(PgConnection connection, PointOutcome outcome)
    {
        var state = connection.State;
        if ((state & ConnectionState.Open) == 0) return;
        var further = Start(async () => await connection.QueryScalarAsync<int>("SELECT 1"));
        if (!await EndsWithinAsync(further, ConversationBound))
        {
            outcome.Fail($"after the failure the connection still said {state}, and a further command on it had not ended " +
                         $"after {ConversationBound.TotalSeconds:0} s: it hangs");
            Observe(further);
        }
        else if (further.IsCompletedSuccessfully)
            outcome.Fail($"after the failure the connection still said {state} and ran a further command: it was reused as sound");
        else if (further.Exception?.InnerException is PgTimeoutException)
            outcome.Fail($"after the failure the connection still said {state}, and a further command on it was sent and timed out: it was reused as sound");
        else if (further.Exception?.InnerException is { } e and not PgException)
            outcome.Fail($"after the failure the connection still said {state}, and a further command on it threw {Describe(e)} instead of a PgException");
    }

    private static async Task CheckDisposeAsync(Func<ValueTask> dispose, string what, PointOutcome outcome)
    {
        var disposing = Start(async () => await dispose());
        if (!await EndsWithinAsync(disposing, DisposeBound))
        {
            outcome.Fail($"{what} had not returned after {DisposeBound.TotalSeconds:0} s: it hangs");
            Observe(disposing);
        }
        else if (disposing.Exception?.InnerException is { } e)
            outcome.Fail($"{what} threw {Describe(e)}: disposing never throws");
    }

    /// <summary>
    /// Without clearing the pool, the next connection of the same connection string opens and runs SELECT 1 (through the
    /// same proxy, which relays every connection after the first clean), and is not the backend that failed.
    /// </summary>
    private static async Task CheckNextPooledConnectionAsync(string connectionString, int? failedProcessId, PointOutcome outcome)
    {
        var next = new PgConnection(connectionString);
        var used = Start(async () =>
        {
            await next.OpenAsync();
            return (ProcessId: next.ProcessId, One: await next.QueryScalarAsync<int>("SELECT 1"));
        });
        if (!await EndsWithinAsync(used, ConversationBound))
        {
            outcome.Fail($"the next connection from the same pool had not opened and run SELECT 1 after {ConversationBound.TotalSeconds:0} s");
            Observe(used);
            return;
        }
        if (used.Exception?.InnerException is { } e)
            outcome.Fail($"the next connection from the same pool failed to open or run SELECT 1: {Describe(e)}");
        else if (used.Result.One != 1)
            outcome.Fail($"SELECT 1 on the next connection from the same pool returned {used.Result.One}");
        else if (used.Result.ProcessId == failedProcessId)
            outcome.Fail($"the pool handed out the connection that had failed (backend {failedProcessId}) again");
        else
            outcome.Result += $"; the pool's next connection ran SELECT 1 on backend {used.Result.ProcessId}";
        PgConnection.ClearPool(next);
        await CheckDisposeAsync(next.DisposeAsync, "disposing the next pooled connection", outcome);
    }

    /// <summary>A conversation that hangs: closing the proxy's sockets should end it; its outcome is not judged further.</summary>
    private static async Task AbandonAsync(FaultProxy proxy, BeginInsertCommitConversation conversation, Task run)
    {
        await proxy.DisposeAsync();
        if (!await EndsWithinAsync(run, DisposeBound))
        {
            Observe(run);
            return;
        }
        var disposing = Start(async () => await conversation.Connection.DisposeAsync());
        if (!await EndsWithinAsync(disposing, DisposeBound)) Observe(disposing);
    }

    /// <summary>The fault's message arrived at the proxy and is the recorded one (a last Terminate may arrive after the caller returned).</summary>
    private static async Task<bool> ReachedAsync(FaultProxy proxy, RelayedMessage point)
    {
        var giveUpAt = Stopwatch.StartNew();
        while (true)
        {
            var messages = proxy.Messages;
            if (messages.Count >= point.Number) return proxy.FaultReached && messages[point.Number - 1] == point;
            if (giveUpAt.Elapsed > DisposeBound) return false;
            await Task.Delay(20);
        }
    }

    /// <summary>The messages of the conversation run once through a proxy that faults nothing: the points to fault.</summary>
    private async Task<IReadOnlyList<RelayedMessage>> RecordConversationAsync(Variant variant, string table)
    {
        await using var proxy = FaultProxy.Start(db.ConnectionString, ProxyFault.None);
        var conversation = new BeginInsertCommitConversation(ConnectionStringThrough(proxy, variant), table, row: 0);
        int before = 0;
        if (variant == Variant.ReusedFromPool)
        {
            await PoolingTestSupport.WithinAsync(conversation.UseAndReturnToPoolAsync(), ConversationBound, "Using a pooled connection through a proxy that faults nothing");
            before = await SettledCountAsync(proxy);
        }
        await PoolingTestSupport.WithinAsync(conversation.RunAsync(), ConversationBound, "The conversation through a proxy that faults nothing");
        if (variant == Variant.Unpooled) return await proxy.MessagesWhenClosedAsync();
        await SettledCountAsync(proxy);
        var messages = proxy.Messages.Skip(before).ToList();
        PgConnection.ClearPool(conversation.Connection);
        // Nothing recorded would leave nothing to fault: the pool must have given the conversation the connection it had.
        Assert.True(messages.Count > 0, "The conversation's messages did not come on the pool's first connection.");
        return messages;
    }

    /// <summary>
    /// The number of messages so far, once a connection went back to the pool: it read the answer to all it sent, but a
    /// write that nothing answers gets a moment to arrive.
    /// </summary>
    private static async Task<int> SettledCountAsync(FaultProxy proxy)
    {
        await Task.Delay(200);
        return proxy.Messages.Count;
    }

    private string ConnectionStringThrough(FaultProxy proxy, Variant variant) =>
        proxy.ConnectionStringThrough(db.ConnectionStringFor(PoolingTestSupport.NewApplicationName("stall"),
            $"Pooling={(variant == Variant.Unpooled ? "false" : "true")};{Limits}"));

    private async Task<string> CreateTableAsync()
    {
        string table = "network_stall_" + Guid.NewGuid().ToString("N")[..10];
        await using var admin = await db.OpenAsync();
        await admin.ExecuteAsync("CREATE TABLE " + table + " (n int NOT NULL)");
        return table;
    }

    /// <summary>The rows committed, read on a connection of the test's own (not through any proxy).</summary>
    private async Task<HashSet<int>> CommittedRowsAsync(string table)
    {
        await using var admin = await db.OpenAsync();
        var rows = await admin.QueryAsync("SELECT n FROM " + table);
        return rows.Select(row => row.Get<int>(0)).ToHashSet();
    }

    private async Task DropTableAsync(string table)
    {
        await using var admin = await db.OpenAsync();
        await admin.ExecuteAsync("DROP TABLE " + table);
    }

    private static async Task<bool> EndsWithinAsync(Task task, TimeSpan bound) =>
        await Task.WhenAny(task, Task.Delay(bound)) == task;

    /// <summary>Runs <paramref name="call"/> as a task, so that even an exception it throws before its first await is the task's.</summary>
    private static Task Start(Func<Task> call) => Task.Run(call);

    /// <inheritdoc cref="Start(Func{Task})"/>
    private static Task<T> Start<T>(Func<Task<T>> call) => Task.Run(call);

    /// <summary>A task given up on: its exception, when it comes, is observed rather than left to the finalizer.</summary>
    private static void Observe(Task task) =>
        task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    private static string Describe(Exception e) =>
        e.GetType().Name + (e is PgException { SqlState: { } sqlState } ? $" (SQLSTATE {sqlState})" : "") + $": {e.Message}";

    /// <summary>What happened at one fault point, and what was wrong with it.</summary>
    private sealed class PointOutcome(RelayedMessage point, ProxyFaultKind kind)
    {
        public RelayedMessage Point => point;

        public string Result { get; set; } = "";

        public bool Completed { get; set; }

        public List<string> Problems { get; } = [];

        public void Fail(string problem)
        {
            lock (Problems) Problems.Add($"{kind} at {point}: {problem}");
        }

        public override string ToString() => $"{kind} at {point}: {Result}" + (Problems.Count > 0 ? "   <-- BAD" : "");
    }
}
