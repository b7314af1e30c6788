using System.Runtime.CompilerServices;
using PgWire.Connection;
using PgWire.Types.Dynamic;

namespace PgWire.Pooling;

/// <summary>
/// The physical connections of one data source. Idle connectors wait on a stack (the most recently used, warmest
/// one goes out first); opens beyond Maximum Pool Size wait in a FIFO queue, and a returned connector goes straight
/// to the longest waiter. A broken, expired or cleared connector is closed, never handed out again. One short lock
/// guards the counts: rent and return do a few field updates under it and no I/O.
/// </summary>
internal sealed class ConnectorPool : IDisposable
{
    private readonly ConnectorSettings _settings;
    private readonly PgTypeCatalog _types;
    private readonly object _lock = new();
    private readonly Stack<PgConnector> _idle = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private readonly Timer _waitTimer;
    private bool _waitTimerArmed;

    /// <summary>An open waiting for a connector; its deadline is enforced by the pool's one wait timer, not a timer of its own.</summary>
    private sealed class Waiter() : TaskCompletionSource<PgConnector?>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public long Deadline;
        public LinkedListNode<Waiter>? Node;
    }
    private readonly Timer _pruneTimer;
    private int _total;
    private int _busy;
    private long _created;
    private long _destroyed;
    private int _generation;
    private bool _disposed;

    public ConnectorPool(ConnectorSettings settings, PgTypeCatalog types, string name)
    {
        _settings = settings;
        _types = types;
        Name = name;
        var interval = TimeSpan.FromSeconds(settings.ConnectionPruningIntervalSeconds);
        _pruneTimer = new Timer(static s => ((ConnectorPool)s!).Prune(), this, interval, interval);
        _waitTimer = new Timer(static s => ((ConnectorPool)s!).ExpireWaiters(), this, Timeout.Infinite, Timeout.Infinite);
        PoolMetrics.Register(this);
    }

    public string Name { get; }

    public PgPoolStatistics Statistics
    {
        get
        {
            lock (_lock)
                return new PgPoolStatistics(_idle.Count, _busy, _waiters.Count, _created, _destroyed);
        }
    }

    /// <summary>A connector for one user: an idle sound one, a new one while under the maximum, or the next one returned.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<PgConnector> RentAsync(bool async, CancellationToken cancellationToken)
    {
        int timeoutSeconds = _settings.ConnectTimeoutSeconds;
        long deadline = timeoutSeconds > 0 ? Environment.TickCount64 + timeoutSeconds * 1000L : long.MaxValue;
        while (true)
        {
            PgConnector? connector = null;
            bool create = false;
            Waiter? waiter = null;
            List<PgConnector>? unsound = null;
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                while (_idle.TryPop(out var candidate))
                {
                    if (candidate.IsIdleAndSound() && candidate.Generation == _generation && !Expired(candidate))
                    {
                        connector = candidate;
                        _busy++;
                        break;
                    }
                    (unsound ??= new()).Add(candidate);
                    _total--;
                }
                if (connector is null)
                {
                    if (_total < _settings.MaxPoolSize)
                    {
                        _total++;
                        _busy++;
                        create = true;
                    }
                    else
                    {
                        waiter = new Waiter { Deadline = deadline };
                        waiter.Node = _waiters.AddLast(waiter);
                        if (!_waitTimerArmed && deadline != long.MaxValue)
                        {
                            _waitTimerArmed = true;
                            _waitTimer.Change(Math.Max(0, deadline - Environment.TickCount64), Timeout.Infinite);
                        }
                    }
                }
            }
            if (unsound is not null)
                foreach (var dead in unsound) await DestroyAsync(dead, async).ConfigureAwait(false);
            if (connector is not null)
            {
                if (await IsCleanAsync(connector, async).ConfigureAwait(false)) return connector;
                continue;
            }
            if (create) return await CreateAsync(async, cancellationToken).ConfigureAwait(false);

            var handed = await WaitAsync(waiter!, deadline, async, cancellationToken).ConfigureAwait(false);
            if (handed is not null && await IsCleanAsync(handed, async).ConfigureAwait(false)) return handed;
            // Woken without a connector: one was destroyed and left room to open a new one. Try again.
        }
    }

    /// <summary>Reads the answer of the reset sent when the connector came back; a failed one is destroyed, freeing its place.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> IsCleanAsync(PgConnector connector, bool async)
    {
        if (await connector.CompletePendingResetAsync(async).ConfigureAwait(false)) return true;
        lock (_lock)
        {
            _busy--;
            _total--;
            WakeOneLocked(null);
        }
        await DestroyAsync(connector, async).ConfigureAwait(false);
        return false;
    }

    private async ValueTask<PgConnector> CreateAsync(bool async, CancellationToken cancellationToken)
    {
        var connector = new PgConnector(_settings, _types);
        try
        {
            await connector.OpenAsync(async, cancellationToken).ConfigureAwait(false);
            if (_types.LoadAtOpen && !_types.IsLoaded)
                await connector.LoadTypesAsync(async, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await connector.CloseAsync(async).ConfigureAwait(false);
            lock (_lock)
            {
                _total--;
                _busy--;
                WakeOneLocked(null);
            }
            throw;
        }
        lock (_lock)
        {
            connector.Generation = _generation;
            _created++;
        }
        PoolMetrics.Created.Add(1, new KeyValuePair<string, object?>("pool", Name));
        return connector;
    }

    private async ValueTask<PgConnector?> WaitAsync(Waiter waiter, long deadline, bool async, CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static (state, token) =>
            {
                var (pool, w) = ((ConnectorPool, Waiter))state!;
                if (pool.RemoveWaiter(w))
                    w.TrySetException(new PgOperationCanceledException("Opening the connection was cancelled while it waited for a free pooled connection."));
            }, (this, waiter))
            : default;
        if (async) return await waiter.Task.ConfigureAwait(false);
        return waiter.Task.GetAwaiter().GetResult();
    }

    private bool RemoveWaiter(Waiter waiter)
    {
        lock (_lock)
        {
            if (waiter.Node?.List is null) return false;
            _waiters.Remove(waiter.Node);
            return true;
        }
    }

    /// <summary>
    /// The wait timer: fails the waiters whose Timeout has passed (all waiters of a pool share one Timeout, so they
    /// expire in the order they came) and sets itself for the next one.
    /// </summary>
    private void ExpireWaiters()
    {
        List<Waiter>? expired = null;
        int busy;
        lock (_lock)
        {
            long now = Environment.TickCount64;
            while (_waiters.First is { } first && first.Value.Deadline <= now)
            {
                _waiters.RemoveFirst();
                (expired ??= new()).Add(first.Value);
            }
            busy = _busy;
            _waitTimerArmed = false;
            if (!_disposed && _waiters.First is { } next && next.Value.Deadline != long.MaxValue)
            {
                _waitTimerArmed = true;
                _waitTimer.Change(Math.Max(1, next.Value.Deadline - now), Timeout.Infinite);
            }
        }
        if (expired is null) return;
        int waited = _settings.ConnectTimeoutSeconds;
        foreach (var waiter in expired)
            waiter.TrySetException(new PgPoolExhaustedException(
                $"The connection pool is exhausted: all {busy} connection(s) (Maximum Pool Size={_settings.MaxPoolSize}) " +
                $"stayed busy for the {waited} s this open waited (Timeout={waited}). Dispose connections as soon as " +
                "you are done with them, raise Maximum Pool Size, or raise Timeout."));
    }

    /// <summary>Takes a connector back: to the longest waiter, onto the idle stack, or closed when it must not be reused.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask ReturnAsync(PgConnector connector, bool async)
    {
        try
        {
            if (!connector.IsBroken && connector.State == ConnectorState.Ready && !_disposed)
                await connector.ResetForPoolAsync(!_settings.NoResetOnClose, async).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // ResetForPoolAsync breaks the connector on failure; nothing may stop the slot coming back.
            connector.Break();
        }
        bool destroy;
        lock (_lock)
        {
            _busy--;
            destroy = _disposed || connector.IsBroken || connector.State != ConnectorState.Ready || connector.Generation != _generation || Expired(connector);
            if (destroy)
            {
                _total--;
                WakeOneLocked(null);
            }
            else if (_waiters.Count > 0)
            {
                _busy++;
                WakeOneLocked(connector);
            }
            else
            {
                connector.IdleSince = Environment.TickCount64;
                _idle.Push(connector);
            }
        }
        if (destroy) await DestroyAsync(connector, async).ConfigureAwait(false);
    }

    private void WakeOneLocked(PgConnector? connector)
    {
        var first = _waiters.First;
        if (first is null) return;
        _waiters.RemoveFirst();
        first.Value.TrySetResult(connector);
    }

    private bool Expired(PgConnector connector) =>
        _settings.ConnectionLifetimeSeconds > 0 &&
        Environment.TickCount64 - connector.OpenedAt > _settings.ConnectionLifetimeSeconds * 1000L;

    private async ValueTask DestroyAsync(PgConnector connector, bool async)
    {
        lock (_lock) _destroyed++;
        PoolMetrics.Destroyed.Add(1, new KeyValuePair<string, object?>("pool", Name));
        await connector.CloseAsync(async).ConfigureAwait(false);
    }

    /// <summary>Closes connectors idle longer than Connection Idle Lifetime, keeping Minimum Pool Size.</summary>
    private void Prune()
    {
        List<PgConnector>? pruned = null;
        lock (_lock)
        {
            long limit = Environment.TickCount64 - _settings.ConnectionIdleLifetimeSeconds * 1000L;
            if (_idle.Count == 0) return;
            var keep = new List<PgConnector>(_idle.Count);
            // The stack's bottom holds the connectors idle longest.
            foreach (var connector in _idle.Reverse())
            {
                if (_total > _settings.MinPoolSize && (connector.IdleSince < limit || !connector.IsIdleAndSound()))
                {
                    (pruned ??= new()).Add(connector);
                    _total--;
                }
                else keep.Add(connector);
            }
            if (pruned is null) return;
            _idle.Clear();
            foreach (var connector in keep) _idle.Push(connector);
        }
        foreach (var connector in pruned)
            DestroyAsync(connector, async: false).GetAwaiter().GetResult();
    }

    /// <summary>Closes the idle connectors now and the busy ones when they come back.</summary>
    public void Clear()
    {
        List<PgConnector> idle;
        lock (_lock)
        {
            _generation++;
            _settings.HostStatus.Clear();
            idle = _idle.ToList();
            _idle.Clear();
            _total -= idle.Count;
            for (int i = 0; i < idle.Count; i++) WakeOneLocked(null);
        }
        foreach (var connector in idle)
            DestroyAsync(connector, async: false).GetAwaiter().GetResult();
    }

    /// <summary>Closes the idle connectors, stops pruning and fails waiters; busy connectors are closed when returned.</summary>
    public void Dispose()
    {
        List<Waiter> waiters;
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            waiters = _waiters.ToList();
            _waiters.Clear();
        }
        _pruneTimer.Dispose();
        _waitTimer.Dispose();
        PoolMetrics.Unregister(this);
        foreach (var waiter in waiters)
            waiter.TrySetException(new PgConnectionException("The data source was disposed while this open waited for a pooled connection."));
        Clear();
    }
}
