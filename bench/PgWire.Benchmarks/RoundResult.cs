namespace PgWire.Benchmarks;

/// <summary>
/// One timed round of one driver: units done, wall time, client CPU (all threads, GC included), bytes allocated, and
/// the share of the round the server backend was busy when it could be read (<see cref="ServerCpu"/>).
/// </summary>
internal readonly record struct RoundResult(long Units, TimeSpan Elapsed, TimeSpan Cpu, long AllocatedBytes, double? ServerBusy = null)
{
    public double UnitsPerSecond => Units / Elapsed.TotalSeconds;

    public double CpuMsPerThousand => Cpu.TotalMilliseconds * 1000 / Units;

    public double BytesPerUnit => (double)AllocatedBytes / Units;
}
