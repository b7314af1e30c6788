using System.Data;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Copy;

/// <summary>Text, CSV and raw binary COPY on a real server, and COPY through a plain command.</summary>
[Collection("Database")]
public sealed class TextCopyTests(DatabaseFixture db) : IAsyncLifetime
{
    private PgConnection _conn = null!;
    private readonly string _table = "tcopy_" + Guid.NewGuid().ToString("N")[..10];

    private static string Text(string sql) => sql;

    public async Task InitializeAsync()
    {
        _conn = await db.OpenAsync();
        await _conn.ExecuteAsync(Text($"CREATE TABLE {_table} (id int PRIMARY KEY, note text, score numeric)"));
        await _conn.ExecuteAsync(Text($"CREATE TABLE {_table}_copy (LIKE {_table})"));
    }

    public async Task DisposeAsync()
    {
        await using var cleanup = await db.OpenAsync();
        await cleanup.ExecuteAsync(Text($"DROP TABLE IF EXISTS {_table}, {_table}_copy"));
        await _conn.DisposeAsync();
    }

    private static readonly string?[] Notes =
    [
        "plain", "with \"quotes\"", "comma, separated", "line one\nline two\r\nthree", "back\\slash \\N not null", "", null, "tab\tand ünïcode €",
        "\\.", "trailing space ",
    ];

    private async Task<List<string>> RowsAsync(string table)
    {
        var rows = await _conn.QueryAsync(Text($"SELECT id, note, score FROM {table} ORDER BY id"));
        return rows.Select(r => $"{r[0]}|{r[1] ?? "<NULL>"}|{r[2] ?? "<NULL>"}").ToList();
    }

    private async Task FillAsync()
    {
        for (int i = 0; i < Notes.Length; i++)
            await _conn.ExecuteAsync(Text($"INSERT INTO {_table} VALUES ($1, $2, $3)"), i, Notes[i], i % 3 == 0 ? null : i * 1.5m);
    }

    [Fact]
    public async Task A_CSV_export_of_quotes_commas_newlines_backslashes_and_NULLs_reimports_equal()
    {
        await FillAsync();
        string csv;
        using (var reader = await _conn.BeginTextExportAsync(Text($"COPY {_table} TO STDOUT (FORMAT csv)")))
            csv = await reader.ReadToEndAsync();
        Assert.Contains("\"with \"\"quotes\"\"\"", csv);

        await using (var writer = await _conn.BeginTextImportAsync(Text($"COPY {_table}_copy FROM STDIN (FORMAT csv)")))
            await writer.WriteAsync(csv);

        Assert.Equal(await RowsAsync(_table), await RowsAsync(_table + "_copy"));
    }

    [Fact]
    public async Task A_text_format_export_reimports_equal_line_by_line_through_the_synchronous_API()
    {
        await FillAsync();
        var lines = new List<string>();
        using (var reader = _conn.BeginTextExport(Text($"COPY {_table} TO STDOUT")))
            while (reader.ReadLine() is { } line) lines.Add(line);
        Assert.Equal(Notes.Length, lines.Count);

        using (var writer = _conn.BeginTextImport(Text($"COPY {_table}_copy FROM STDIN")))
            foreach (var line in lines) writer.Write(line + "\n");

        Assert.Equal(await RowsAsync(_table), await RowsAsync(_table + "_copy"));
    }

    [Fact]
    public async Task A_raw_binary_export_streamed_into_a_raw_binary_import_copies_the_table()
    {
        await _conn.ExecuteAsync(Text($"INSERT INTO {_table} SELECT i, 'note ' || i, i / 3.0 FROM generate_series(1, 50000) i"));
        var buffer = new MemoryStream();
        await using (var export = await _conn.BeginRawBinaryCopyAsync(Text($"COPY {_table} TO STDOUT (FORMAT binary)")))
        {
            Assert.True(export.CanRead);
            Assert.False(export.CanWrite);
            await export.CopyToAsync(buffer);
        }
        Assert.Equal(new byte[] { (byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', 0x0A, 0xFF, 0x0D, 0x0A, 0x00 }, buffer.ToArray()[..11]);

        buffer.Position = 0;
        await using (var import = await _conn.BeginRawBinaryCopyAsync(Text($"COPY {_table}_copy FROM STDIN (FORMAT binary)")))
        {
            Assert.True(import.CanWrite);
            await buffer.CopyToAsync(import);
        }

        Assert.Equal(await RowsAsync(_table), await RowsAsync(_table + "_copy"));
    }

    [Fact]
    public async Task Cancelling_a_text_import_stores_nothing_and_leaves_the_connection_usable()
    {
        var writer = await _conn.BeginTextImportAsync(Text($"COPY {_table} FROM STDIN"));
        for (int i = 0; i < 20_000; i++) await writer.WriteAsync($"{i}\tnote\t1.5\n");
        await writer.CancelAsync();
        await writer.DisposeAsync();

        Assert.Empty(await RowsAsync(_table));
    }

    [Fact]
    public async Task A_bad_text_row_fails_the_import_when_the_writer_is_disposed_and_stores_nothing()
    {
        var writer = await _conn.BeginTextImportAsync(Text($"COPY {_table} FROM STDIN"));
        await writer.WriteAsync("1\tfine\t1\n2\tbad\tnot a number\n");

        var e = await Assert.ThrowsAsync<PgServerException>(async () => await writer.DisposeAsync());

        Assert.Equal(PgErrorCodes.InvalidTextRepresentation, e.SqlState);
        Assert.Empty(await RowsAsync(_table));
    }

    [Fact]
    public async Task COPY_FROM_STDIN_through_a_plain_command_fails_clearly_and_the_connection_stays_usable()
    {
        await using var command = new PgCommand(Text($"COPY {_table} FROM STDIN"), _conn);

        var e = await Assert.ThrowsAsync<PgException>(() => command.ExecuteNonQueryAsync());

        Assert.Contains("BeginBinaryImport", e.Message);
        Assert.Equal(ConnectionState.Open, _conn.State);
        Assert.Equal(1, await _conn.QueryScalarAsync<int>("SELECT 1"));
        // The same text again (now a known statement), and through the native API.
        await Assert.ThrowsAsync<PgException>(() => command.ExecuteNonQueryAsync());
        await Assert.ThrowsAsync<PgException>(() => _conn.ExecuteAsync(Text($"COPY {_table} FROM STDIN")).AsTask());
        Assert.Equal(1, await _conn.QueryScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public async Task COPY_TO_STDOUT_through_a_plain_command_fails_clearly_after_its_data_is_dropped_and_the_connection_stays_usable()
    {
        await _conn.ExecuteAsync(Text($"INSERT INTO {_table} SELECT i, 'n', 1 FROM generate_series(1, 10000) i"));
        await using var command = new PgCommand(Text($"COPY {_table} TO STDOUT"), _conn);

        var e = await Assert.ThrowsAsync<PgException>(() => command.ExecuteNonQueryAsync());

        Assert.Contains("BeginBinaryExport", e.Message);
        Assert.Equal(10000L, await _conn.QueryScalarAsync<long>(Text($"SELECT count(*) FROM {_table}")));
    }

    [Fact]
    public async Task A_COPY_FROM_STDIN_at_the_end_of_a_batch_fails_the_whole_batch_and_the_connection_stays_usable()
    {
        var batch = new PgBatch(_conn);
        batch.BatchCommands.Add(Text($"INSERT INTO {_table} VALUES (1, 'a', 1)"));
        batch.BatchCommands.Add(Text($"COPY {_table} FROM STDIN"));

        var e = await Assert.ThrowsAsync<PgException>(() => batch.ExecuteNonQueryAsync());

        Assert.Contains("BeginBinaryImport", e.Message);
        Assert.Empty(await RowsAsync(_table));
        Assert.Equal(1, await _conn.QueryScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public async Task A_COPY_FROM_STDIN_in_the_middle_of_a_batch_or_a_text_of_several_statements_is_refused_before_anything_is_sent()
    {
        var batch = new PgBatch(_conn);
        batch.BatchCommands.Add(Text($"INSERT INTO {_table} VALUES (1, 'a', 1)"));
        batch.BatchCommands.Add(Text($"COPY {_table} FROM STDIN"));
        batch.BatchCommands.Add(Text($"INSERT INTO {_table} VALUES (2, 'b', 2)"));

        var e = await Assert.ThrowsAsync<PgException>(() => batch.ExecuteNonQueryAsync());
        Assert.Contains("statement 2 of 3", e.Message);
        Assert.Contains("BeginBinaryImport", e.Message);

        await using var command = new PgCommand(Text($"INSERT INTO {_table} VALUES (3, 'c', 3); copy {_table} (id) from stdin; SELECT 1"), _conn);
        await Assert.ThrowsAsync<PgException>(() => command.ExecuteNonQueryAsync());

        Assert.Empty(await RowsAsync(_table));
        Assert.Equal(1, await _conn.QueryScalarAsync<int>("SELECT 1"));
    }

    [Theory]
    [InlineData("COPY t FROM STDIN", true)]
    [InlineData("  copy s.t (a, b) from stdin with (format csv)", true)]
    [InlineData("COPY t FROM '/tmp/file.csv'", false)]
    [InlineData("COPY (SELECT 'FROM STDIN') TO STDOUT", false)]
    [InlineData("COPY t TO STDOUT", false)]
    [InlineData("SELECT 'COPY t FROM STDIN'", false)]
    public void A_COPY_from_the_client_is_told_from_other_text(string sql, bool fromStdin) =>
        Assert.Equal(fromStdin, PgWire.Sql.CopyStatement.IsFromStdin(sql));
}
