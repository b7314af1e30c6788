using System.Runtime.CompilerServices;

namespace PgWire;

/// <summary>COPY in the native API: rows from and to async streams.</summary>
public sealed partial class PgConnection
{
    /// <summary>
    /// Imports <paramref name="rows"/> through a binary <c>COPY ... FROM STDIN</c> and returns the rows copied. Each array
    /// is one row (null or DBNull for NULL), its values written as the columns' types. When the producer throws (or the
    /// token cancels), the COPY is aborted so none of its rows is stored, and the producer's exception is rethrown.
    /// </summary>
    public ValueTask<ulong> ImportAsync(string copyFromStdin, IAsyncEnumerable<object?[]> rows, CancellationToken cancellationToken = default) =>
        ImportCoreAsync(copyFromStdin, rows, static (importer, row, token) => importer.WriteRowAsync(token, row), cancellationToken);

    /// <inheritdoc cref="ImportAsync(string, IAsyncEnumerable{object?[]}, CancellationToken)"/>
    /// <remarks>Each tuple is a row; value types are encoded without being boxed.</remarks>
    public ValueTask<ulong> ImportAsync<T1,T2>(string copyFromStdin, IAsyncEnumerable<(T1, T2)> rows, CancellationToken cancellationToken = default) =>
        ImportCoreAsync(copyFromStdin, rows, static async (importer, row, token) =>
        {
            await importer.StartRowAsync(token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item1, token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item2, token).ConfigureAwait(false);
        }, cancellationToken);

    /// <inheritdoc cref="ImportAsync(string, IAsyncEnumerable{object?[]}, CancellationToken)"/>
    /// <remarks>Each tuple is a row; value types are encoded without being boxed.</remarks>
    public ValueTask<ulong> ImportAsync<T1,T2,T3>(string copyFromStdin, IAsyncEnumerable<(T1, T2, T3)> rows, CancellationToken cancellationToken = default) =>
        ImportCoreAsync(copyFromStdin, rows, static async (importer, row, token) =>
        {
            await importer.StartRowAsync(token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item1, token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item2, token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item3, token).ConfigureAwait(false);
        }, cancellationToken);

    /// <inheritdoc cref="ImportAsync(string, IAsyncEnumerable{object?[]}, CancellationToken)"/>
    /// <remarks>Each tuple is a row; value types are encoded without being boxed.</remarks>
    public ValueTask<ulong> ImportAsync<T1,T2,T3,T4>(string copyFromStdin, IAsyncEnumerable<(T1, T2, T3, T4)> rows, CancellationToken cancellationToken = default) =>
        ImportCoreAsync(copyFromStdin, rows, static async (importer, row, token) =>
        {
            await importer.StartRowAsync(token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item1, token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item2, token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item3, token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item4, token).ConfigureAwait(false);
        }, cancellationToken);

    /// <inheritdoc cref="ImportAsync(string, IAsyncEnumerable{object?[]}, CancellationToken)"/>
    /// <remarks>Each tuple is a row; value types are encoded without being boxed.</remarks>
    public ValueTask<ulong> ImportAsync<T1,T2,T3,T4,T5>(string copyFromStdin, IAsyncEnumerable<(T1, T2, T3, T4, T5)> rows, CancellationToken cancellationToken = default) =>
        ImportCoreAsync(copyFromStdin, rows, static async (importer, row, token) =>
        {
            await importer.StartRowAsync(token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item1, token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item2, token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item3, token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item4, token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item5, token).ConfigureAwait(false);
        }, cancellationToken);

    /// <inheritdoc cref="ImportAsync(string, IAsyncEnumerable{object?[]}, CancellationToken)"/>
    /// <remarks>Each tuple is a row; value types are encoded without being boxed.</remarks>
    public ValueTask<ulong> ImportAsync<T1,T2,T3,T4,T5,T6>(string copyFromStdin, IAsyncEnumerable<(T1, T2, T3, T4, T5, T6)> rows, CancellationToken cancellationToken = default) =>
        ImportCoreAsync(copyFromStdin, rows, static async (importer, row, token) =>
        {
            await importer.StartRowAsync(token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item1, token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item2, token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item3, token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item4, token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item5, token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item6, token).ConfigureAwait(false);
        }, cancellationToken);

    /// <inheritdoc cref="ImportAsync(string, IAsyncEnumerable{object?[]}, CancellationToken)"/>
    /// <remarks>Each tuple is a row; value types are encoded without being boxed.</remarks>
    public ValueTask<ulong> ImportAsync<T1,T2,T3,T4,T5,T6,T7>(string copyFromStdin, IAsyncEnumerable<(T1, T2, T3, T4, T5, T6, T7)> rows, CancellationToken cancellationToken = default) =>
        ImportCoreAsync(copyFromStdin, rows, static async (importer, row, token) =>
        {
            await importer.StartRowAsync(token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item1, token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item2, token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item3, token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item4, token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item5, token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item6, token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item7, token).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>The import every ImportAsync shares: a row at a time through <paramref name="writeRow"/>, aborted on any failure.</summary>
    private async ValueTask<ulong> ImportCoreAsync<TRow>(string copyFromStdin, IAsyncEnumerable<TRow> rows,
        Func<PgBinaryImporter, TRow, CancellationToken, Task> writeRow, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var importer = await BeginBinaryImportCoreAsync(copyFromStdin, async: true, cancellationToken).ConfigureAwait(false);
        await using (importer.ConfigureAwait(false))
        {
            await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
                await writeRow(importer, row, cancellationToken).ConfigureAwait(false);
            return await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The rows of a binary <c>COPY ... TO STDOUT</c>, each an array of its values as the columns' default .NET types
    /// (NULL as null; a value of a type PgWire cannot name from the command text, as its bytes). Leaving the loop early
    /// stops the COPY and leaves the connection usable.
    /// </summary>
    public IAsyncEnumerable<object?[]> ExportAsync(string copyToStdout, CancellationToken cancellationToken = default) =>
        ExportCoreAsync(copyToStdout, arity: -1, static exporter =>
        {
            var row = new object?[exporter.NumColumns];
            for (int i = 0; i < row.Length; i++)
                row[i] = exporter.ReadObject() is var value && value is DBNull ? null : value;
            return row;
        }, cancellationToken);

    /// <summary>The rows of a binary <c>COPY ... TO STDOUT</c> as tuples, each value read as its element type (NULL as null where the type holds it).</summary>
    public IAsyncEnumerable<(T1, T2)> ExportAsync<T1,T2>(string copyToStdout, CancellationToken cancellationToken = default) =>
        ExportCoreAsync(copyToStdout, 2, static exporter => (exporter.Read<T1>(), exporter.Read<T2>()), cancellationToken);

    /// <summary>The rows of a binary <c>COPY ... TO STDOUT</c> as tuples, each value read as its element type (NULL as null where the type holds it).</summary>
    public IAsyncEnumerable<(T1, T2, T3)> ExportAsync<T1,T2,T3>(string copyToStdout, CancellationToken cancellationToken = default) =>
        ExportCoreAsync(copyToStdout, 3, static exporter => (exporter.Read<T1>(), exporter.Read<T2>(), exporter.Read<T3>()), cancellationToken);

    /// <summary>The rows of a binary <c>COPY ... TO STDOUT</c> as tuples, each value read as its element type (NULL as null where the type holds it).</summary>
    public IAsyncEnumerable<(T1, T2, T3, T4)> ExportAsync<T1,T2,T3,T4>(string copyToStdout, CancellationToken cancellationToken = default) =>
        ExportCoreAsync(copyToStdout, 4, static exporter => (exporter.Read<T1>(), exporter.Read<T2>(), exporter.Read<T3>(), exporter.Read<T4>()), cancellationToken);

    /// <summary>The rows of a binary <c>COPY ... TO STDOUT</c> as tuples, each value read as its element type (NULL as null where the type holds it).</summary>
    public IAsyncEnumerable<(T1, T2, T3, T4, T5)> ExportAsync<T1,T2,T3,T4,T5>(string copyToStdout, CancellationToken cancellationToken = default) =>
        ExportCoreAsync(copyToStdout, 5, static exporter => (exporter.Read<T1>(), exporter.Read<T2>(), exporter.Read<T3>(), exporter.Read<T4>(), exporter.Read<T5>()), cancellationToken);

    /// <summary>The rows of a binary <c>COPY ... TO STDOUT</c> as tuples, each value read as its element type (NULL as null where the type holds it).</summary>
    public IAsyncEnumerable<(T1, T2, T3, T4, T5, T6)> ExportAsync<T1,T2,T3,T4,T5,T6>(string copyToStdout, CancellationToken cancellationToken = default) =>
        ExportCoreAsync(copyToStdout, 6, static exporter => (exporter.Read<T1>(), exporter.Read<T2>(), exporter.Read<T3>(), exporter.Read<T4>(), exporter.Read<T5>(), exporter.Read<T6>()), cancellationToken);

    /// <summary>The rows of a binary <c>COPY ... TO STDOUT</c> as tuples, each value read as its element type (NULL as null where the type holds it).</summary>
    public IAsyncEnumerable<(T1, T2, T3, T4, T5, T6, T7)> ExportAsync<T1,T2,T3,T4,T5,T6,T7>(string copyToStdout, CancellationToken cancellationToken = default) =>
        ExportCoreAsync(copyToStdout, 7, static exporter => (exporter.Read<T1>(), exporter.Read<T2>(), exporter.Read<T3>(), exporter.Read<T4>(), exporter.Read<T5>(), exporter.Read<T6>(), exporter.Read<T7>()), cancellationToken);

    /// <summary>The export every ExportAsync shares: a row at a time through <paramref name="readRow"/>; <paramref name="arity"/> -1 for any.</summary>
    private async IAsyncEnumerable<TRow> ExportCoreAsync<TRow>(string copyToStdout, int arity, Func<PgBinaryExporter, TRow> readRow,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var exporter = await BeginBinaryExportCoreAsync(copyToStdout, async: true, cancellationToken).ConfigureAwait(false);
        await using (exporter.ConfigureAwait(false))
        {
            if (arity >= 0 && exporter.NumColumns != arity)
                throw new ArgumentException($"The COPY has {exporter.NumColumns} column(s), but the tuple asked for has {arity}; the COPY was stopped.");
            while (await exporter.StartRowAsync(cancellationToken).ConfigureAwait(false) >= 0)
                yield return readRow(exporter);
        }
    }
}
