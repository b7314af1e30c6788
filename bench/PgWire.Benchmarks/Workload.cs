namespace PgWire.Benchmarks;

/// <summary>
/// A workload and how each driver runs it. A null factory means the driver cannot run it yet: its row prints
/// "n/a". To add PgWire's side of W4 or W6 later, give that workload a <see cref="PgWire"/> factory.
/// A workload <see cref="OnRequest"/> runs only when <c>--only</c> names it.
/// </summary>
internal sealed record Workload(
    string Id,
    string Title,
    string Unit,
    Func<Task<WorkloadSession>>? PgWire,
    Func<Task<WorkloadSession>>? Npgsql,
    bool OnRequest = false);
