namespace PgWire.Benchmarks;

/// <summary>One timed round of one driver: units done, wall time, client CPU (all threads, GC included) and bytes allocated.</summary>
internal readonly record struct RoundResult(long Units, TimeSpan Elapsed, TimeSpan Cpu, long AllocatedBytes)
{
    public double UnitsPerSecond => Units / Elapsed.TotalSeconds;

    public double CpuMsPerThousand => Cpu.TotalMilliseconds * 1000 / Units;

    public double BytesPerUnit => (double)AllocatedBytes / Units;
}
