namespace PgWire.Benchmarks;

/// <summary>
/// A workload and how each driver runs it. A null factory means the driver cannot run it yet: its row prints
/// "n/a". To add PgWire's side of W4 or W6 later, give that workload a <see cref="PgWire"/> factory.
/// A workload <see cref="OnRequest"/> runs only when <c>--only</c> names it. <see cref="CClient"/>, when set, is the same
/// work done by a C client (pgbench, psql) in each round after the drivers: its rate (units a second) is the ceiling the
/// server allows in that moment.
/// </summary>
internal sealed record Workload(
    string Id,
    string Title,
    string Unit,
    Func<Task<WorkloadSession>>? PgWire,
    Func<Task<WorkloadSession>>? Npgsql,
    bool OnRequest = false)
{
    public CClientRun? CClient { get; init; }
}

/// <summary>A C client doing a workload's work: its label, and one round of it (null if its rate could not be read).</summary>
internal sealed record CClientRun(string Label, Func<Task<CClientRound?>> RunRoundAsync);

/// <summary>A C client's round: units a second, and the share of the round its server backend was busy when known.</summary>
internal readonly record struct CClientRound(double Rate, double? ServerBusy = null);
