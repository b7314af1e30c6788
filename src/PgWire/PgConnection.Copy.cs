using System.Data;
using System.Runtime.CompilerServices;
using PgWire.Connection;
using PgWire.Sql;

namespace PgWire;

/// <summary>COPY in both directions, with Npgsql's names and shapes (BeginBinaryImport, BeginBinaryExport, BeginTextImport...).</summary>
public sealed partial class PgConnection
{
    /// <summary>
    /// Starts <c>COPY ... FROM STDIN (FORMAT binary)</c> and returns the importer that writes its rows. Values are sent as
    /// the types of the table's columns (looked up before the copy starts), so a string reaches a jsonb or uuid column
    /// as that type. Call <see cref="PgBinaryImporter.Complete"/> to commit the rows; disposing the importer without it
    /// aborts the COPY and nothing of it is stored.
    /// </summary>
    public PgBinaryImporter BeginBinaryImport(string copyFromCommand) =>
        BeginBinaryImportCoreAsync(copyFromCommand, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="BeginBinaryImport"/>
    public Task<PgBinaryImporter> BeginBinaryImportAsync(string copyFromCommand, CancellationToken cancellationToken = default) =>
        BeginBinaryImportCoreAsync(copyFromCommand, async: true, cancellationToken).AsTask();

    /// <summary>
    /// Starts <c>COPY ... TO STDOUT (FORMAT binary)</c> and returns the exporter that reads its rows. Values read as the
    /// types of the columns (looked up before the copy starts) or as the type <c>Read&lt;T&gt;</c> names. Disposing it
    /// before the last row stops the COPY and leaves the connection usable.
    /// </summary>
    public PgBinaryExporter BeginBinaryExport(string copyToCommand) =>
        BeginBinaryExportCoreAsync(copyToCommand, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="BeginBinaryExport"/>
    public Task<PgBinaryExporter> BeginBinaryExportAsync(string copyToCommand, CancellationToken cancellationToken = default) =>
        BeginBinaryExportCoreAsync(copyToCommand, async: true, cancellationToken).AsTask();

    /// <summary>
    /// Starts <c>COPY ... FROM STDIN</c> in text or CSV format and returns a writer of its data, in that format.
    /// Disposing the writer completes the COPY (a bad row then throws); <see cref="PgCopyTextWriter.Cancel"/> aborts it.
    /// </summary>
    public PgCopyTextWriter BeginTextImport(string copyFromCommand) =>
        BeginTextImportCoreAsync(copyFromCommand, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="BeginTextImport"/>
    public Task<PgCopyTextWriter> BeginTextImportAsync(string copyFromCommand, CancellationToken cancellationToken = default) =>
        BeginTextImportCoreAsync(copyFromCommand, async: true, cancellationToken).AsTask();

    /// <summary>Starts <c>COPY ... TO STDOUT</c> in text or CSV format and returns a reader of its data.</summary>
    public PgCopyTextReader BeginTextExport(string copyToCommand) =>
        BeginTextExportCoreAsync(copyToCommand, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="BeginTextExport"/>
    public Task<PgCopyTextReader> BeginTextExportAsync(string copyToCommand, CancellationToken cancellationToken = default) =>
        BeginTextExportCoreAsync(copyToCommand, async: true, cancellationToken).AsTask();

    /// <summary>
    /// Starts a binary COPY in either direction and returns its data as a stream: writable for FROM STDIN (disposing it
    /// completes the COPY), readable for TO STDOUT. The bytes are COPY's binary format, header and trailer included.
    /// </summary>
    public PgRawCopyStream BeginRawBinaryCopy(string copyCommand) =>
        BeginRawBinaryCopyCoreAsync(copyCommand, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="BeginRawBinaryCopy"/>
    public Task<PgRawCopyStream> BeginRawBinaryCopyAsync(string copyCommand, CancellationToken cancellationToken = default) =>
        BeginRawBinaryCopyCoreAsync(copyCommand, async: true, cancellationToken).AsTask();

    /// <summary>The COPY object (importer, exporter, text reader or writer, stream) that holds the connection.</summary>
    internal ICopyHandle? OpenCopy { get; set; }

    internal async ValueTask<PgBinaryImporter> BeginBinaryImportCoreAsync(string sql, bool async, CancellationToken cancellationToken)
    {
        var (copy, types) = await StartCopyAsync(sql, nameof(BeginBinaryImport), import: true, binary: true, async, cancellationToken).ConfigureAwait(false);
        var importer = new PgBinaryImporter(this, copy, new BinaryCopyWriter(copy, Connector.TypeRegistry, types));
        OpenCopy = importer;
        return importer;
    }

    internal async ValueTask<PgBinaryExporter> BeginBinaryExportCoreAsync(string sql, bool async, CancellationToken cancellationToken)
    {
        var (copy, types) = await StartCopyAsync(sql, nameof(BeginBinaryExport), import: false, binary: true, async, cancellationToken).ConfigureAwait(false);
        var exporter = new PgBinaryExporter(this, copy, new BinaryCopyReader(copy, Connector.TypeRegistry, types));
        OpenCopy = exporter;
        return exporter;
    }

    private async ValueTask<PgCopyTextWriter> BeginTextImportCoreAsync(string sql, bool async, CancellationToken cancellationToken)
    {
        var (copy, _) = await StartCopyAsync(sql, nameof(BeginTextImport), import: true, binary: false, async, cancellationToken).ConfigureAwait(false);
        var writer = new PgCopyTextWriter(new PgRawCopyStream(this, copy));
        return writer;
    }

    private async ValueTask<PgCopyTextReader> BeginTextExportCoreAsync(string sql, bool async, CancellationToken cancellationToken)
    {
        var (copy, _) = await StartCopyAsync(sql, nameof(BeginTextExport), import: false, binary: false, async, cancellationToken).ConfigureAwait(false);
        return new PgCopyTextReader(new PgRawCopyStream(this, copy));
    }

    private async ValueTask<PgRawCopyStream> BeginRawBinaryCopyCoreAsync(string sql, bool async, CancellationToken cancellationToken)
    {
        var (copy, _) = await StartCopyAsync(sql, nameof(BeginRawBinaryCopy), import: null, binary: true, async, cancellationToken).ConfigureAwait(false);
        return new PgRawCopyStream(this, copy);
    }

    /// <summary>
    /// Starts the COPY (after looking up its columns' types for a binary import or export) and checks it goes the way
    /// the caller's method does; one that does not is aborted, leaving the connection usable.
    /// </summary>
    private async ValueTask<(CopyOperation Copy, uint[]? Types)> StartCopyAsync(string sql, string method, bool? import, bool binary,
        bool async, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var connector = ConnectorForCommand;
        connector.CheckReady();
        var types = binary && import is not null ? await LookUpCopyColumnTypesAsync(sql, async, cancellationToken).ConfigureAwait(false) : null;
        var copy = connector.Copy;
        var response = await copy.StartAsync(sql, async, cancellationToken).ConfigureAwait(false);
        string? wrong = null;
        if (import is { } wantImport && copy.IsImport != wantImport)
            wrong = $"{method} needs a COPY ... {(wantImport ? "FROM STDIN" : "TO STDOUT")}, but the command is a COPY ... {(copy.IsImport ? "FROM STDIN" : "TO STDOUT")}";
        else if (response.Binary != binary)
            wrong = $"{method} needs a COPY in {(binary ? "binary format (add WITH (FORMAT binary))" : "text or CSV format")}, but the command's is {(response.Binary ? "binary" : "text")}";
        if (wrong is null) return (copy, types);
        if (copy.IsImport) await copy.FailAsync("the COPY API called did not fit the command", async).ConfigureAwait(false);
        else await copy.CancelExportAsync(async).ConfigureAwait(false);
        throw new ArgumentException(wrong + ". The COPY was aborted and the connection is still usable.", method == nameof(BeginRawBinaryCopy) ? "copyCommand" : import == true ? "copyFromCommand" : "copyToCommand");
    }

    /// <summary>The columns of a table without a column list: those COPY reads and writes (not dropped, not generated).</summary>
    private const string TableColumnTypesSql =
        "SELECT atttypid FROM pg_catalog.pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped " +
        "AND attgenerated = '' ORDER BY attnum";

    /// <summary>
    /// The type OIDs of the columns a binary COPY moves (binary data carries none): a table's from the catalog, a column
    /// list's or a query's from the server's description of it. Null when the command's text is not plainly one of those.
    /// </summary>
    private async ValueTask<uint[]?> LookUpCopyColumnTypesAsync(string sql, bool async, CancellationToken cancellationToken)
    {
        if (CopyStatement.Parse(sql) is not { } target) return null;
        if (target.Query is null && target.Columns is null)
        {
            var rows = await CommandStart.QueryAsync(this, TableColumnTypesSql, [target.Table], async, cancellationToken).ConfigureAwait(false);
            var oids = new uint[rows.Count];
            for (int i = 0; i < oids.Length; i++) oids[i] = rows[i].Get<uint>(0);
            return oids;
        }
        string select = target.Query ?? $"SELECT {target.Columns} FROM {target.Table}";
        var result = await StartAsync(select, null, CommandBehavior.SchemaOnly, null, async, cancellationToken).ConfigureAwait(false);
        var columns = result.Columns;
        await result.ConsumeAsync(async, cancellationToken).ConfigureAwait(false);
        if (columns is null) return null;
        var types = new uint[columns.Count];
        for (int i = 0; i < types.Length; i++) types[i] = columns.Fields[i].TypeOid;
        return types;
    }

    /// <summary>Closing the connection with a COPY open: an import is aborted (nothing committed), an export stopped.</summary>
    private async ValueTask AbandonOpenCopyAsync(bool async)
    {
        if (OpenCopy is not { } open) return;
        OpenCopy = null;
        try
        {
            await open.AbandonAsync(async).ConfigureAwait(false);
        }
        catch (Exception e) when (e is PgException or OperationCanceledException)
        {
            // The connection is clean or broken either way; the pool tells which.
        }
    }
}
