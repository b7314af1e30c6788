using Npgsql;
using NpgsqlTypes;
using System.Diagnostics;

namespace PgWire.Benchmarks;

/// <summary>Npgsql's side of each workload, line for line the same as PgWire's (see <see cref="PgWireWorkloads"/>), plus W4 and W6 that PgWire cannot run yet.</summary>
internal sealed class NpgsqlWorkloads(NpgsqlDataSource dataSource, ChecksumBook checksums)
{
    public const string Name = "Npgsql";

    public const int InsertsPerBatch = 100;

    /// <summary>W1: <c>SELECT 1</c> through a reused <see cref="NpgsqlCommand"/> (auto-prepared after its second use).</summary>
    public async Task<WorkloadSession> SelectOneAsync()
    {
        var connection = await dataSource.OpenConnectionAsync();
        var command = new NpgsqlCommand("SELECT 1", connection);
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
        }, dispose: async () => { await command.DisposeAsync(); await connection.DisposeAsync(); }) { ServerProcessId = connection.ProcessID };
    }

    /// <summary>W2: a reused command with one parameter, a random id per lookup, all three columns read.</summary>
    public Task<WorkloadSession> PointLookupAsync() => PointLookupAsync(BenchData.LookupSql, parameterName: null);

    /// <summary>W2n: W2 written with a named placeholder (@id), the parameter bound by its name.</summary>
    public Task<WorkloadSession> NamedPointLookupAsync() => PointLookupAsync(BenchData.NamedLookupSql, parameterName: "id");

    private async Task<WorkloadSession> PointLookupAsync(string sql, string? parameterName)
    {
        var connection = await dataSource.OpenConnectionAsync();
        var command = new NpgsqlCommand(sql, connection);
        var id = new NpgsqlParameter<int>();
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
        }, dispose: async () => { await command.DisposeAsync(); await connection.DisposeAsync(); }) { ServerProcessId = connection.ProcessID };
    }

    /// <summary>W3: the whole 100,000-row table, every value through its typed getter; units are rows.</summary>
    public async Task<WorkloadSession> WideReadAsync()
    {
        var connection = await dataSource.OpenConnectionAsync();
        var command = new NpgsqlCommand(BenchData.WideSql, connection);
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
        }, dispose: async () => { await command.DisposeAsync(); await connection.DisposeAsync(); }) { ServerProcessId = connection.ProcessID };
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
            await using (var command = new NpgsqlCommand(BenchData.LookupSql, connection))
            {
                command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = random.Next(1, BenchData.LookupRows + 1) });
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
                await using (var writer = await connection.BeginBinaryImportAsync(CopyData.ImportSql))
                {
                    foreach (var r in values)
                    {
                        await writer.StartRowAsync();
                        await writer.WriteAsync(r.Int4, NpgsqlDbType.Integer);
                        await writer.WriteAsync(r.Int8, NpgsqlDbType.Bigint);
                        await writer.WriteAsync(r.Text, NpgsqlDbType.Text);
                        await writer.WriteAsync(r.Bool, NpgsqlDbType.Boolean);
                        await writer.WriteAsync(r.Float8, NpgsqlDbType.Double);
                        await writer.WriteAsync(r.At, NpgsqlDbType.TimestampTz);
                        await writer.WriteAsync(r.Numeric, NpgsqlDbType.Numeric);
                        await writer.WriteAsync(r.Uuid, NpgsqlDbType.Uuid);
                    }
                    rows += (long)await writer.CompleteAsync();
                }
            }
            while (Stopwatch.GetTimestamp() < deadline);
            return rows;
        }, beforeRound: () => TruncateAsync(connection, "bench_copy"), dispose: connection.DisposeAsync) { ServerProcessId = connection.ProcessID };
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
                await using (var reader = await connection.BeginBinaryExportAsync(CopyData.ExportSql))
                {
                    while (await reader.StartRowAsync() != -1)
                    {
                        sum += WideRowChecksum.Row(reader.Read<int>(NpgsqlDbType.Integer), reader.Read<long>(NpgsqlDbType.Bigint),
                            reader.Read<string>(NpgsqlDbType.Text), reader.Read<bool>(NpgsqlDbType.Boolean), reader.Read<double>(NpgsqlDbType.Double),
                            reader.Read<DateTime>(NpgsqlDbType.TimestampTz), reader.Read<decimal>(NpgsqlDbType.Numeric), reader.Read<Guid>(NpgsqlDbType.Uuid));
                        read++;
                    }
                }
                CopyData.ExportChecksums.Record(Name, sum, read);
                rows += read;
            }
            while (Stopwatch.GetTimestamp() < deadline);
            return rows;
        }, dispose: connection.DisposeAsync) { ServerProcessId = connection.ProcessID };
    }

    /// <summary>W8: point lookups where every SQL text is new to the connection; see PgWire's side.</summary>
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
                await using (var command = new NpgsqlCommand(BenchData.NewLookupSql(Interlocked.Increment(ref serial)), connection))
                {
                    command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = random.Next(1, BenchData.LookupRows + 1) });
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
        }, dispose: connection.DisposeAsync) { ServerProcessId = connection.ProcessID };
    }

    /// <summary>W6: a reused batch of <see cref="InsertsPerBatch"/> parameterized INSERTs; units are rows inserted.</summary>
    public async Task<WorkloadSession> InsertBatchAsync()
    {
        var connection = await dataSource.OpenConnectionAsync();
        var batch = new NpgsqlBatch(connection);
        for (int i = 0; i < InsertsPerBatch; i++)
        {
            var insert = new NpgsqlBatchCommand(BenchData.InsertSql);
            insert.Parameters.Add(new NpgsqlParameter());
            insert.Parameters.Add(new NpgsqlParameter());
            insert.Parameters.Add(new NpgsqlParameter());
            batch.BatchCommands.Add(insert);
        }
        return new WorkloadSession(async deadline =>
        {
            long rows = 0;
            do
            {
                for (int i = 0; i < InsertsPerBatch; i++)
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
        }, beforeRound: () => TruncateAsync(connection), dispose: async () => { await batch.DisposeAsync(); await connection.DisposeAsync(); }) { ServerProcessId = connection.ProcessID };
    }

    private static async Task TruncateAsync(NpgsqlConnection connection, string table = "bench_insert")
    {
        await using var truncate = new NpgsqlCommand("TRUNCATE " + table, connection);
        await truncate.ExecuteNonQueryAsync();
    }
}
