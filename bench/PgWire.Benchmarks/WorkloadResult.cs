namespace PgWire.Benchmarks;

internal sealed record WorkloadResult(Workload Workload, DriverResult PgWire, DriverResult Npgsql)
{
    /// <summary>The C client's rounds (<see cref="Workload.CClient"/>), or null.</summary>
    public IReadOnlyList<CClientRound>? CClientRounds { get; init; }

    public double? CClientMedianRate => CClientRounds is { Count: > 0 } rounds ? DriverResult.Median(rounds.Select(r => r.Rate)) : null;

    public double? CClientMedianServerBusy =>
        CClientRounds?.Where(r => r.ServerBusy is not null).Select(r => r.ServerBusy!.Value).ToList() is { Count: > 0 } busy
            ? DriverResult.Median(busy) : null;
}
