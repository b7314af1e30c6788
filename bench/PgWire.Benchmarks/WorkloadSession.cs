namespace PgWire.Benchmarks;

/// <summary>
/// One driver's side of one workload, set up once (connection opened, command built) and then run for the
/// warm-up and every round. <see cref="RunAsync"/> repeats the operation until the deadline passes and returns
/// how many units (queries, rows, ...) it completed.
/// </summary>
internal sealed class WorkloadSession(
    Func<long, Task<long>> runUntil,
    Func<Task>? beforeRound = null,
    Func<ValueTask>? dispose = null) : IAsyncDisposable
{
    /// <summary>Runs until <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> reaches <paramref name="deadline"/>.</summary>
    public Task<long> RunAsync(long deadline) => runUntil(deadline);

    /// <summary>Untimed preparation before each round (e.g. emptying the table an insert workload fills).</summary>
    public Task BeforeRoundAsync() => beforeRound?.Invoke() ?? Task.CompletedTask;

    /// <summary>The server backend's process id when the session keeps one connection, for <see cref="ServerCpu"/>.</summary>
    public int? ServerProcessId { get; init; }

    public ValueTask DisposeAsync() => dispose?.Invoke() ?? ValueTask.CompletedTask;
}
