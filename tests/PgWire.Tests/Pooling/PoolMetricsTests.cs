using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using PgWire.LocalServer;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Pooling;

/// <summary>
/// The pool figures published through System.Diagnostics.Metrics (meter "PgWire"): gauges pgwire.pool.idle, .busy and
/// .waiting, counters pgwire.pool.created and .destroyed, each tagged "pool" with the data source's name. Each test
/// uses a database of its own, so that no other test's pool can report under the same name.
/// </summary>
[Collection("Database")]
public sealed class PoolMetricsTests(DatabaseFixture db) : IAsyncLifetime
{
    private readonly string _database = "pgwire_metrics_" + Guid.NewGuid().ToString("N")[..10];

    private readonly ConcurrentQueue<(string Instrument, long Value, string? Pool)> _measurements = new();
    private readonly MeterListener _listener = new();
    private PgDataSource _dataSource = null!;

    public async Task InitializeAsync()
    {
        await db.Server.RunSqlAsync($"DROP DATABASE IF EXISTS {_database}");
        // From template0: pooled connections of other tests may sit idle in template1, and CREATE DATABASE refuses to
        // copy a database others are connected to.
        await db.Server.RunSqlAsync($"CREATE DATABASE {_database} TEMPLATE template0");
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "PgWire" && instrument.Name.StartsWith("pgwire.pool.", StringComparison.Ordinal))
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
        _dataSource = PgDataSource.Create(
            $"{db.Server.ConnectionStringFor(LocalPostgresRole.Superuser, _database)};Application Name={PoolingTestSupport.NewApplicationName("metrics")}");
    }

    public async Task DisposeAsync()
    {
        _listener.Dispose();
        await _dataSource.DisposeAsync();
        await db.Server.RunSqlAsync($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
    }

    private void Record(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? pool = null;
        foreach (var tag in tags)
            if (tag.Key == "pool") pool = tag.Value as string;
        _measurements.Enqueue((instrument.Name, value, pool));
    }

    /// <summary>The gauges' current values for this test's pool.</summary>
    private Dictionary<string, long> ObserveGauges()
    {
        _measurements.Clear();
        _listener.RecordObservableInstruments();
        return _measurements.Where(m => m.Pool == _dataSource.Name).ToDictionary(m => m.Instrument, m => m.Value);
    }

    private long CounterTotal(string instrument) =>
        _measurements.Where(m => m.Instrument == instrument && m.Pool == _dataSource.Name).Sum(m => m.Value);

    [Fact]
    public async Task The_idle_busy_and_waiting_gauges_report_the_pool()
    {
        await using var busy = await _dataSource.OpenConnectionAsync();
        await using (await _dataSource.OpenConnectionAsync()) { }

        var gauges = ObserveGauges();

        Assert.Equal(1, gauges["pgwire.pool.idle"]);
        Assert.Equal(1, gauges["pgwire.pool.busy"]);
        Assert.Equal(0, gauges["pgwire.pool.waiting"]);
    }

    [Fact]
    public async Task The_created_counter_counts_each_physical_connection_once()
    {
        await using (var first = await _dataSource.OpenConnectionAsync())
        await using (var second = await _dataSource.OpenConnectionAsync()) { }
        await using (await _dataSource.OpenConnectionAsync()) { }

        Assert.Equal(2, CounterTotal("pgwire.pool.created"));
    }

    [Fact]
    public async Task The_destroyed_counter_counts_the_connections_a_clear_closed()
    {
        await using (var first = await _dataSource.OpenConnectionAsync())
        await using (var second = await _dataSource.OpenConnectionAsync()) { }

        _dataSource.Clear();

        Assert.Equal(2, CounterTotal("pgwire.pool.destroyed"));
    }

    [Fact]
    public async Task The_metrics_agree_with_Statistics()
    {
        await using var busy = await _dataSource.OpenConnectionAsync();
        await using (await _dataSource.OpenConnectionAsync()) { }

        var gauges = ObserveGauges();
        var statistics = _dataSource.Statistics;

        Assert.Equal(statistics.Idle, gauges["pgwire.pool.idle"]);
        Assert.Equal(statistics.Busy, gauges["pgwire.pool.busy"]);
        Assert.Equal(statistics.Waiting, gauges["pgwire.pool.waiting"]);
    }

    [Fact]
    public async Task A_disposed_data_source_no_longer_reports_gauges()
    {
        string name = _dataSource.Name;
        await using (await _dataSource.OpenConnectionAsync()) { }

        await _dataSource.DisposeAsync();
        _measurements.Clear();
        _listener.RecordObservableInstruments();

        Assert.DoesNotContain(_measurements, m => m.Pool == name);
    }

    [Fact]
    public async Task Data_sources_with_different_connection_strings_report_under_different_pool_tags()
    {
        await using var other = PgDataSource.Create(
            $"{db.Server.ConnectionStringFor(LocalPostgresRole.Superuser, _database)};Application Name={PoolingTestSupport.NewApplicationName("metrics")}");
        await using var busyHere = await _dataSource.OpenConnectionAsync();
        await using var busyThere = await other.OpenConnectionAsync();
        await using (await other.OpenConnectionAsync()) { }

        _measurements.Clear();
        _listener.RecordObservableInstruments();
        var busyByPool = _measurements.Where(m => m.Instrument == "pgwire.pool.busy" && (m.Pool == _dataSource.Name || m.Pool == other.Name)).ToList();

        Assert.Equal(2, busyByPool.Select(m => m.Pool).Distinct().Count());
    }
}
