namespace PgWire.Benchmarks;

internal sealed record WorkloadResult(Workload Workload, DriverResult PgWire, DriverResult Npgsql);
