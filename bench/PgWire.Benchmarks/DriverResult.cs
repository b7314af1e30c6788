namespace PgWire.Benchmarks;

/// <summary>A driver's rounds of one workload, summarized by medians; null rounds mean the driver could not run it.</summary>
internal sealed class DriverResult(string driver, IReadOnlyList<RoundResult>? rounds)
{
    public string Driver { get; } = driver;

    public IReadOnlyList<RoundResult>? Rounds { get; } = rounds;

    public bool Ran => Rounds is { Count: > 0 };

    public double MedianRate => Median(r => r.UnitsPerSecond);

    public double MinRate => Rounds!.Min(r => r.UnitsPerSecond);

    public double MaxRate => Rounds!.Max(r => r.UnitsPerSecond);

    public double MedianCpuMsPerThousand => Median(r => r.CpuMsPerThousand);

    public double MedianBytesPerUnit => Median(r => r.BytesPerUnit);

    /// <summary>The median share of the rounds the server backend was busy, or null when it could not be read.</summary>
    public double? MedianServerBusy =>
        Ran && Rounds!.All(r => r.ServerBusy is not null) ? Median(Rounds!.Select(r => r.ServerBusy!.Value)) : null;

    private double Median(Func<RoundResult, double> metric) => Median(Rounds!.Select(metric));

    public static double Median(IEnumerable<double> source)
    {
        var values = source.Order().ToArray();
        int mid = values.Length / 2;
        return values.Length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}
