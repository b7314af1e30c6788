using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;
using PgWire.Connection;
using PgWire.Types.Dynamic;

namespace PgWire.Pooling;

/// <summary>
/// The physical connections of one data source. Idle connectors sit in an array of slots, taken and put back with
/// compare-and-swap: renting an idle connector and returning one to an empty queue take no lock. Opens beyond Maximum
/// Pool Size wait in a FIFO queue (under a lock, the slow path), and a returned connector goes straight to the longest
/// waiter. A broken, expired or cleared connector is closed, never handed out again.
/// </summary>
/// <remarks>
/// A return that finds no waiter puts its connector in a slot and then looks at the waiter count again; an open that
/// finds no slot registers as a waiter and then looks at the slots again. Both steps are full fences, so at least one
/// side sees the other: no connector stays idle while someone waits for one.
/// </remarks>
internal sealed class ConnectorPool : IDisposable
{
    private readonly ConnectorSettings _settings;
    private readonly PgTypeCatalog _types;
    private readonly object _lock = new();
    private readonly PgConnector?[] _idle;
    private readonly LinkedList<Waiter> _waiters = new();
    private readonly Timer _waitTimer;
    private readonly Timer _pruneTimer;
    private bool _waitTimerArmed;
    private int _waiterCount;
    private int _total;
    private int _busy;
    private long _created;
    private long _destroyed;
    private int _generation;
    private volatile bool _disposed;

    /// <summary>
    /// An open waiting for a connector; its deadline is enforced by the pool's one wait timer, not a timer of its own.
    /// Whoever takes a waiter out of the queue (under the lock) completes it, so it completes exactly once. Waiters are
    /// reused: the waiting open puts its waiter back on the free list once it has its result and its cancellation
    /// registration is gone, so waiting for a connector allocates nothing in the steady state.
    /// </summary>
    private sealed class Waiter : IValueTaskSource<PgConnector?>
    {
        private ManualResetValueTaskSourceCore<PgConnector?> _core = new() { RunContinuationsAsynchronously = true };
        public readonly LinkedListNode<Waiter> Node;
        public long Deadline;
        public CancellationTokenRegistration Registration;
        public Waiter? NextFree;

        public Waiter() => Node = new LinkedListNode<Waiter>(this);

        public ValueTask<PgConnector?> Task => new(this, _core.Version);
        public void Complete(PgConnector? connector) => _core.SetResult(connector);
        public void Fail(Exception exception) => _core.SetException(exception);
        public void Reset() => _core.Reset();

        /// <summary>
        /// An async open's continuation runs on the thread pool, never under the pool's lock. A synchronous open blocks
        /// a thread on the wait: its wake-up is run inline, so that it never needs a free thread-pool thread.
        /// </summary>
        public void ForAsyncOpen(bool async) => _core.RunContinuationsAsynchronously = async;

        public PgConnector? GetResult(short token) => _core.GetResult(token);
        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);
        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }

    /// <summary>Waiters ready for reuse (under <see cref="_lock"/>), at most <see cref="MaxFreeWaiters"/>.</summary>
    private Waiter? _freeWaiters;
    private int _freeWaiterCount;
    private const int MaxFreeWaiters = 64;

    public ConnectorPool(ConnectorSettings settings, PgTypeCatalog types, string name)
    {
        _settings = settings;
        _types = types;
        Name = name;
        _idle = new PgConnector?[settings.MaxPoolSize];
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
            int idle = 0;
            foreach (var slot in _idle)
                if (slot is not null) idle++;
            return new PgPoolStatistics(idle, Volatile.Read(ref _busy), Volatile.Read(ref _waiterCount),
                Interlocked.Read(ref _created), Interlocked.Read(ref _destroyed));
        }
    }

    /// <summary>Takes an idle connector out of its slot, lowest slot first (the most recently returned tend to sit there).</summary>
    private bool TryTakeIdle(out PgConnector connector)
    {
        var slots = _idle;
        for (int i = 0; i < slots.Length; i++)
        {
            var candidate = Volatile.Read(ref slots[i]);
            if (candidate is not null && Interlocked.CompareExchange(ref slots[i], null, candidate) == candidate)
            {
                connector = candidate;
                return true;
            }
        }
        connector = null!;
        return false;
    }

    private bool TryPutIdle(PgConnector connector)
    {
        var slots = _idle;
        for (int i = 0; i < slots.Length; i++)
            if (Volatile.Read(ref slots[i]) is null && Interlocked.CompareExchange(ref slots[i], connector, null) is null)
                return true;
        return false;
    }

    /// <summary>Takes <paramref name="connector"/> back out of the slot it was put in, if nobody has taken it since.</summary>
    private bool TryReclaim(PgConnector connector)
    {
        var slots = _idle;
        for (int i = 0; i < slots.Length; i++)
            if (ReferenceEquals(Volatile.Read(ref slots[i]), connector))
                return Interlocked.CompareExchange(ref slots[i], null, connector) == connector;
        return false;
    }

    /// <summary>A connector for one user: an idle sound one, a new one while under the maximum, or the next one returned.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<PgConnector> RentAsync(bool async, CancellationToken cancellationToken)
    {
        int timeoutSeconds = _settings.ConnectTimeoutSeconds;
        long deadline = timeoutSeconds > 0 ? Environment.TickCount64 + timeoutSeconds * 1000L : long.MaxValue;
        while (true)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (TryTakeIdle(out var idle))
            {
                Interlocked.Increment(ref _busy);
                if (await UsableAsync(idle, async).ConfigureAwait(false)) return idle;
                continue;
            }
            int total = Volatile.Read(ref _total);
            if (total < _settings.MaxPoolSize)
            {
                if (Interlocked.CompareExchange(ref _total, total + 1, total) != total) continue;
                Interlocked.Increment(ref _busy);
                return await CreateAsync(async, cancellationToken).ConfigureAwait(false);
            }

            // The slow path: wait for a returned connector, in the order of asking.
            Waiter? waiter = null;
            PgConnector? found = null;
            lock (_lock)
            {
                Interlocked.Increment(ref _waiterCount);
                // A connector returned (or room made) since the look above is taken now instead of waited for.
                if (TryTakeIdle(out var late)) found = late;
                else if (Volatile.Read(ref _total) >= _settings.MaxPoolSize)
                {
                    waiter = TakeFreeWaiter();
                    waiter.Deadline = deadline;
                    waiter.ForAsyncOpen(async);
                    _waiters.AddLast(waiter.Node);
                    if (!_waitTimerArmed && deadline != long.MaxValue)
                    {
                        _waitTimerArmed = true;
                        _waitTimer.Change(Math.Max(0, deadline - Environment.TickCount64), Timeout.Infinite);
                    }
                }
                if (waiter is null) Interlocked.Decrement(ref _waiterCount);
            }
            if (found is not null)
            {
                Interlocked.Increment(ref _busy);
                if (await UsableAsync(found, async).ConfigureAwait(false)) return found;
                continue;
            }
            if (waiter is null) continue; // room to open a new one appeared

            PgConnector? handed;
            RegisterCancellation(waiter, cancellationToken);
            try
            {
                handed = async ? await waiter.Task.ConfigureAwait(false) : waiter.Task.AsTask().GetAwaiter().GetResult();
            }
            finally
            {
                EndWait(waiter);
            }
            // A connector handed over was sound and reset-ready when its previous user returned it a moment ago.
            if (handed is not null) return handed;
            // Woken without a connector: one was destroyed and left room to open a new one. Try again.
        }
    }

    /// <summary>An idle connector just taken (and counted busy): sound and current, or destroyed.</summary>
    private async ValueTask<bool> UsableAsync(PgConnector connector, bool async)
    {
        if (connector.Pool.IsIdleAndSound() && connector.Pool.Generation == Volatile.Read(ref _generation) && !Expired(connector)) return true;
        Interlocked.Decrement(ref _busy);
        Interlocked.Decrement(ref _total);
        WakeOne();
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
                await connector.Internal.LoadTypesAsync(async, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await connector.CloseAsync(async).ConfigureAwait(false);
            Interlocked.Decrement(ref _total);
            Interlocked.Decrement(ref _busy);
            WakeOne();
            throw;
        }
        connector.Pool.Generation = Volatile.Read(ref _generation);
        Interlocked.Increment(ref _created);
        PoolMetrics.Created.Add(1, new KeyValuePair<string, object?>("pool", Name));
        return connector;
    }

    /// <summary>Lets <paramref name="cancellationToken"/> take a queued waiter out and fail it.</summary>
    private void RegisterCancellation(Waiter waiter, CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled) return;
        waiter.Registration = cancellationToken.UnsafeRegister(static (state, token) =>
        {
            var (pool, w) = ((ConnectorPool, Waiter))state!;
            if (pool.RemoveWaiter(w))
                w.Fail(new OperationCanceledException("Opening the connection was cancelled while it waited for a free pooled connection.", token));
        }, (this, waiter));
    }

    /// <summary>After the wait: once the registration is disposed no cancellation callback runs, so the waiter is free.</summary>
    private void EndWait(Waiter waiter)
    {
        waiter.Registration.Dispose();
        waiter.Registration = default;
        RecycleWaiter(waiter);
    }

    /// <summary>A waiter from the free list, or a new one; called under <see cref="_lock"/>.</summary>
    private Waiter TakeFreeWaiter()
    {
        if (_freeWaiters is not { } waiter) return new Waiter();
        _freeWaiters = waiter.NextFree;
        waiter.NextFree = null;
        _freeWaiterCount--;
        return waiter;
    }

    private void RecycleWaiter(Waiter waiter)
    {
        waiter.Reset();
        lock (_lock)
        {
            if (_freeWaiterCount >= MaxFreeWaiters) return;
            waiter.NextFree = _freeWaiters;
            _freeWaiters = waiter;
            _freeWaiterCount++;
        }
    }

    private bool RemoveWaiter(Waiter waiter)
    {
        lock (_lock)
        {
            if (waiter.Node.List is null) return false;
            _waiters.Remove(waiter.Node);
            Interlocked.Decrement(ref _waiterCount);
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
                Interlocked.Decrement(ref _waiterCount);
                (expired ??= new()).Add(first.Value);
            }
            busy = Volatile.Read(ref _busy);
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
            waiter.Fail(new PgPoolExhaustedException(
                $"The connection pool is exhausted: all {busy} connection(s) (Maximum Pool Size={_settings.MaxPoolSize}) " +
                $"stayed busy for the {waited} s this open waited (Timeout={waited}). Dispose connections as soon as " +
                "you are done with them, raise Maximum Pool Size, or raise Timeout."));
    }

    /// <summary>Takes a connector back: to the longest waiter, into an idle slot, or closed when it must not be reused.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask ReturnAsync(PgConnector connector, bool async)
    {
        try
        {
            if (!connector.IsBroken && connector.State == ConnectorState.Ready && !_disposed)
                await connector.Pool.ResetAsync(!_settings.NoResetOnClose, async).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // PoolUpkeep.ResetAsync breaks the connector on failure; nothing may stop the place coming back.
            connector.Break();
        }
        if (_disposed || connector.IsBroken || connector.State != ConnectorState.Ready || connector.Pool.Generation != Volatile.Read(ref _generation) || Expired(connector))
        {
            Interlocked.Decrement(ref _busy);
            Interlocked.Decrement(ref _total);
            WakeOne();
            await DestroyAsync(connector, async).ConfigureAwait(false);
            return;
        }
        if (Volatile.Read(ref _waiterCount) > 0 && HandToWaiter(connector)) return;
        Interlocked.Decrement(ref _busy);
        connector.Pool.IdleSince = Environment.TickCount64;
        if (!PutBackIdle(connector))
        {
            Interlocked.Decrement(ref _total);
            await DestroyAsync(connector, async).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Puts an idle (not busy) connector into a slot, then hands it to a waiter that registered meanwhile. False when
    /// no slot was free, which cannot happen while the total stays within Maximum Pool Size: the caller closes it.
    /// </summary>
    private bool PutBackIdle(PgConnector connector)
    {
        if (!TryPutIdle(connector)) return false;
        // An open may have registered as a waiter after the caller looked and before the connector was in its slot.
        if (Volatile.Read(ref _waiterCount) > 0 && TryReclaim(connector))
        {
            Interlocked.Increment(ref _busy);
            if (HandToWaiter(connector)) return true;
            Interlocked.Decrement(ref _busy);
            return TryPutIdle(connector);
        }
        return true;
    }

    /// <summary>Gives a busy connector to the longest waiter; false when nobody waits any more.</summary>
    private bool HandToWaiter(PgConnector connector) => WakeFirstWaiter(connector);

    /// <summary>Wakes the longest waiter without a connector: a place was freed, so it may open a new one.</summary>
    private void WakeOne()
    {
        if (Volatile.Read(ref _waiterCount) > 0) WakeFirstWaiter(null);
    }

    private bool WakeFirstWaiter(PgConnector? connector)
    {
        lock (_lock)
        {
            var first = _waiters.First;
            if (first is null) return false;
            _waiters.RemoveFirst();
            Interlocked.Decrement(ref _waiterCount);
            first.Value.Complete(connector);
            return true;
        }
    }

    private bool Expired(PgConnector connector) =>
        _settings.ConnectionLifetimeSeconds > 0 &&
        Environment.TickCount64 - connector.Pool.OpenedAt > _settings.ConnectionLifetimeSeconds * 1000L;

    private async ValueTask DestroyAsync(PgConnector connector, bool async)
    {
        Interlocked.Increment(ref _destroyed);
        PoolMetrics.Destroyed.Add(1, new KeyValuePair<string, object?>("pool", Name));
        await connector.CloseAsync(async).ConfigureAwait(false);
    }

    private int _pruning;

    /// <summary>Closes connectors idle longer than Connection Idle Lifetime (or found dead), keeping Minimum Pool Size.</summary>
    private void Prune()
    {
        // A slow prune (closing connections) must not overlap the next tick's.
        if (Interlocked.Exchange(ref _pruning, 1) == 1) return;
        try
        {
            long limit = Environment.TickCount64 - _settings.ConnectionIdleLifetimeSeconds * 1000L;
            var slots = _idle;
            // From the highest slot down: the low slots are reused first, so the high ones have been idle longest.
            for (int i = slots.Length - 1; i >= 0; i--)
            {
                var connector = Volatile.Read(ref slots[i]);
                // Taken out of its slot before it is looked at, so that no open can be using it meanwhile.
                if (connector is null || Interlocked.CompareExchange(ref slots[i], null, connector) != connector) continue;
                bool keep = connector.Pool.IdleSince >= limit && connector.Pool.IsIdleAndSound();
                if (keep || !TryLeaveAboveMinimum())
                {
                    if (PutBackIdle(connector)) continue;
                    Interlocked.Decrement(ref _total);
                }
                WakeOne();
                DestroyAsync(connector, async: false).GetAwaiter().GetResult();
            }
        }
        finally
        {
            Volatile.Write(ref _pruning, 0);
        }
    }

    /// <summary>Counts one connector out of the total unless that would take the pool below Minimum Pool Size.</summary>
    private bool TryLeaveAboveMinimum()
    {
        while (true)
        {
            int total = Volatile.Read(ref _total);
            if (total <= _settings.MinPoolSize) return false;
            if (Interlocked.CompareExchange(ref _total, total - 1, total) == total) return true;
        }
    }

    /// <summary>Closes the idle connectors now and the busy ones when they come back.</summary>
    public void Clear()
    {
        Interlocked.Increment(ref _generation);
        _settings.HostStatus.Clear();
        while (TryTakeIdle(out var connector))
        {
            Interlocked.Decrement(ref _total);
            WakeOne();
            DestroyAsync(connector, async: false).GetAwaiter().GetResult();
        }
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
            Interlocked.Exchange(ref _waiterCount, 0);
        }
        _pruneTimer.Dispose();
        _waitTimer.Dispose();
        PoolMetrics.Unregister(this);
        foreach (var waiter in waiters)
            waiter.Fail(new PgConnectionException("The data source was disposed while this open waited for a pooled connection."));
        Clear();
    }
}
