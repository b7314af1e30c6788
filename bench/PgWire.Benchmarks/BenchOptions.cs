using System.Globalization;

namespace PgWire.Benchmarks;

/// <summary>The command line: <c>[connection string] [--rounds N] [--seconds S] [--warmup S] [--only W1,W3] [--pgbench-seconds S] [--no-pgbench]</c>.</summary>
internal sealed class BenchOptions
{
    public string? ConnectionString { get; private set; }

    public int Rounds { get; private set; } = 7;

    public double SecondsPerRound { get; private set; } = 2;

    public double WarmupSeconds { get; private set; } = 1;

    public HashSet<string>? Only { get; private set; }

    public bool RunPgBench { get; private set; } = true;

    public int PgBenchSeconds { get; private set; } = 10;

    /// <summary>Extra keywords for PgWire's or Npgsql's connection string, for experiments (e.g. "No Reset On Close=true").</summary>
    public string PgWireSettings { get; private set; } = "";

    public string NpgsqlSettings { get; private set; } = "";

    public bool Includes(Workload workload) => Only is null ? !workload.OnRequest : Only.Contains(workload.Id.ToUpperInvariant());

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            switch (arg)
            {
                case "--rounds":
                    options.Rounds = int.Parse(Next(args, ref i, arg), CultureInfo.InvariantCulture);
                    if (options.Rounds < 1) throw new ArgumentException("--rounds must be at least 1.");
                    break;
                case "--seconds":
                    options.SecondsPerRound = double.Parse(Next(args, ref i, arg), CultureInfo.InvariantCulture);
                    if (options.SecondsPerRound <= 0) throw new ArgumentException("--seconds must be positive.");
                    break;
                case "--warmup":
                    options.WarmupSeconds = double.Parse(Next(args, ref i, arg), CultureInfo.InvariantCulture);
                    break;
                case "--only":
                    options.Only = Next(args, ref i, arg)
                        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(w => w.ToUpperInvariant())
                        .ToHashSet();
                    break;
                case "--pgbench-seconds":
                    options.PgBenchSeconds = int.Parse(Next(args, ref i, arg), CultureInfo.InvariantCulture);
                    if (options.PgBenchSeconds < 1) throw new ArgumentException("--pgbench-seconds must be at least 1.");
                    break;
                case "--pgwire-settings":
                    options.PgWireSettings = Next(args, ref i, arg);
                    break;
                case "--npgsql-settings":
                    options.NpgsqlSettings = Next(args, ref i, arg);
                    break;
                case "--no-pgbench":
                    options.RunPgBench = false;
                    break;
                case "-h" or "--help":
                    throw new ArgumentException(Usage);
                default:
                    if (arg.StartsWith("--", StringComparison.Ordinal) || options.ConnectionString is not null)
                        throw new ArgumentException($"Unknown argument '{arg}'.\n{Usage}");
                    options.ConnectionString = arg;
                    break;
            }
        }
        if (string.IsNullOrEmpty(options.ConnectionString))
            options.ConnectionString = Environment.GetEnvironmentVariable("PGWIRE_CONNECTION") is { Length: > 0 } fromEnv ? fromEnv : null;
        return options;
    }

    public const string Usage =
        "usage: dotnet run -c Release --project bench/PgWire.Benchmarks -- [connection string] " +
        "[--rounds N] [--seconds S] [--warmup S] [--only W1,W3] [--pgbench-seconds S] [--no-pgbench] [--pgwire-settings K=V;...] [--npgsql-settings K=V;...]\n" +
        "Without a connection string (argument or PGWIRE_CONNECTION) a throwaway server is started.";

    private static string Next(string[] args, ref int i, string name) =>
        ++i < args.Length ? args[i] : throw new ArgumentException($"{name} needs a value.");
}
