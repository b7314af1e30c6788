using System.Data;
using PgWire.Connection;
using PgWire.Sql;

namespace PgWire;

/// <summary>
/// Where every COPY of a <see cref="PgConnection"/> starts (BeginBinaryImport, BeginBinaryExport, BeginTextImport,
/// BeginTextExport, BeginRawBinaryCopy): the columns' types looked up for a binary one, the COPY started and checked
/// against the method called, and the object that then holds the connection; and where closing the connection
/// abandons the COPY left open.
/// </summary>
internal static class CopyStart
{
    public static async ValueTask<PgBinaryImporter> BeginBinaryImportAsync(PgConnection connection, string sql, bool async,
        CancellationToken cancellationToken)
    {
        var (copy, types) = await StartAsync(connection, sql, nameof(PgConnection.BeginBinaryImport), import: true, binary: true, async, cancellationToken).ConfigureAwait(false);
        var importer = new PgBinaryImporter(connection, copy, new BinaryCopyWriter(copy, connection.Connector.TypeRegistry, types));
        connection.OpenCopy = importer;
        return importer;
    }

    public static async ValueTask<PgBinaryExporter> BeginBinaryExportAsync(PgConnection connection, string sql, bool async,
        CancellationToken cancellationToken)
    {
        var (copy, types) = await StartAsync(connection, sql, nameof(PgConnection.BeginBinaryExport), import: false, binary: true, async, cancellationToken).ConfigureAwait(false);
        var exporter = new PgBinaryExporter(connection, copy, new BinaryCopyReader(copy, connection.Connector.TypeRegistry, types));
        connection.OpenCopy = exporter;
        return exporter;
    }

    public static async ValueTask<PgCopyTextWriter> BeginTextImportAsync(PgConnection connection, string sql, bool async,
        CancellationToken cancellationToken)
    {
        var (copy, _) = await StartAsync(connection, sql, nameof(PgConnection.BeginTextImport), import: true, binary: false, async, cancellationToken).ConfigureAwait(false);
        var writer = new PgCopyTextWriter(new PgRawCopyStream(connection, copy));
        return writer;
    }

    public static async ValueTask<PgCopyTextReader> BeginTextExportAsync(PgConnection connection, string sql, bool async,
        CancellationToken cancellationToken)
    {
        var (copy, _) = await StartAsync(connection, sql, nameof(PgConnection.BeginTextExport), import: false, binary: false, async, cancellationToken).ConfigureAwait(false);
        return new PgCopyTextReader(new PgRawCopyStream(connection, copy));
    }

    public static async ValueTask<PgRawCopyStream> BeginRawBinaryCopyAsync(PgConnection connection, string sql, bool async,
        CancellationToken cancellationToken)
    {
        var (copy, _) = await StartAsync(connection, sql, nameof(PgConnection.BeginRawBinaryCopy), import: null, binary: true, async, cancellationToken).ConfigureAwait(false);
        return new PgRawCopyStream(connection, copy);
    }

    /// <summary>
    /// Starts the COPY (after looking up its columns' types for a binary import or export) and checks it goes the way
    /// the caller's method does; one that does not is aborted, leaving the connection usable.
    /// </summary>
    private static async ValueTask<(CopyOperation Copy, uint[]? Types)> StartAsync(PgConnection connection, string sql, string method,
        bool? import, bool binary, bool async, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var connector = connection.ConnectorForCommand;
        connector.CheckReady();
        var types = binary && import is not null ? await LookUpColumnTypesAsync(connection, sql, async, cancellationToken).ConfigureAwait(false) : null;
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
        throw new ArgumentException(wrong + ". The COPY was aborted and the connection is still usable.", method == nameof(PgConnection.BeginRawBinaryCopy) ? "copyCommand" : import == true ? "copyFromCommand" : "copyToCommand");
    }

    /// <summary>The columns of a table without a column list: those COPY reads and writes (not dropped, not generated).</summary>
    private const string TableColumnTypesSql =
        "SELECT atttypid FROM pg_catalog.pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped " +
        "AND attgenerated = '' ORDER BY attnum";

    /// <summary>
    /// The type OIDs of the columns a binary COPY moves (binary data carries none): a table's from the catalog, a column
    /// list's or a query's from the server's description of it. Null when the command's text is not plainly one of those.
    /// </summary>
    private static async ValueTask<uint[]?> LookUpColumnTypesAsync(PgConnection connection, string sql, bool async, CancellationToken cancellationToken)
    {
        if (CopyStatement.Parse(sql) is not { } target) return null;
        if (target.Query is null && target.Columns is null)
        {
            var rows = await CommandStart.QueryAsync(connection, TableColumnTypesSql, [target.Table], async, cancellationToken).ConfigureAwait(false);
            var oids = new uint[rows.Count];
            for (int i = 0; i < oids.Length; i++) oids[i] = rows[i].Get<uint>(0);
            return oids;
        }
        string select = target.Query ?? $"SELECT {target.Columns} FROM {target.Table}";
        var result = await CommandStart.StartAsync(connection, select, null, CommandBehavior.SchemaOnly, null, async, cancellationToken).ConfigureAwait(false);
        var columns = result.Columns;
        await result.ConsumeAsync(async, cancellationToken).ConfigureAwait(false);
        if (columns is null) return null;
        var types = new uint[columns.Count];
        for (int i = 0; i < types.Length; i++) types[i] = columns.Fields[i].TypeOid;
        return types;
    }

    /// <summary>Closing the connection with a COPY open: an import is aborted (nothing committed), an export stopped.</summary>
    public static async ValueTask AbandonOpenAsync(PgConnection connection, bool async)
    {
        if (connection.OpenCopy is not { } open) return;
        connection.OpenCopy = null;
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
