using System.Runtime.CompilerServices;

namespace PgWire;

/// <summary>
/// COPY in the native API (<see cref="PgConnection"/>'s ImportAsync and ExportAsync): rows from and to async streams
/// through a binary importer or exporter, a row at a time. A tuple's row is written and read by a method of its arity,
/// each value as its element type, so value types are never boxed.
/// </summary>
internal static class CopyRows
{
    public static ValueTask<ulong> ImportAsync(PgConnection connection, string copyFromStdin, IAsyncEnumerable<object?[]> rows,
        CancellationToken cancellationToken) =>
        ImportCoreAsync(connection, copyFromStdin, rows, static (importer, row, token) => importer.WriteRowAsync(token, row), cancellationToken);

    public static ValueTask<ulong> ImportAsync<T1,T2>(PgConnection connection, string copyFromStdin, IAsyncEnumerable<(T1, T2)> rows,
        CancellationToken cancellationToken) =>
        ImportCoreAsync(connection, copyFromStdin, rows, static async (importer, row, token) =>
        {
            await importer.StartRowAsync(token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item1, token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item2, token).ConfigureAwait(false);
        }, cancellationToken);

    public static ValueTask<ulong> ImportAsync<T1,T2,T3>(PgConnection connection, string copyFromStdin, IAsyncEnumerable<(T1, T2, T3)> rows,
        CancellationToken cancellationToken) =>
        ImportCoreAsync(connection, copyFromStdin, rows, static async (importer, row, token) =>
        {
            await importer.StartRowAsync(token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item1, token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item2, token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item3, token).ConfigureAwait(false);
        }, cancellationToken);

    public static ValueTask<ulong> ImportAsync<T1,T2,T3,T4>(PgConnection connection, string copyFromStdin, IAsyncEnumerable<(T1, T2, T3, T4)> rows,
        CancellationToken cancellationToken) =>
        ImportCoreAsync(connection, copyFromStdin, rows, static async (importer, row, token) =>
        {
            await importer.StartRowAsync(token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item1, token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item2, token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item3, token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item4, token).ConfigureAwait(false);
        }, cancellationToken);

    public static ValueTask<ulong> ImportAsync<T1,T2,T3,T4,T5>(PgConnection connection, string copyFromStdin, IAsyncEnumerable<(T1, T2, T3, T4, T5)> rows,
        CancellationToken cancellationToken) =>
        ImportCoreAsync(connection, copyFromStdin, rows, static async (importer, row, token) =>
        {
            await importer.StartRowAsync(token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item1, token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item2, token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item3, token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item4, token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item5, token).ConfigureAwait(false);
        }, cancellationToken);

    public static ValueTask<ulong> ImportAsync<T1,T2,T3,T4,T5,T6>(PgConnection connection, string copyFromStdin, IAsyncEnumerable<(T1, T2, T3, T4, T5, T6)> rows,
        CancellationToken cancellationToken) =>
        ImportCoreAsync(connection, copyFromStdin, rows, static async (importer, row, token) =>
        {
            await importer.StartRowAsync(token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item1, token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item2, token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item3, token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item4, token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item5, token).ConfigureAwait(false);
            await importer.WriteAsync(row.Item6, token).ConfigureAwait(false);
        }, cancellationToken);

    public static ValueTask<ulong> ImportAsync<T1,T2,T3,T4,T5,T6,T7>(PgConnection connection, string copyFromStdin, IAsyncEnumerable<(T1, T2, T3, T4, T5, T6, T7)> rows,
        CancellationToken cancellationToken) =>
        ImportCoreAsync(connection, copyFromStdin, rows, static async (importer, row, token) =>
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
    private static async ValueTask<ulong> ImportCoreAsync<TRow>(PgConnection connection, string copyFromStdin, IAsyncEnumerable<TRow> rows,
        Func<PgBinaryImporter, TRow, CancellationToken, Task> writeRow, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var importer = await CopyStart.BeginBinaryImportAsync(connection, copyFromStdin, async: true, cancellationToken).ConfigureAwait(false);
        await using (importer.ConfigureAwait(false))
        {
            await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
                await writeRow(importer, row, cancellationToken).ConfigureAwait(false);
            return await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public static IAsyncEnumerable<object?[]> ExportAsync(PgConnection connection, string copyToStdout, CancellationToken cancellationToken) =>
        ExportCoreAsync(connection, copyToStdout, arity: -1, static exporter =>
        {
            var row = new object?[exporter.NumColumns];
            for (int i = 0; i < row.Length; i++)
                row[i] = exporter.ReadObject() is var value && value is DBNull ? null : value;
            return row;
        }, cancellationToken);

    public static IAsyncEnumerable<(T1, T2)> ExportAsync<T1,T2>(PgConnection connection, string copyToStdout, CancellationToken cancellationToken) =>
        ExportCoreAsync(connection, copyToStdout, 2, static exporter => (exporter.Read<T1>(), exporter.Read<T2>()), cancellationToken);

    public static IAsyncEnumerable<(T1, T2, T3)> ExportAsync<T1,T2,T3>(PgConnection connection, string copyToStdout, CancellationToken cancellationToken) =>
        ExportCoreAsync(connection, copyToStdout, 3, static exporter => (exporter.Read<T1>(), exporter.Read<T2>(), exporter.Read<T3>()), cancellationToken);

    public static IAsyncEnumerable<(T1, T2, T3, T4)> ExportAsync<T1,T2,T3,T4>(PgConnection connection, string copyToStdout, CancellationToken cancellationToken) =>
        ExportCoreAsync(connection, copyToStdout, 4, static exporter => (exporter.Read<T1>(), exporter.Read<T2>(), exporter.Read<T3>(), exporter.Read<T4>()), cancellationToken);

    public static IAsyncEnumerable<(T1, T2, T3, T4, T5)> ExportAsync<T1,T2,T3,T4,T5>(PgConnection connection, string copyToStdout, CancellationToken cancellationToken) =>
        ExportCoreAsync(connection, copyToStdout, 5, static exporter => (exporter.Read<T1>(), exporter.Read<T2>(), exporter.Read<T3>(), exporter.Read<T4>(), exporter.Read<T5>()), cancellationToken);

    public static IAsyncEnumerable<(T1, T2, T3, T4, T5, T6)> ExportAsync<T1,T2,T3,T4,T5,T6>(PgConnection connection, string copyToStdout, CancellationToken cancellationToken) =>
        ExportCoreAsync(connection, copyToStdout, 6, static exporter => (exporter.Read<T1>(), exporter.Read<T2>(), exporter.Read<T3>(), exporter.Read<T4>(), exporter.Read<T5>(), exporter.Read<T6>()), cancellationToken);

    public static IAsyncEnumerable<(T1, T2, T3, T4, T5, T6, T7)> ExportAsync<T1,T2,T3,T4,T5,T6,T7>(PgConnection connection, string copyToStdout, CancellationToken cancellationToken) =>
        ExportCoreAsync(connection, copyToStdout, 7, static exporter => (exporter.Read<T1>(), exporter.Read<T2>(), exporter.Read<T3>(), exporter.Read<T4>(), exporter.Read<T5>(), exporter.Read<T6>(), exporter.Read<T7>()), cancellationToken);

    /// <summary>The export every ExportAsync shares: a row at a time through <paramref name="readRow"/>; <paramref name="arity"/> -1 for any.</summary>
    private static async IAsyncEnumerable<TRow> ExportCoreAsync<TRow>(PgConnection connection, string copyToStdout, int arity, Func<PgBinaryExporter, TRow> readRow,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var exporter = await CopyStart.BeginBinaryExportAsync(connection, copyToStdout, async: true, cancellationToken).ConfigureAwait(false);
        await using (exporter.ConfigureAwait(false))
        {
            if (arity >= 0 && exporter.NumColumns != arity)
                throw new ArgumentException($"The COPY has {exporter.NumColumns} column(s), but the tuple asked for has {arity}; the COPY was stopped.");
            while (await exporter.StartRowAsync(cancellationToken).ConfigureAwait(false) >= 0)
                yield return readRow(exporter);
        }
    }
}
