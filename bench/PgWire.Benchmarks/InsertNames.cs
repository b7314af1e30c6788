namespace PgWire.Benchmarks;

/// <summary>The names the insert workloads write, made once so the rounds measure the driver, not string formatting.</summary>
internal static class InsertNames
{
    private static readonly string[] s_names = Enumerable.Range(0, 10_000).Select(i => $"inserted name {i}").ToArray();

    public static string Get(int i) => s_names[i % s_names.Length];
}
