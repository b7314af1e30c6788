using System.Data;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Copy;

/// <summary>
/// Binary COPY in both directions on a real server: rows written through PgBinaryImporter come back equal through
/// PgBinaryExporter, every failure half way leaves none of the rows, and the connection is usable or closed as it should be.
/// </summary>
[Collection("Database")]
public sealed class BinaryCopyTests(DatabaseFixture db) : IAsyncLifetime
{
    private PgConnection _conn = null!;
    private readonly string _table = "copy_" + Guid.NewGuid().ToString("N")[..10];

    public async Task InitializeAsync()
    {
        _conn = await db.OpenAsync();
        await _conn.ExecuteAsync(Text(
            $"CREATE TABLE {_table} (id int8 PRIMARY KEY, name text, at timestamptz, amount numeric, doc jsonb, key uuid, numbers int4[], data bytea)"));
    }

    public async Task DisposeAsync()
    {
        await using var cleanup = await db.OpenAsync();
        await cleanup.ExecuteAsync(Text($"DROP TABLE IF EXISTS {_table}"));
        await _conn.DisposeAsync();
    }

    /// <summary>A text built by interpolation, run as it is (not as the native API's parameters).</summary>
    private static string Text(string sql) => sql;

    private string CopyIn => $"COPY {_table} (id, name, at, amount, doc, key, numbers, data) FROM STDIN (FORMAT binary)";

    private Task<long> CountAsync(PgConnection? conn = null) =>
        (conn ?? _conn).QueryScalarAsync<long>(Text($"SELECT count(*) FROM {_table}")).AsTask();

    private static readonly DateTime Epoch = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    // The values of row i; every 7th row has NULL in each nullable column.
    private static string? Name(long i) => i % 7 == 3 ? null : i % 5 == 0 ? $"ünïcode \"{i}\", tab\t" : "row " + i;
    private static DateTime? At(long i) => i % 7 == 4 ? null : Epoch.AddTicks(i * 10_000_010L);
    private static decimal? Amount(long i) => i % 7 == 5 ? null : i * 1.25m - 1000.0001m;
    private static string? Doc(long i) => i % 7 == 6 ? null : $"{{\"a\": {i}, \"b\": [true, null]}}";
    private static Guid? Key(long i) => i % 7 == 1 ? null : new Guid((int)i, (short)(i >> 3), 7, 1, 2, 3, 4, 5, 6, 7, (byte)i);
    private static int[]? Numbers(long i) => i % 7 == 2 ? null : [(int)(i % 1000), -1, (int)i];
    private static byte[]? Data(long i) => i % 7 == 0 ? null : BitConverter.GetBytes(i * 31);

    private static async Task WriteRowAsync(PgBinaryImporter importer, long i)
    {
        await importer.StartRowAsync();
        await importer.WriteAsync(i);
        await importer.WriteAsync(Name(i));
        if (At(i) is { } at) await importer.WriteAsync(at); else await importer.WriteNullAsync();
        if (Amount(i) is { } amount) await importer.WriteAsync(amount); else await importer.WriteNullAsync();
        await importer.WriteAsync(Doc(i));
        if (Key(i) is { } key) await importer.WriteAsync(key); else await importer.WriteNullAsync();
        await importer.WriteAsync(Numbers(i));
        await importer.WriteAsync(Data(i));
    }

    [Fact]
    public async Task A_million_rows_of_every_kind_of_column_imported_in_binary_export_back_equal_value_for_value()
    {
        const int Rows = 1_000_000;
        ulong copied;
        await using (var importer = await _conn.BeginBinaryImportAsync(CopyIn))
        {
            for (long i = 0; i < Rows; i++) await WriteRowAsync(importer, i);
            copied = await importer.CompleteAsync();
        }
        Assert.Equal((ulong)Rows, copied);

        // In the table's order (no sort on the server): each row's id says which values it must hold, once each.
        long read = 0;
        var seen = new bool[Rows];
        await using (var exporter = await _conn.BeginBinaryExportAsync($"COPY {_table} (id, name, at, amount, doc, key, numbers, data) TO STDOUT (FORMAT binary)"))
        {
            while (await exporter.StartRowAsync() is var columns && columns >= 0)
            {
                Assert.Equal(8, columns);
                long i = await exporter.ReadAsync<long>();
                Assert.False(seen[i]);
                seen[i] = true;
                Assert.Equal(Name(i), exporter.Read<string?>());
                Assert.Equal(At(i), exporter.Read<DateTime?>());
                Assert.Equal(Amount(i), exporter.Read<decimal?>());
                Assert.Equal(Doc(i), exporter.Read<string?>());
                Assert.Equal(Key(i), exporter.Read<Guid?>());
                Assert.Equal(Numbers(i), exporter.Read<int[]?>());
                Assert.Equal(Data(i), exporter.Read<byte[]?>());
                read++;
            }
            Assert.Equal(-1, await exporter.StartRowAsync());
        }
        Assert.Equal(Rows, read);
        Assert.Equal(1, await _conn.QueryScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public async Task The_synchronous_importer_and_exporter_round_trip_with_WriteRow_IsNull_and_Skip()
    {
        using (var importer = _conn.BeginBinaryImport($"COPY {_table} (id, name, doc) FROM STDIN (FORMAT binary)"))
        {
            importer.WriteRow(1L, "one", "{\"x\": 1}");
            importer.WriteRow(2L, null, DBNull.Value);
            importer.StartRow();
            importer.Write(3, PgDbType.Bigint);
            importer.Write("three", PgDbType.Text);
            importer.WriteNull();
            Assert.Equal(3UL, importer.Complete());
        }

        using var exporter = _conn.BeginBinaryExport($"COPY {_table} (id, name, doc) TO STDOUT (FORMAT binary)");
        var seen = new List<string>();
        while (exporter.StartRow() == 3)
        {
            long id = exporter.Read<long>();
            string name = exporter.IsNull ? "<null>" : exporter.Read<string>();
            if (exporter.IsNull) exporter.Skip();
            else seen.Add(exporter.Read<string>(PgDbType.Jsonb));
            seen.Add($"{id}:{name}");
        }
        Assert.Equal(["{\"x\": 1}", "1:one", "2:<null>", "3:three"], seen);
    }

    [Fact]
    public async Task Disposing_the_importer_without_Complete_stores_nothing_and_leaves_the_connection_usable()
    {
        await using (var importer = await _conn.BeginBinaryImportAsync(CopyIn))
        {
            for (long i = 0; i < 50_000; i++) await WriteRowAsync(importer, i);
        }

        Assert.Equal(0, await CountAsync());
        Assert.Equal(ConnectionState.Open, _conn.State);
    }

    [Fact]
    public async Task CloseAsync_with_a_cancelled_token_leaves_the_import_open_and_without_one_aborts_it()
    {
        await using var importer = await _conn.BeginBinaryImportAsync(CopyIn);
        for (long i = 0; i < 10; i++) await WriteRowAsync(importer, i);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => importer.CloseAsync(new CancellationToken(canceled: true)).AsTask());
        await WriteRowAsync(importer, 10);
        await importer.CloseAsync();

        Assert.Equal(0, await CountAsync());
        Assert.Equal(ConnectionState.Open, _conn.State);
    }

    [Fact]
    public async Task A_value_the_server_refuses_half_way_rolls_back_every_row_and_the_connection_stays_usable()
    {
        await using (var importer = await _conn.BeginBinaryImportAsync($"COPY {_table} (id, name) FROM STDIN (FORMAT binary)"))
        {
            for (long i = 0; i < 100_000; i++)
            {
                await importer.StartRowAsync();
                await importer.WriteAsync(i == 60_000 ? 5L : i); // a duplicate primary key
                await importer.WriteAsync("row");
            }
            var e = await Assert.ThrowsAsync<PgServerException>(() => importer.CompleteAsync().AsTask());
            Assert.Equal(PgErrorCodes.UniqueViolation, e.SqlState);
        }

        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task A_value_that_does_not_fit_its_column_is_refused_before_it_is_sent_and_disposing_stores_nothing()
    {
        await using (var importer = await _conn.BeginBinaryImportAsync($"COPY {_table} (id, key) FROM STDIN (FORMAT binary)"))
        {
            for (long i = 0; i < 1000; i++)
            {
                await importer.StartRowAsync();
                await importer.WriteAsync(i);
                await importer.WriteAsync(Guid.NewGuid());
            }
            await importer.StartRowAsync();
            await importer.WriteAsync(1000L);
            var e = await Assert.ThrowsAsync<PgConversionException>(() => importer.WriteAsync(DateTime.UtcNow));
            Assert.Contains("column 2", e.Message);
        }

        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task A_cancelled_token_half_way_aborts_the_import_with_OperationCanceledException_and_stores_nothing()
    {
        using var cts = new CancellationTokenSource();
        var importer = await _conn.BeginBinaryImportAsync(CopyIn);
        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            for (long i = 0; i < 100_000; i++)
            {
                if (i == 30_000) cts.Cancel();
                await importer.StartRowAsync(cts.Token);
                await importer.WriteAsync(i, cts.Token);
                for (int c = 0; c < 7; c++) await importer.WriteNullAsync(cts.Token);
            }
        });
        Assert.Equal(cts.Token, e.CancellationToken);
        await importer.DisposeAsync();

        Assert.Equal(0, await CountAsync());
        Assert.Equal(ConnectionState.Open, _conn.State);
    }

    [Fact]
    public async Task A_connection_dropped_half_way_fails_the_import_stores_nothing_and_is_not_usable_again()
    {
        await using var admin = await db.OpenAsync();
        var importer = await _conn.BeginBinaryImportAsync(CopyIn);
        var e = await Assert.ThrowsAnyAsync<PgException>(async () =>
        {
            for (long i = 0; i < 2_000_000; i++)
            {
                if (i == 10_000) await admin.ExecuteAsync("SELECT pg_terminate_backend($1)", _conn.ProcessId);
                await WriteRowAsync(importer, i);
            }
            await importer.CompleteAsync();
        });
        Assert.IsNotType<PgConversionException>(e);
        await importer.DisposeAsync();

        Assert.Equal(ConnectionState.Broken, _conn.State);
        Assert.Equal(0, await CountAsync(admin));
    }

    [Fact]
    public async Task An_exception_in_the_row_producer_aborts_ImportAsync_rethrows_it_and_stores_nothing()
    {
        static async IAsyncEnumerable<object?[]> Rows()
        {
            for (long i = 0; i < 20_000; i++)
            {
                if (i == 15_000) throw new InvalidDataException("the producer broke");
                yield return [i, "row " + i];
                await Task.Yield();
            }
        }

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => _conn.ImportAsync($"COPY {_table} (id, name) FROM STDIN (FORMAT binary)", Rows()).AsTask());

        Assert.Equal("the producer broke", e.Message);
        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task ImportAsync_of_tuples_and_ExportAsync_of_arrays_and_tuples_round_trip()
    {
        static async IAsyncEnumerable<(long, string?, decimal)> Rows()
        {
            for (long i = 0; i < 1000; i++)
            {
                yield return (i, i % 2 == 0 ? null : "n" + i, i / 4m);
                if (i % 100 == 0) await Task.Yield();
            }
        }

        Assert.Equal(1000UL, await _conn.ImportAsync($"COPY {_table} (id, name, amount) FROM STDIN (FORMAT binary)", Rows()));

        var arrays = new List<object?[]>();
        await foreach (var row in _conn.ExportAsync($"COPY (SELECT id, name, amount FROM {_table} ORDER BY id) TO STDOUT (FORMAT binary)"))
            arrays.Add(row);
        Assert.Equal(1000, arrays.Count);
        Assert.Equal([3L, "n3", 0.75m], arrays[3]);
        Assert.Equal([4L, null, 1m], arrays[4]);

        long sum = 0;
        await foreach (var (id, name, amount) in _conn.ExportAsync<long, string?, decimal>($"COPY {_table} (id, name, amount) TO STDOUT (FORMAT binary)"))
        {
            Assert.Equal(id / 4m, amount);
            Assert.Equal(id % 2 == 0 ? null : "n" + id, name);
            sum += id;
        }
        Assert.Equal(999L * 1000 / 2, sum);
    }

    [Fact]
    public async Task Leaving_an_export_early_stops_the_COPY_and_leaves_the_connection_usable()
    {
        await _conn.ExecuteAsync(Text($"INSERT INTO {_table} (id, name) SELECT i, repeat('x', 100) FROM generate_series(1, 200000) i"));

        await using (var exporter = await _conn.BeginBinaryExportAsync($"COPY {_table} (id, name) TO STDOUT (FORMAT binary)"))
        {
            for (int i = 0; i < 10; i++)
            {
                Assert.Equal(2, await exporter.StartRowAsync());
                exporter.Skip();
                exporter.Skip();
            }
        }

        Assert.Equal(ConnectionState.Open, _conn.State);
        Assert.Equal(200_000, await CountAsync());
    }

    [Fact]
    public async Task Another_command_while_a_COPY_is_open_is_refused_and_runs_once_it_completed()
    {
        await using (var importer = await _conn.BeginBinaryImportAsync($"COPY {_table} (id) FROM STDIN (FORMAT binary)"))
        {
            importer.WriteRow(1L);
            var e = await Assert.ThrowsAsync<InvalidOperationException>(() => CountAsync());
            Assert.Contains("COPY is in progress", e.Message);
            await importer.CompleteAsync();
        }

        Assert.Equal(1, await CountAsync());
    }

    [Fact]
    public async Task The_wrong_COPY_API_for_the_command_is_refused_and_the_connection_stays_usable()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => _conn.BeginBinaryImportAsync($"COPY {_table} TO STDOUT (FORMAT binary)"));
        Assert.Contains("FROM STDIN", e.Message);
        var text = await Assert.ThrowsAsync<ArgumentException>(() => _conn.BeginBinaryImportAsync($"COPY {_table} FROM STDIN"));
        Assert.Contains("binary", text.Message);
        var notCopy = await Assert.ThrowsAsync<PgException>(() => _conn.BeginBinaryExportAsync("SELECT 1"));
        Assert.Contains("not a COPY", notCopy.Message);

        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task Closing_the_connection_with_an_import_open_aborts_it()
    {
        var conn = await db.OpenAsync();
        var importer = await conn.BeginBinaryImportAsync($"COPY {_table} (id) FROM STDIN (FORMAT binary)");
        importer.WriteRow(1L);
        await conn.CloseAsync();

        Assert.Equal(0, await CountAsync());
        await conn.OpenAsync();
        Assert.Equal(0, await CountAsync(conn));
        await conn.DisposeAsync();
    }

    [Fact]
    public async Task Notices_raised_during_a_COPY_reach_the_Notice_event()
    {
        await _conn.ExecuteAsync(Text($"""
            CREATE FUNCTION {_table}_notice() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE NOTICE 'row %', NEW.id; RETURN NEW; END $$
            """));
        await _conn.ExecuteAsync(Text($"CREATE TRIGGER notice_each BEFORE INSERT ON {_table} FOR EACH ROW EXECUTE FUNCTION {_table}_notice()"));
        var notices = new List<string>();
        _conn.Notice += (_, e) => notices.Add(e.Notice.MessageText);

        await using (var importer = await _conn.BeginBinaryImportAsync($"COPY {_table} (id) FROM STDIN (FORMAT binary)"))
        {
            for (long i = 0; i < 100; i++) importer.WriteRow(i);
            Assert.Equal(100UL, await importer.CompleteAsync());
        }

        Assert.Equal(Enumerable.Range(0, 100).Select(i => "row " + i), notices);
    }
}
