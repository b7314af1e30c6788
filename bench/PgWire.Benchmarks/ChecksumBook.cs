using System.Collections.Concurrent;

namespace PgWire.Benchmarks;

/// <summary>
/// Records W3's checksum per driver and fails loudly the moment any read of the table (by either driver)
/// disagrees with the first one: a fast driver that reads wrong values is not fast.
/// </summary>
internal sealed class ChecksumBook
{
    private readonly ConcurrentDictionary<string, (ulong Sum, long Rows)> _byDriver = new();
    private (string Driver, ulong Sum, long Rows)? _first;
    private readonly Lock _lock = new();

    public void Record(string driver, ulong sum, long rows)
    {
        lock (_lock)
        {
            _first ??= (driver, sum, rows);
            var first = _first.Value;
            if (sum != first.Sum || rows != first.Rows)
                throw new InvalidOperationException(
                    $"CHECKSUM MISMATCH: {driver} read {rows:N0} rows with checksum {sum:X16}, " +
                    $"but {first.Driver} read {first.Rows:N0} rows with checksum {first.Sum:X16}.");
            _byDriver[driver] = (sum, rows);
        }
    }

    public IReadOnlyDictionary<string, (ulong Sum, long Rows)> ByDriver => _byDriver;
}
