namespace PgWire.Benchmarks;

internal sealed record WorkloadResult(Workload Workload, DriverResult PgWire, DriverResult Npgsql)
{
    /// <summary>The C client's rate in each round (<see cref="Workload.CClient"/>), or null.</summary>
    public IReadOnlyList<double>? CClientRates { get; init; }

    public double? CClientMedianRate
    {
        get
        {
            if (CClientRates is not { Count: > 0 } rates) return null;
            var sorted = rates.Order().ToArray();
            int mid = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        }
    }
}
