using System.Collections.Concurrent;

namespace PgWire.Connection;

/// <summary>What a data source last learnt of each of its hosts: down, a primary, or a standby.</summary>
internal enum HostStatus
{
    Unknown,
    Offline,
    Primary,
    Standby,
}

/// <summary>
/// Remembers for a short while (Host Recheck Seconds) which hosts were down and which were primaries or standbys,
/// so that the next opens of the same data source go straight to a suitable host instead of waiting on a dead one.
/// </summary>
internal sealed class HostStatusCache(int recheckSeconds)
{
    private readonly ConcurrentDictionary<PgHost, (HostStatus Status, long Until)> _states = new();

    public HostStatus Get(PgHost host) =>
        _states.TryGetValue(host, out var state) && Environment.TickCount64 < state.Until ? state.Status : HostStatus.Unknown;

    public void Set(PgHost host, HostStatus status)
    {
        if (recheckSeconds <= 0) return;
        _states[host] = (status, Environment.TickCount64 + recheckSeconds * 1000L);
    }

    public void Clear() => _states.Clear();
}
