using System.Diagnostics;

namespace PgWire.Benchmarks;

/// <summary>PgWire's side of each workload, written the way an application would use its public API.</summary>
internal sealed class PgWireWorkloads(PgDataSource dataSource, ChecksumBook checksums)
{
    public const string Name = "PgWire";

    /// <summary>W1: <c>SELECT 1</c> through the native <see cref="PgConnection.QueryScalarAsync{T}(string, object?[])"/>.</summary>
    public async Task<WorkloadSession> SelectOneAsync()
    {
        var connection = await dataSource.OpenConnectionAsync();
        return new WorkloadSession(async deadline =>
        {
            long ops = 0;
            do
            {
                if (await connection.QueryScalarAsync<int>("SELECT 1") != 1) throw new InvalidOperationException("SELECT 1 was not 1");
                ops++;
            }
            while (Stopwatch.GetTimestamp() < deadline);
            return ops;
        }, dispose: connection.DisposeAsync) { ServerProcessId = connection.ProcessId };
    }

    /// <summary>W1 through the ADO.NET surface, a reused <see cref="PgCommand"/>; kept to compare the two surfaces.</summary>
    public async Task<WorkloadSession> SelectOneCommandAsync()
    {
        var connection = await dataSource.OpenConnectionAsync();
        var command = new PgCommand("SELECT 1", connection);
        return new WorkloadSession(async deadline =>
        {
            long ops = 0;
            do
            {
                if ((int)(await command.ExecuteScalarAsync())! != 1) throw new InvalidOperationException("SELECT 1 was not 1");
                ops++;
            }
            while (Stopwatch.GetTimestamp() < deadline);
            return ops;
        }, dispose: async () => { await command.DisposeAsync(); await connection.DisposeAsync(); }) { ServerProcessId = connection.ProcessId };
    }

    /// <summary>W2: a reused command with one parameter, a random id per lookup, all three columns read.</summary>
    public Task<WorkloadSession> PointLookupAsync() => PointLookupAsync(BenchData.LookupSql, parameterName: null);

    /// <summary>W2n: W2 written with a named placeholder (@id), the parameter bound by its name.</summary>
    public Task<WorkloadSession> NamedPointLookupAsync() => PointLookupAsync(BenchData.NamedLookupSql, parameterName: "id");

    private async Task<WorkloadSession> PointLookupAsync(string sql, string? parameterName)
    {
        var connection = await dataSource.OpenConnectionAsync();
        var command = new PgCommand(sql, connection);
        var id = new PgParameter<int>();
        if (parameterName is not null) id.ParameterName = parameterName;
        command.Parameters.Add(id);
        var random = new Random(42);
        return new WorkloadSession(async deadline =>
        {
            long ops = 0, found = 0, touched = 0;
            do
            {
                id.TypedValue = random.Next(1, BenchData.LookupRows + 1);
                await using (var reader = await command.ExecuteReaderAsync())
                {
                    while (await reader.ReadAsync())
                    {
                        touched += Sink.Touch(reader.GetInt32(0), reader.GetString(1), reader.GetBoolean(2));
                        found++;
                    }
                }
                ops++;
            }
            while (Stopwatch.GetTimestamp() < deadline);
            Sink.Finish(ops, found, touched);
            return ops;
        }, dispose: async () => { await command.DisposeAsync(); await connection.DisposeAsync(); }) { ServerProcessId = connection.ProcessId };
    }

    /// <summary>W6: a reused batch of <see cref="NpgsqlWorkloads.InsertsPerBatch"/> parameterized INSERTs; units are rows inserted.</summary>
    public async Task<WorkloadSession> InsertBatchAsync()
    {
        var connection = await dataSource.OpenConnectionAsync();
        var batch = new PgBatch(connection);
        for (int i = 0; i < NpgsqlWorkloads.InsertsPerBatch; i++)
        {
            var insert = new PgBatchCommand(BenchData.InsertSql);
            insert.Parameters.Add(new PgParameter());
            insert.Parameters.Add(new PgParameter());
            insert.Parameters.Add(new PgParameter());
            batch.BatchCommands.Add(insert);
        }
        return new WorkloadSession(async deadline =>
        {
            long rows = 0;
            do
            {
                for (int i = 0; i < NpgsqlWorkloads.InsertsPerBatch; i++)
                {
                    var parameters = batch.BatchCommands[i].Parameters;
                    parameters[0].Value = i;
                    parameters[1].Value = InsertNames.Get(i);
                    parameters[2].Value = i % 2 == 0;
                }
                rows += await batch.ExecuteNonQueryAsync();
            }
            while (Stopwatch.GetTimestamp() < deadline);
            return rows;
        }, beforeRound: () => TruncateAsync(connection), dispose: async () => { await batch.DisposeAsync(); await connection.DisposeAsync(); }) { ServerProcessId = connection.ProcessId };
    }

    private static async Task TruncateAsync(PgConnection connection, string table = "bench_insert") =>
        await connection.ExecuteAsync("TRUNCATE " + table);

    /// <summary>W4: binary COPY of <see cref="CopyData.Rows"/> rows of W3's shape into bench_copy; units are rows.</summary>
    public async Task<WorkloadSession> BinaryCopyAsync()
    {
        var connection = await dataSource.OpenConnectionAsync();
        var values = CopyData.Values;
        return new WorkloadSession(async deadline =>
        {
            long rows = 0;
            do
            {
                await using (var importer = await connection.BeginBinaryImportAsync(CopyData.ImportSql))
                {
                    foreach (var r in values)
                    {
                        await importer.StartRowAsync();
                        await importer.WriteAsync(r.Int4);
                        await importer.WriteAsync(r.Int8);
                        await importer.WriteAsync(r.Text);
                        await importer.WriteAsync(r.Bool);
                        await importer.WriteAsync(r.Float8);
                        await importer.WriteAsync(r.At);
                        await importer.WriteAsync(r.Numeric);
                        await importer.WriteAsync(r.Uuid);
                    }
                    rows += (long)await importer.CompleteAsync();
                }
            }
            while (Stopwatch.GetTimestamp() < deadline);
            return rows;
        }, beforeRound: () => TruncateAsync(connection, "bench_copy"), dispose: connection.DisposeAsync) { ServerProcessId = connection.ProcessId };
    }

    /// <summary>W4e: binary COPY of bench_copy_out's <see cref="CopyData.Rows"/> rows out, every value read typed; units are rows.</summary>
    public async Task<WorkloadSession> BinaryExportAsync()
    {
        var connection = await dataSource.OpenConnectionAsync();
        return new WorkloadSession(async deadline =>
        {
            long rows = 0;
            do
            {
                ulong sum = 0;
                long read = 0;
                await using (var exporter = await connection.BeginBinaryExportAsync(CopyData.ExportSql))
                {
                    while (await exporter.StartRowAsync() != -1)
                    {
                        sum += WideRowChecksum.Row(exporter.Read<int>(), exporter.Read<long>(), exporter.Read<string>(), exporter.Read<bool>(),
                            exporter.Read<double>(), exporter.Read<DateTime>(), exporter.Read<decimal>(), exporter.Read<Guid>());
                        read++;
                    }
                }
                CopyData.ExportChecksums.Record(Name, sum, read);
                rows += read;
            }
            while (Stopwatch.GetTimestamp() < deadline);
            return rows;
        }, dispose: connection.DisposeAsync) { ServerProcessId = connection.ProcessId };
    }

    /// <summary>
    /// W8: point lookups on one connection where every SQL text is new to the connection (a counter in a comment), so
    /// neither driver can prepare or reuse a description: the cost of a statement's first execution.
    /// </summary>
    public async Task<WorkloadSession> NewStatementLookupAsync()
    {
        var connection = await dataSource.OpenConnectionAsync();
        var random = new Random(42);
        long serial = 0;
        return new WorkloadSession(async deadline =>
        {
            long ops = 0, found = 0, touched = 0;
            do
            {
                await using (var command = new PgCommand(BenchData.NewLookupSql(Interlocked.Increment(ref serial)), connection))
                {
                    command.Parameters.Add(new PgParameter<int> { TypedValue = random.Next(1, BenchData.LookupRows + 1) });
                    await using var reader = await command.ExecuteReaderAsync();
                    while (await reader.ReadAsync())
                    {
                        touched += Sink.Touch(reader.GetInt32(0), reader.GetString(1), reader.GetBoolean(2));
                        found++;
                    }
                }
                ops++;
            }
            while (Stopwatch.GetTimestamp() < deadline);
            Sink.Finish(ops, found, touched);
            return ops;
        }, dispose: connection.DisposeAsync) { ServerProcessId = connection.ProcessId };
    }

    /// <summary>W3: the whole 100,000-row table, every value through its typed getter; units are rows.</summary>
    public async Task<WorkloadSession> WideReadAsync()
    {
        var connection = await dataSource.OpenConnectionAsync();
        var command = new PgCommand(BenchData.WideSql, connection);
        return new WorkloadSession(async deadline =>
        {
            long rows = 0;
            do
            {
                ulong sum = 0;
                long read = 0;
                await using (var reader = await command.ExecuteReaderAsync())
                {
                    while (await reader.ReadAsync())
                    {
                        sum += WideRowChecksum.Row(reader.GetInt32(0), reader.GetInt64(1), reader.GetString(2), reader.GetBoolean(3),
                            reader.GetDouble(4), reader.GetFieldValue<DateTime>(5), reader.GetDecimal(6), reader.GetGuid(7));
                        read++;
                    }
                }
                checksums.Record(Name, sum, read);
                rows += read;
            }
            while (Stopwatch.GetTimestamp() < deadline);
            return rows;
        }, dispose: async () => { await command.DisposeAsync(); await connection.DisposeAsync(); }) { ServerProcessId = connection.ProcessId };
    }

    /// <summary>W5: <paramref name="tasks"/> tasks, each opening a pooled connection per lookup.</summary>
    public Task<WorkloadSession> PooledLookupsAsync(int tasks) => Task.FromResult(new WorkloadSession(async deadline =>
    {
        var loops = new Task<long>[tasks];
        for (int t = 0; t < tasks; t++)
        {
            var random = new Random(1000 + t);
            loops[t] = Task.Run(() => OpenLookupCloseAsync(random, deadline));
        }
        return (await Task.WhenAll(loops)).Sum();
    }));

    /// <summary>W7: open, look up, close, one after the other on one task (the web request pattern).</summary>
    public Task<WorkloadSession> OpenLookupCloseAsync()
    {
        var random = new Random(42);
        return Task.FromResult(new WorkloadSession(deadline => OpenLookupCloseAsync(random, deadline)));
    }

    private async Task<long> OpenLookupCloseAsync(Random random, long deadline)
    {
        long ops = 0, found = 0, touched = 0;
        do
        {
            await using (var connection = await dataSource.OpenConnectionAsync())
            await using (var command = new PgCommand(BenchData.LookupSql, connection))
            {
                command.Parameters.Add(new PgParameter<int>(random.Next(1, BenchData.LookupRows + 1)));
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    touched += Sink.Touch(reader.GetInt32(0), reader.GetString(1), reader.GetBoolean(2));
                    found++;
                }
            }
            ops++;
        }
        while (Stopwatch.GetTimestamp() < deadline);
        Sink.Finish(ops, found, touched);
        return ops;
    }
}
