using System.Data;
using System.Globalization;
using PgWire.Tests.Connectivity;
using PgWire.Tests.Infrastructure;
using PgWire.Tests.Pooling;

namespace PgWire.Tests.Copy;

/// <summary>
/// Command Timeout bounds each wait on the server during a COPY, on a real server behind a <see cref="FaultProxy"/> that
/// goes silent at one message of the COPY (both sockets kept open, no reset): the call fails with a PgTimeoutException
/// (the driver's CancelRequest reaches the server, but its answer never comes back, so after Cancellation Timeout the
/// driver gives the connection up), the connection is Broken, a pool never hands it out again, and an import stores none
/// of its rows. Each test runs its COPY once through a proxy that faults nothing to learn the number of the message to
/// stall, then again stalled there. Nothing here times the driver (the machine is shared and noisy): <see cref="HangBound"/>
/// only keeps a hang from blocking the run, and a hang fails the test.
/// </summary>
[Collection("Database")]
public sealed class CopyTimeoutTests(DatabaseFixture db) : IAsyncLifetime
{
    /// <summary>Short limits: a wait on a silent server ends after Command Timeout plus Cancellation Timeout (about 2 s).</summary>
    private const string Limits = "Command Timeout=1;Cancellation Timeout=1000;Timeout=5";

    /// <summary>Far past the limits: a call still running then hangs.</summary>
    private static readonly TimeSpan HangBound = TimeSpan.FromSeconds(60);

    private const int ExportRows = 1000;

    /// <summary>The export's CopyData (the server's, counted from 1) that never arrives: only the rows before it come through.</summary>
    private const int StalledCopyData = 10;

    private const string BinaryExportSql = "COPY (SELECT n, 'row ' || n FROM generate_series(1, 1000) AS n) TO STDOUT (FORMAT binary)";

    private const string TextExportSql = "COPY (SELECT n FROM generate_series(1, 1000) AS n) TO STDOUT";

    /// <summary>Rows of an import that the server takes whole (about 100 KB, a dozen CopyData) before its end is stalled.</summary>
    private const int ImportRows = 100;

    /// <summary>
    /// Rows of an import whose data the server stops taking: about 96 MB, far more than the socket buffers between the
    /// driver and the silent proxy hold, so that a send blocks.
    /// </summary>
    private const int LargeImportRows = 96 * 1024;

    private static readonly byte[] Payload = Enumerable.Range(0, 1024).Select(i => (byte)i).ToArray();

    private readonly string _table = "copy_timeout_" + Guid.NewGuid().ToString("N")[..10];

    private string CopyIn => "COPY " + _table + " (id, data) FROM STDIN (FORMAT binary)";

    public async Task InitializeAsync()
    {
        await using var admin = await db.OpenAsync();
        await admin.ExecuteAsync("CREATE TABLE " + _table + " (id int8 NOT NULL, data bytea)");
    }

    public async Task DisposeAsync()
    {
        await using var admin = await db.OpenAsync();
        await admin.ExecuteAsync("DROP TABLE IF EXISTS " + _table);
    }

    // ---- COPY TO STDOUT ----

    [Fact]
    public Task A_binary_export_whose_server_goes_silent_mid_COPY_fails_with_PgTimeoutException_and_the_connection_is_broken() =>
        AssertExportTimesOutMidCopyAsync((conn, read) => ExportBinaryAsync(conn, read));

    [Fact]
    public async Task After_a_binary_export_timed_out_the_pool_never_hands_out_its_connection_again_and_the_next_one_exports_every_row()
    {
        var point = CopyData(await RecordAsync(pooled: true, conn => ExportBinaryAsync(conn, new Progress())));
        await using var proxy = StallAt(point);
        await using var source = DataSourceThrough(proxy, pooled: true);
        int failedProcessId;

        await using (var conn = await OpenAsync(source))
        {
            failedProcessId = conn.ProcessId;
            var e = await Record.ExceptionAsync(() => ExportBinaryAsync(conn, new Progress()).WaitAsync(HangBound));

            AssertTimedOut(e);
            AssertBroken(conn);
        }
        AssertStalledAt(proxy, point);

        // The proxy relays every connection after its first clean: the pool's next one works, on another backend.
        await using var next = await OpenAsync(source);
        Assert.NotEqual(failedProcessId, next.ProcessId);
        Assert.Equal(ExportRows, await ExportBinaryAsync(next, new Progress()).WaitAsync(HangBound));
    }

    [Fact]
    public Task The_synchronous_BeginBinaryExport_and_StartRow_fail_the_same_way_when_the_server_goes_silent_mid_COPY() =>
        AssertExportTimesOutMidCopyAsync((conn, read) => Task.Run(() => ExportBinary(conn, read)));

    [Fact]
    public Task A_text_export_whose_server_goes_silent_mid_COPY_fails_with_PgTimeoutException_and_the_connection_is_broken() =>
        AssertExportTimesOutMidCopyAsync((conn, read) => ExportTextAsync(conn, read));

    /// <summary>
    /// Runs <paramref name="export"/> stalled at the server's <see cref="StalledCopyData"/>th CopyData: a
    /// PgTimeoutException, the connection broken, and only the rows before the stall read.
    /// </summary>
    private async Task AssertExportTimesOutMidCopyAsync(Func<PgConnection, Progress, Task> export, string limits = Limits,
        string bound = "Command Timeout")
    {
        var point = CopyData(await RecordAsync(pooled: false, conn => export(conn, new Progress())));
        await using var proxy = StallAt(point);
        await using var source = DataSourceThrough(proxy, pooled: false, limits);
        var read = new Progress();

        await using (var conn = await OpenAsync(source))
        {
            var e = await Record.ExceptionAsync(() => export(conn, read).WaitAsync(HangBound));

            AssertTimedOut(e, bound);
            AssertBroken(conn);
        }
        AssertStalledAt(proxy, point);
        Assert.InRange(read.Rows, 1, StalledCopyData - 1);
    }

    // ---- COPY FROM STDIN ----

    [Fact]
    public async Task A_binary_import_whose_CopyDone_never_reaches_the_server_fails_at_CompleteAsync_with_PgTimeoutException_and_stores_no_row()
    {
        var point = CopyDone(await RecordImportAsync(conn => ImportAsync(conn, ImportRows, new Progress())));
        await using var proxy = StallAt(point);
        await using var source = DataSourceThrough(proxy, pooled: false);
        var written = new Progress();

        await using (var conn = await OpenAsync(source))
        {
            var e = await Record.ExceptionAsync(() => ImportAsync(conn, ImportRows, written).WaitAsync(HangBound));

            AssertTimedOut(e);
            // The CopyDone went out, and its answer never came: the driver cannot know the server did not commit.
            Assert.Contains("may have run and committed it", e!.Message);
            Assert.True(written.Completing, "The import failed before Complete, so Complete's wait went untested.");
            AssertBroken(conn);
        }
        AssertStalledAt(proxy, point);
        Assert.Equal(ImportRows, written.Rows);
        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task The_synchronous_Complete_of_a_binary_import_whose_CopyDone_never_reaches_the_server_fails_the_same_way_and_stores_no_row()
    {
        var point = CopyDone(await RecordImportAsync(conn => Task.Run(() => Import(conn, ImportRows, new Progress()))));
        await using var proxy = StallAt(point);
        await using var source = DataSourceThrough(proxy, pooled: false);
        var written = new Progress();

        await using (var conn = await OpenAsync(source))
        {
            var e = await Record.ExceptionAsync(() => Task.Run(() => Import(conn, ImportRows, written)).WaitAsync(HangBound));

            AssertTimedOut(e);
            Assert.True(written.Completing, "The import failed before Complete, so Complete's wait went untested.");
            AssertBroken(conn);
        }
        AssertStalledAt(proxy, point);
        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task A_binary_import_whose_server_stops_taking_data_fails_in_a_write_with_PgTimeoutException_and_stores_no_row()
    {
        // The first messages of an import do not depend on how many rows follow: a small one finds the third CopyData.
        var point = Nth(await RecordImportAsync(conn => ImportAsync(conn, ImportRows, new Progress())), MessageDirection.ClientToServer, 'd', 3);
        await using var proxy = StallAt(point);
        await using var source = DataSourceThrough(proxy, pooled: false);
        var written = new Progress();

        await using (var conn = await OpenAsync(source))
        {
            var e = await Record.ExceptionAsync(() => ImportAsync(conn, LargeImportRows, written).WaitAsync(HangBound));

            AssertTimedOut(e);
            Assert.Contains("Nothing of it was committed", e!.Message);
            Assert.False(written.Completing, $"All {written.Rows} rows went into the socket buffers, so no send waited on the server.");
            AssertBroken(conn);
        }
        AssertStalledAt(proxy, point);
        Assert.InRange(written.Rows, 1, LargeImportRows - 1);
        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task A_binary_import_whose_CopyInResponse_never_arrives_fails_at_BeginBinaryImportAsync_with_PgTimeoutException()
    {
        var point = Nth(await RecordImportAsync(conn => ImportAsync(conn, ImportRows, new Progress())), MessageDirection.ServerToClient, 'G', 1);
        await using var proxy = StallAt(point);
        await using var source = DataSourceThrough(proxy, pooled: false);
        var written = new Progress();

        await using (var conn = await OpenAsync(source))
        {
            var e = await Record.ExceptionAsync(() => ImportAsync(conn, ImportRows, written).WaitAsync(HangBound));

            AssertTimedOut(e);
            // An import commits nothing before its CopyDone: no doubt to report.
            Assert.DoesNotContain("may have", e!.Message);
            Assert.Equal(0, written.Rows);
            AssertBroken(conn);
        }
        AssertStalledAt(proxy, point);
        Assert.Equal(0, await CountAsync());
    }

    // ---- the COPYs ----

    /// <summary>How far a COPY got: the rows read or written, and whether Complete was called.</summary>
    private sealed class Progress
    {
        public int Rows { get; set; }

        public bool Completing { get; set; }
    }

    /// <summary>Reads every row of <see cref="BinaryExportSql"/>, each checked, counting them in <paramref name="read"/>.</summary>
    private static async Task<int> ExportBinaryAsync(PgConnection conn, Progress read, TimeSpan? timeout = null)
    {
        await using var exporter = await conn.BeginBinaryExportAsync(BinaryExportSql);
        if (timeout is { } bound) exporter.Timeout = bound;
        while (await exporter.StartRowAsync() >= 0)
        {
            int n = exporter.Read<int>();
            Assert.Equal(read.Rows + 1, n);
            Assert.Equal("row " + n, exporter.Read<string>());
            read.Rows++;
        }
        return read.Rows;
    }

    /// <inheritdoc cref="ExportBinaryAsync"/>
    private static int ExportBinary(PgConnection conn, Progress read)
    {
        using var exporter = conn.BeginBinaryExport(BinaryExportSql);
        while (exporter.StartRow() >= 0)
        {
            int n = exporter.Read<int>();
            Assert.Equal(read.Rows + 1, n);
            Assert.Equal("row " + n, exporter.Read<string>());
            read.Rows++;
        }
        return read.Rows;
    }

    /// <summary>Reads every line of <see cref="TextExportSql"/>, each checked, counting them in <paramref name="read"/>.</summary>
    private static async Task<int> ExportTextAsync(PgConnection conn, Progress read, int? timeoutMilliseconds = null)
    {
        using var reader = await conn.BeginTextExportAsync(TextExportSql);
        if (timeoutMilliseconds is { } bound) reader.Timeout = bound;
        while (await reader.ReadLineAsync() is { } line)
        {
            Assert.Equal((read.Rows + 1).ToString(CultureInfo.InvariantCulture), line);
            read.Rows++;
        }
        return read.Rows;
    }

    /// <summary>Imports <paramref name="rows"/> rows of about 1 KB and completes the COPY, counting in <paramref name="written"/>.</summary>
    private async Task ImportAsync(PgConnection conn, int rows, Progress written, TimeSpan? timeout = null)
    {
        await using var importer = await conn.BeginBinaryImportAsync(CopyIn);
        if (timeout is { } bound) importer.Timeout = bound;
        for (long i = 0; i < rows; i++)
        {
            await importer.StartRowAsync();
            await importer.WriteAsync(i);
            await importer.WriteAsync(Payload);
            written.Rows++;
        }
        written.Completing = true;
        Assert.Equal((ulong)rows, await importer.CompleteAsync());
    }

    /// <inheritdoc cref="ImportAsync"/>
    private void Import(PgConnection conn, int rows, Progress written)
    {
        using var importer = conn.BeginBinaryImport(CopyIn);
        for (long i = 0; i < rows; i++)
        {
            importer.StartRow();
            importer.Write(i);
            importer.Write(Payload);
            written.Rows++;
        }
        written.Completing = true;
        Assert.Equal((ulong)rows, importer.Complete());
    }

    // ---- the COPY's own Timeout (Npgsql's), where Command Timeout sets no limit ----

    /// <summary>No Command Timeout: only the COPY's own Timeout can end a wait on the silent server.</summary>
    private const string NoCommandTimeout = "Command Timeout=0;Cancellation Timeout=1000;Timeout=5";

    [Fact]
    public Task An_exporters_Timeout_bounds_its_waits_where_Command_Timeout_sets_no_limit() =>
        AssertExportTimesOutMidCopyAsync((conn, read) => ExportBinaryAsync(conn, read, TimeSpan.FromSeconds(1)), NoCommandTimeout,
            "the COPY's Timeout of 1 s");

    [Fact]
    public Task A_text_readers_Timeout_bounds_its_waits_where_Command_Timeout_sets_no_limit() =>
        AssertExportTimesOutMidCopyAsync((conn, read) => ExportTextAsync(conn, read, timeoutMilliseconds: 1000), NoCommandTimeout,
            "the COPY's Timeout of 1 s");

    [Fact]
    public async Task An_importers_Timeout_bounds_Complete_where_Command_Timeout_sets_no_limit()
    {
        var point = CopyDone(await RecordImportAsync(conn => ImportAsync(conn, ImportRows, new Progress())));
        await using var proxy = StallAt(point);
        await using var source = DataSourceThrough(proxy, pooled: false, NoCommandTimeout);
        var written = new Progress();

        await using (var conn = await OpenAsync(source))
        {
            var e = await Record.ExceptionAsync(() => ImportAsync(conn, ImportRows, written, TimeSpan.FromSeconds(1)).WaitAsync(HangBound));

            AssertTimedOut(e, "the COPY's Timeout of 1 s");
            Assert.True(written.Completing, "The import failed before Complete, so Complete's wait went untested.");
            AssertBroken(conn);
        }
        AssertStalledAt(proxy, point);
        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task The_Timeout_of_a_COPY_starts_as_Command_Timeout_counts_whole_seconds_and_refuses_a_negative_span()
    {
        await using var conn = await db.OpenAsync(db.ConnectionString + ";Command Timeout=7");
        await using (var exporter = await conn.BeginBinaryExportAsync(BinaryExportSql))
        {
            Assert.Equal(TimeSpan.FromSeconds(7), exporter.Timeout);
            exporter.Timeout = TimeSpan.FromMilliseconds(1200);
            Assert.Equal(TimeSpan.FromSeconds(2), exporter.Timeout);
            exporter.Timeout = TimeSpan.Zero;
            Assert.Equal(Timeout.InfiniteTimeSpan, exporter.Timeout);
            Assert.Throws<ArgumentOutOfRangeException>(() => exporter.Timeout = TimeSpan.FromSeconds(-3));
            Assert.Equal(ExportRows, await ExportRestAsync(exporter));
        }
        await using (var importer = await conn.BeginBinaryImportAsync(CopyIn))
        {
            Assert.Equal(TimeSpan.FromSeconds(7), importer.Timeout);
            importer.Timeout = Timeout.InfiniteTimeSpan;
            Assert.Equal(Timeout.InfiniteTimeSpan, importer.Timeout);
            await importer.StartRowAsync();
            await importer.WriteAsync(1L);
            await importer.WriteAsync(Payload);
            Assert.Equal(1UL, await importer.CompleteAsync());
        }
        await using (var stream = await conn.BeginRawBinaryCopyAsync(BinaryExportSql))
        {
            Assert.True(stream.CanTimeout);
            Assert.Equal(7000, stream.ReadTimeout);
            stream.ReadTimeout = Timeout.Infinite;
            Assert.Equal(Timeout.Infinite, stream.WriteTimeout);
        }
        // The next COPY starts from Command Timeout again, and the connection is usable.
        await using (var exporter = await conn.BeginBinaryExportAsync(BinaryExportSql))
            Assert.Equal(TimeSpan.FromSeconds(7), exporter.Timeout);
        Assert.Equal(1, await conn.QueryScalarAsync<int>("SELECT 1"));
    }

    private static async Task<int> ExportRestAsync(PgBinaryExporter exporter)
    {
        int rows = 0;
        while (await exporter.StartRowAsync() >= 0) rows++;
        return rows;
    }

    // ---- the proxy ----

    /// <summary>
    /// The messages of <paramref name="conversation"/> on the first connection of a data source through a proxy that
    /// faults nothing (all that the server's ReadyForQuery for the COPY answered has arrived when it returns).
    /// </summary>
    private async Task<IReadOnlyList<RelayedMessage>> RecordAsync(bool pooled, Func<PgConnection, Task> conversation)
    {
        await using var proxy = FaultProxy.Start(db.ConnectionString, ProxyFault.None);
        await using var source = DataSourceThrough(proxy, pooled);
        await using (var conn = await OpenAsync(source))
        {
            await conversation(conn).WaitAsync(HangBound);
        }
        return proxy.Messages;
    }

    /// <summary><see cref="RecordAsync"/> for an import, whose rows are then removed so that the table starts empty.</summary>
    private async Task<IReadOnlyList<RelayedMessage>> RecordImportAsync(Func<PgConnection, Task> conversation)
    {
        var messages = await RecordAsync(pooled: false, conversation);
        Assert.Equal(ImportRows, await CountAsync());
        await using var admin = await db.OpenAsync();
        await admin.ExecuteAsync("TRUNCATE " + _table);
        return messages;
    }

    /// <summary>The export's <see cref="StalledCopyData"/>th CopyData from the server.</summary>
    private static RelayedMessage CopyData(IReadOnlyList<RelayedMessage> messages) =>
        Nth(messages, MessageDirection.ServerToClient, 'd', StalledCopyData);

    /// <summary>The import's CopyDone.</summary>
    private static RelayedMessage CopyDone(IReadOnlyList<RelayedMessage> messages) =>
        Nth(messages, MessageDirection.ClientToServer, 'c', 1);

    /// <summary>The <paramref name="n"/>th message of <paramref name="code"/> going <paramref name="direction"/>.</summary>
    private static RelayedMessage Nth(IReadOnlyList<RelayedMessage> messages, MessageDirection direction, char code, int n)
    {
        var matching = messages.Where(m => m.Direction == direction && m.Code == code).ToList();
        Assert.True(matching.Count >= n,
            $"The clean COPY had {matching.Count} {direction} '{code}' message(s), fewer than {n}:\n" + string.Join('\n', messages));
        return matching[n - 1];
    }

    private FaultProxy StallAt(RelayedMessage point) =>
        FaultProxy.Start(db.ConnectionString, new ProxyFault(point.Number, ProxyFaultKind.Stall));

    private PgDataSource DataSourceThrough(FaultProxy proxy, bool pooled, string limits = Limits) =>
        PgDataSource.Create(proxy.ConnectionStringThrough(
            db.ConnectionStringFor(PoolingTestSupport.NewApplicationName("copytimeout"), $"Pooling={pooled};{limits}")));

    private static async Task<PgConnection> OpenAsync(PgDataSource source) =>
        await source.OpenConnectionAsync().AsTask().WaitAsync(HangBound);

    /// <summary>The COPY went the way of the clean one up to the stalled message, so that message is what it waited for.</summary>
    private static void AssertStalledAt(FaultProxy proxy, RelayedMessage point)
    {
        Assert.True(proxy.FaultReached, $"The COPY never reached {point} (it differed from the clean one), so the stall went untested.");
        Assert.Equal(point, proxy.Messages[point.Number - 1]);
    }

    private static void AssertTimedOut(Exception? e, string bound = "Command Timeout")
    {
        Assert.NotNull(e);
        Assert.False(e is TimeoutException, $"The COPY had not ended after {HangBound.TotalSeconds:0} s: it hangs.");
        Assert.True(e is PgTimeoutException, $"Expected a PgTimeoutException, got {e}");
        Assert.IsType<TimeoutException>(e.InnerException);
        Assert.Contains(bound, e.Message, StringComparison.Ordinal);
    }

    private static void AssertBroken(PgConnection conn) =>
        Assert.True(conn.State is ConnectionState.Broken or ConnectionState.Closed,
            $"After the timeout the connection said {conn.State}; due: Broken or Closed (it is out of step with the server).");

    /// <summary>The table's rows, counted on a connection of the test's own (not through any proxy).</summary>
    private async Task<long> CountAsync()
    {
        await using var admin = await db.OpenAsync();
        return await admin.QueryScalarAsync<long>("SELECT count(*) FROM " + _table);
    }
}
