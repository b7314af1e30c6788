// PgWire against Npgsql on the same server in one run; see docs/benchmarks.md.
// dotnet run -c Release --project bench/PgWire.Benchmarks [-- connection string] [--rounds N] [--seconds S] [--only W1,W3]
using System.Diagnostics;
using System.Globalization;
using Npgsql;
using PgWire;
using PgWire.Benchmarks;
using PgWire.LocalServer;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var total = Stopwatch.StartNew();
LocalPostgres? server = null;
try
{
    string connectionString;
    if (options.ConnectionString is { } given)
    {
        connectionString = given;
    }
    else
    {
        Console.WriteLine("No connection string given (argument or PGWIRE_CONNECTION): starting a throwaway PostgreSQL server...");
        server = await LocalPostgres.StartAsync();
        connectionString = server.ConnectionString;
    }

    string serverVersion;
    await using (var probe = new PgConnection(ConnectionStrings.With(connectionString, ("Pooling", "false"))))
    {
        await probe.OpenAsync();
        serverVersion = await probe.QueryScalarAsync<string>("SHOW server_version") ?? "?";
    }
    string machine = MachineInfo.Describe(serverVersion);
    Console.WriteLine(machine);
    string loadAtStart = MachineInfo.LoadAverage();
    Console.WriteLine($"At start: {loadAtStart}");
    Console.WriteLine($"Rounds: {options.Rounds} x {options.SecondsPerRound} s per driver and workload, warm-up {options.WarmupSeconds} s.");

    Console.Write("Creating bench_data (10,000 rows) and bench_wide (100,000 rows)... ");
    var setup = Stopwatch.StartNew();
    await BenchData.CreateAsync(connectionString);
    Console.WriteLine($"{setup.ElapsedMilliseconds} ms");

    // The same pool size for both; Npgsql with automatic preparation, its fastest setting; PgWire as it comes.
    string pgWireConnectionString = ConnectionStrings.With(connectionString, ("Maximum Pool Size", "32")) +
        (options.PgWireSettings.Length > 0 ? ";" + options.PgWireSettings : "");
    string npgsqlConnectionString = ConnectionStrings.With(connectionString,
        ("Maximum Pool Size", "32"), ("Max Auto Prepare", "20"), ("Auto Prepare Min Usages", "2")) +
        (options.NpgsqlSettings.Length > 0 ? ";" + options.NpgsqlSettings : "");

    var checksums = new ChecksumBook();
    var results = new List<WorkloadResult>();
    await using (var pgWireSource = PgDataSource.Create(pgWireConnectionString))
    await using (var npgsqlSource = NpgsqlDataSource.Create(npgsqlConnectionString))
    {
        var pgWire = new PgWireWorkloads(pgWireSource, checksums);
        var npgsql = new NpgsqlWorkloads(npgsqlSource, checksums);
        const int Tasks = 64;
        Workload[] workloads =
        [
            new("W1", "SELECT 1, one connection", "query", pgWire.SelectOneAsync, npgsql.SelectOneAsync),
            // The same SELECT 1 through PgWire's ADO.NET command (W1 uses its faster native QueryScalarAsync).
            new("W1a", "SELECT 1, one connection, ADO.NET ExecuteScalarAsync on both", "query",
                pgWire.SelectOneCommandAsync, npgsql.SelectOneAsync, OnRequest: true),
            new("W2", "point lookup, one connection, reused command", "query", pgWire.PointLookupAsync, npgsql.PointLookupAsync),
            // W2 with @id bound by name, to weigh the rewrite of named placeholders against W2 in the same run.
            new("W2n", "point lookup as W2, written with @id", "query", pgWire.NamedPointLookupAsync, npgsql.NamedPointLookupAsync,
                OnRequest: true),
            new("W3", "read 100,000 rows x 8 columns", "row", pgWire.WideReadAsync, npgsql.WideReadAsync),
            new("W4", $"binary COPY import of {CopyData.Rows:N0} rows x 8 columns (W3's shape)", "row", pgWire.BinaryCopyAsync, npgsql.BinaryCopyAsync),
            new("W4e", $"binary COPY export of {CopyData.Rows:N0} rows x 8 columns (W3's shape)", "row", pgWire.BinaryExportAsync, npgsql.BinaryExportAsync),
            new("W5", $"point lookup, {Tasks} tasks, open/close per query, pool of 32", "query",
                () => pgWire.PooledLookupsAsync(Tasks), () => npgsql.PooledLookupsAsync(Tasks)),
            new("W6", $"batch of {NpgsqlWorkloads.InsertsPerBatch} INSERTs", "row", pgWire.InsertBatchAsync, npgsql.InsertBatchAsync),
            new("W7", "open, point lookup, close; one task", "query", pgWire.OpenLookupCloseAsync, npgsql.OpenLookupCloseAsync),
            new("W8", "point lookup, one connection, every SQL text new to it", "query", pgWire.NewStatementLookupAsync, npgsql.NewStatementLookupAsync),
        ];
        // The C clients' rate in the same rounds: the ceiling the server allows for W6 and W4e at that moment.
        if (options.RunPgBench && PgBench.Locate(server?.BinDirectory) is { } cClientPgBench)
        {
            int roundSeconds = Math.Max(1, (int)Math.Round(options.SecondsPerRound));
            var pgBench = new PgBench(cClientPgBench, connectionString, roundSeconds);
            for (int i = 0; i < workloads.Length; i++)
            {
                if (workloads[i].Id == "W6")
                    workloads[i] = workloads[i] with { CClient = new CClientRun("pgbench, W6's batch pipelined", pgBench.InsertBatchRoundAsync) };
                if (workloads[i].Id == "W4e" && PsqlCopyExport.Locate(cClientPgBench) is { } psql)
                {
                    var export = new PsqlCopyExport(psql, connectionString);
                    workloads[i] = workloads[i] with
                    {
                        CClient = new CClientRun($"psql, data to /dev/null, median of {PsqlCopyExport.RoundRuns}",
                            async () => await export.RunAsync(PsqlCopyExport.RoundRuns) is { } rate ? new CClientRound(rate) : null),
                    };
                }
            }
        }
        var runner = new BenchRunner(options);
        foreach (var workload in workloads.Where(w => options.Includes(w)))
            results.Add(await runner.RunAsync(workload));
    }
    // Both pools are closed now, so pgbench's 64 clients have the server to themselves.
    NpgsqlConnection.ClearAllPools();
    PgConnection.ClearAllPools();

    IReadOnlyList<(string Run, double? Tps)> pgBenchResults = [];
    if (options.RunPgBench && PgBench.Locate(server?.BinDirectory) is { } pgBenchPath)
    {
        Console.WriteLine();
        Console.WriteLine($"pgbench ({pgBenchPath}), {options.PgBenchSeconds} s per run...");
        var cClients = new List<(string Run, double? Tps)>(await new PgBench(pgBenchPath, connectionString, options.PgBenchSeconds).RunAllAsync());
        if (PsqlCopyExport.Locate(pgBenchPath) is { } psqlPath)
        {
            var export = new PsqlCopyExport(psqlPath, connectionString);
            cClients.Add((export.Label, await export.RunAsync()));
        }
        pgBenchResults = cClients;
        foreach (var (run, tps) in pgBenchResults)
            Console.WriteLine($"  {run,-62} tps = {tps:N0}");
    }
    else if (options.RunPgBench)
    {
        Console.WriteLine("pgbench not found: skipped.");
    }

    Console.WriteLine();
    Console.WriteLine("## Summary");
    Console.WriteLine();
    Console.Write(Report.Markdown(machine, options, results, pgBenchResults, checksums));
    Console.WriteLine();
    Console.WriteLine($"Machine load: {loadAtStart} at start, {MachineInfo.LoadAverage()} at the end (the run itself adds about 2; more means other work shared the cores).");
    Console.WriteLine();
    Console.WriteLine($"Total time: {total.Elapsed.TotalSeconds:N0} s");
    return 0;
}
catch (InvalidOperationException e) when (e.Message.StartsWith("CHECKSUM MISMATCH", StringComparison.Ordinal))
{
    Console.Error.WriteLine();
    Console.Error.WriteLine("!!! " + e.Message);
    return 1;
}
finally
{
    if (server is not null) await server.DisposeAsync();
}
