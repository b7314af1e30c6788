using System.Diagnostics.Metrics;

namespace PgWire.Pooling;

/// <summary>
/// The pool figures through System.Diagnostics.Metrics: meter "PgWire", gauges pgwire.pool.idle/busy/waiting and
/// counters pgwire.pool.created/destroyed, each tagged with the pool's name.
/// </summary>
internal static class PoolMetrics
{
    private static readonly Meter Meter = new("PgWire");
    private static readonly List<WeakReference<ConnectorPool>> Pools = new();

    public static readonly Counter<long> Created = Meter.CreateCounter<long>("pgwire.pool.created", "{connection}", "Physical connections opened by the pool.");
    public static readonly Counter<long> Destroyed = Meter.CreateCounter<long>("pgwire.pool.destroyed", "{connection}", "Physical connections closed by the pool.");

    static PoolMetrics()
    {
        Meter.CreateObservableGauge("pgwire.pool.idle", () => Observe(s => s.Idle), "{connection}", "Idle connections in the pool.");
        Meter.CreateObservableGauge("pgwire.pool.busy", () => Observe(s => s.Busy), "{connection}", "Connections handed out.");
        Meter.CreateObservableGauge("pgwire.pool.waiting", () => Observe(s => s.Waiting), "{request}", "Opens waiting for a connection.");
    }

    public static void Register(ConnectorPool pool)
    {
        lock (Pools)
        {
            Pools.RemoveAll(w => !w.TryGetTarget(out _));
            Pools.Add(new WeakReference<ConnectorPool>(pool));
        }
    }

    public static void Unregister(ConnectorPool pool)
    {
        lock (Pools) Pools.RemoveAll(w => !w.TryGetTarget(out var p) || ReferenceEquals(p, pool));
    }

    private static IEnumerable<Measurement<int>> Observe(Func<PgPoolStatistics, int> figure)
    {
        List<ConnectorPool> live = new();
        lock (Pools)
        {
            foreach (var w in Pools)
                if (w.TryGetTarget(out var pool)) live.Add(pool);
        }
        foreach (var pool in live)
            yield return new Measurement<int>(figure(pool.Statistics), new KeyValuePair<string, object?>("pool", pool.Name));
    }
}
