namespace PgWire;

// COPY in both directions, with Npgsql's names and shapes (BeginBinaryImport, BeginBinaryExport, BeginTextImport...),
// and in the native API, rows from and to async streams (ImportAsync, ExportAsync). (A doc comment here would be
// added to PgConnection's summary.)
public sealed partial class PgConnection
{
    /// <summary>
    /// Starts <c>COPY ... FROM STDIN (FORMAT binary)</c> and returns the importer that writes its rows. Values are sent as
    /// the types of the table's columns (looked up before the copy starts), so a string reaches a jsonb or uuid column
    /// as that type. Call <see cref="PgBinaryImporter.Complete"/> to commit the rows; disposing the importer without it
    /// aborts the COPY and nothing of it is stored.
    /// </summary>
    public PgBinaryImporter BeginBinaryImport(string copyFromCommand) =>
        CopyStart.BeginBinaryImportAsync(this, copyFromCommand, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="BeginBinaryImport"/>
    public Task<PgBinaryImporter> BeginBinaryImportAsync(string copyFromCommand, CancellationToken cancellationToken = default) =>
        CopyStart.BeginBinaryImportAsync(this, copyFromCommand, async: true, cancellationToken).AsTask();

    /// <summary>
    /// Starts <c>COPY ... TO STDOUT (FORMAT binary)</c> and returns the exporter that reads its rows. Values read as the
    /// types of the columns (looked up before the copy starts) or as the type <c>Read&lt;T&gt;</c> names. Disposing it
    /// before the last row stops the COPY and leaves the connection usable.
    /// </summary>
    public PgBinaryExporter BeginBinaryExport(string copyToCommand) =>
        CopyStart.BeginBinaryExportAsync(this, copyToCommand, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="BeginBinaryExport"/>
    public Task<PgBinaryExporter> BeginBinaryExportAsync(string copyToCommand, CancellationToken cancellationToken = default) =>
        CopyStart.BeginBinaryExportAsync(this, copyToCommand, async: true, cancellationToken).AsTask();

    /// <summary>
    /// Starts <c>COPY ... FROM STDIN</c> in text or CSV format and returns a writer of its data, in that format.
    /// Disposing the writer completes the COPY (a bad row then throws); <see cref="PgCopyTextWriter.Cancel"/> aborts it.
    /// </summary>
    public PgCopyTextWriter BeginTextImport(string copyFromCommand) =>
        CopyStart.BeginTextImportAsync(this, copyFromCommand, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="BeginTextImport"/>
    public Task<PgCopyTextWriter> BeginTextImportAsync(string copyFromCommand, CancellationToken cancellationToken = default) =>
        CopyStart.BeginTextImportAsync(this, copyFromCommand, async: true, cancellationToken).AsTask();

    /// <summary>Starts <c>COPY ... TO STDOUT</c> in text or CSV format and returns a reader of its data.</summary>
    public PgCopyTextReader BeginTextExport(string copyToCommand) =>
        CopyStart.BeginTextExportAsync(this, copyToCommand, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="BeginTextExport"/>
    public Task<PgCopyTextReader> BeginTextExportAsync(string copyToCommand, CancellationToken cancellationToken = default) =>
        CopyStart.BeginTextExportAsync(this, copyToCommand, async: true, cancellationToken).AsTask();

    /// <summary>
    /// Starts a binary COPY in either direction and returns its data as a stream: writable for FROM STDIN (disposing it
    /// completes the COPY), readable for TO STDOUT. The bytes are COPY's binary format, header and trailer included.
    /// </summary>
    public PgRawCopyStream BeginRawBinaryCopy(string copyCommand) =>
        CopyStart.BeginRawBinaryCopyAsync(this, copyCommand, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="BeginRawBinaryCopy"/>
    public Task<PgRawCopyStream> BeginRawBinaryCopyAsync(string copyCommand, CancellationToken cancellationToken = default) =>
        CopyStart.BeginRawBinaryCopyAsync(this, copyCommand, async: true, cancellationToken).AsTask();

    /// <summary>The COPY object (importer, exporter, text reader or writer, stream) that holds the connection.</summary>
    internal ICopyHandle? OpenCopy { get; set; }

    // The native API's COPY: rows from and to async streams.

    /// <summary>
    /// Imports <paramref name="rows"/> through a binary <c>COPY ... FROM STDIN</c> and returns the rows copied. Each array
    /// is one row (null or DBNull for NULL), its values written as the columns' types. When the producer throws (or the
    /// token cancels), the COPY is aborted so none of its rows is stored, and the producer's exception is rethrown.
    /// </summary>
    public ValueTask<ulong> ImportAsync(string copyFromStdin, IAsyncEnumerable<object?[]> rows, CancellationToken cancellationToken = default) =>
        CopyRows.ImportAsync(this, copyFromStdin, rows, cancellationToken);

    /// <inheritdoc cref="ImportAsync(string, IAsyncEnumerable{object?[]}, CancellationToken)"/>
    /// <remarks>Each tuple is a row; value types are encoded without being boxed.</remarks>
    public ValueTask<ulong> ImportAsync<T1,T2>(string copyFromStdin, IAsyncEnumerable<(T1, T2)> rows, CancellationToken cancellationToken = default) =>
        CopyRows.ImportAsync(this, copyFromStdin, rows, cancellationToken);

    /// <inheritdoc cref="ImportAsync(string, IAsyncEnumerable{object?[]}, CancellationToken)"/>
    /// <remarks>Each tuple is a row; value types are encoded without being boxed.</remarks>
    public ValueTask<ulong> ImportAsync<T1,T2,T3>(string copyFromStdin, IAsyncEnumerable<(T1, T2, T3)> rows, CancellationToken cancellationToken = default) =>
        CopyRows.ImportAsync(this, copyFromStdin, rows, cancellationToken);

    /// <inheritdoc cref="ImportAsync(string, IAsyncEnumerable{object?[]}, CancellationToken)"/>
    /// <remarks>Each tuple is a row; value types are encoded without being boxed.</remarks>
    public ValueTask<ulong> ImportAsync<T1,T2,T3,T4>(string copyFromStdin, IAsyncEnumerable<(T1, T2, T3, T4)> rows, CancellationToken cancellationToken = default) =>
        CopyRows.ImportAsync(this, copyFromStdin, rows, cancellationToken);

    /// <inheritdoc cref="ImportAsync(string, IAsyncEnumerable{object?[]}, CancellationToken)"/>
    /// <remarks>Each tuple is a row; value types are encoded without being boxed.</remarks>
    public ValueTask<ulong> ImportAsync<T1,T2,T3,T4,T5>(string copyFromStdin, IAsyncEnumerable<(T1, T2, T3, T4, T5)> rows, CancellationToken cancellationToken = default) =>
        CopyRows.ImportAsync(this, copyFromStdin, rows, cancellationToken);

    /// <inheritdoc cref="ImportAsync(string, IAsyncEnumerable{object?[]}, CancellationToken)"/>
    /// <remarks>Each tuple is a row; value types are encoded without being boxed.</remarks>
    public ValueTask<ulong> ImportAsync<T1,T2,T3,T4,T5,T6>(string copyFromStdin, IAsyncEnumerable<(T1, T2, T3, T4, T5, T6)> rows, CancellationToken cancellationToken = default) =>
        CopyRows.ImportAsync(this, copyFromStdin, rows, cancellationToken);

    /// <inheritdoc cref="ImportAsync(string, IAsyncEnumerable{object?[]}, CancellationToken)"/>
    /// <remarks>Each tuple is a row; value types are encoded without being boxed.</remarks>
    public ValueTask<ulong> ImportAsync<T1,T2,T3,T4,T5,T6,T7>(string copyFromStdin, IAsyncEnumerable<(T1, T2, T3, T4, T5, T6, T7)> rows, CancellationToken cancellationToken = default) =>
        CopyRows.ImportAsync(this, copyFromStdin, rows, cancellationToken);

    /// <summary>
    /// The rows of a binary <c>COPY ... TO STDOUT</c>, each an array of its values as the columns' default .NET types
    /// (NULL as null; a value of a type PgWire cannot name from the command text, as its bytes). Leaving the loop early
    /// stops the COPY and leaves the connection usable.
    /// </summary>
    public IAsyncEnumerable<object?[]> ExportAsync(string copyToStdout, CancellationToken cancellationToken = default) =>
        CopyRows.ExportAsync(this, copyToStdout, cancellationToken);

    /// <summary>The rows of a binary <c>COPY ... TO STDOUT</c> as tuples, each value read as its element type (NULL as null where the type holds it).</summary>
    public IAsyncEnumerable<(T1, T2)> ExportAsync<T1,T2>(string copyToStdout, CancellationToken cancellationToken = default) =>
        CopyRows.ExportAsync<T1,T2>(this, copyToStdout, cancellationToken);

    /// <inheritdoc cref="ExportAsync{T1, T2}(string, CancellationToken)"/>
    public IAsyncEnumerable<(T1, T2, T3)> ExportAsync<T1,T2,T3>(string copyToStdout, CancellationToken cancellationToken = default) =>
        CopyRows.ExportAsync<T1,T2,T3>(this, copyToStdout, cancellationToken);

    /// <inheritdoc cref="ExportAsync{T1, T2}(string, CancellationToken)"/>
    public IAsyncEnumerable<(T1, T2, T3, T4)> ExportAsync<T1,T2,T3,T4>(string copyToStdout, CancellationToken cancellationToken = default) =>
        CopyRows.ExportAsync<T1,T2,T3,T4>(this, copyToStdout, cancellationToken);

    /// <inheritdoc cref="ExportAsync{T1, T2}(string, CancellationToken)"/>
    public IAsyncEnumerable<(T1, T2, T3, T4, T5)> ExportAsync<T1,T2,T3,T4,T5>(string copyToStdout, CancellationToken cancellationToken = default) =>
        CopyRows.ExportAsync<T1,T2,T3,T4,T5>(this, copyToStdout, cancellationToken);

    /// <inheritdoc cref="ExportAsync{T1, T2}(string, CancellationToken)"/>
    public IAsyncEnumerable<(T1, T2, T3, T4, T5, T6)> ExportAsync<T1,T2,T3,T4,T5,T6>(string copyToStdout, CancellationToken cancellationToken = default) =>
        CopyRows.ExportAsync<T1,T2,T3,T4,T5,T6>(this, copyToStdout, cancellationToken);

    /// <inheritdoc cref="ExportAsync{T1, T2}(string, CancellationToken)"/>
    public IAsyncEnumerable<(T1, T2, T3, T4, T5, T6, T7)> ExportAsync<T1,T2,T3,T4,T5,T6,T7>(string copyToStdout, CancellationToken cancellationToken = default) =>
        CopyRows.ExportAsync<T1,T2,T3,T4,T5,T6,T7>(this, copyToStdout, cancellationToken);
}
