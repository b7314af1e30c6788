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
    public async ValueTask<ulong> ImportAsync(string copyFromStdin, IAsyncEnumerable<object?[]> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var importer = await BeginBinaryImportCoreAsync(copyFromStdin, async: true, cancellationToken).ConfigureAwait(false);
        await using (importer.ConfigureAwait(false))
        {
            await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
                await importer.WriteRowAsync(cancellationToken, row).ConfigureAwait(false);
            return await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc cref="ImportAsync(string, IAsyncEnumerable{object?[]}, CancellationToken)"/>
    /// <remarks>Each tuple is a row; value types are encoded without being boxed.</remarks>
    public async ValueTask<ulong> ImportAsync<T1,T2>(string copyFromStdin, IAsyncEnumerable<(T1, T2)> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var importer = await BeginBinaryImportCoreAsync(copyFromStdin, async: true, cancellationToken).ConfigureAwait(false);
        await using (importer.ConfigureAwait(false))
        {
            await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.Item1, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.Item2, cancellationToken).ConfigureAwait(false);
            }
            return await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }
    /// <inheritdoc cref="ImportAsync(string, IAsyncEnumerable{object?[]}, CancellationToken)"/>
    /// <remarks>Each tuple is a row; value types are encoded without being boxed.</remarks>
    public async ValueTask<ulong> ImportAsync<T1,T2,T3>(string copyFromStdin, IAsyncEnumerable<(T1, T2, T3)> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var importer = await BeginBinaryImportCoreAsync(copyFromStdin, async: true, cancellationToken).ConfigureAwait(false);
        await using (importer.ConfigureAwait(false))
        {
            await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.Item1, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.Item2, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.Item3, cancellationToken).ConfigureAwait(false);
            }
            return await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }
    /// <inheritdoc cref="ImportAsync(string, IAsyncEnumerable{object?[]}, CancellationToken)"/>
    /// <remarks>Each tuple is a row; value types are encoded without being boxed.</remarks>
    public async ValueTask<ulong> ImportAsync<T1,T2,T3,T4>(string copyFromStdin, IAsyncEnumerable<(T1, T2, T3, T4)> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var importer = await BeginBinaryImportCoreAsync(copyFromStdin, async: true, cancellationToken).ConfigureAwait(false);
        await using (importer.ConfigureAwait(false))
        {
            await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.Item1, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.Item2, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.Item3, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.Item4, cancellationToken).ConfigureAwait(false);
            }
            return await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }
    /// <inheritdoc cref="ImportAsync(string, IAsyncEnumerable{object?[]}, CancellationToken)"/>
    /// <remarks>Each tuple is a row; value types are encoded without being boxed.</remarks>
    public async ValueTask<ulong> ImportAsync<T1,T2,T3,T4,T5>(string copyFromStdin, IAsyncEnumerable<(T1, T2, T3, T4, T5)> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var importer = await BeginBinaryImportCoreAsync(copyFromStdin, async: true, cancellationToken).ConfigureAwait(false);
        await using (importer.ConfigureAwait(false))
        {
            await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.Item1, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.Item2, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.Item3, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.Item4, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.Item5, cancellationToken).ConfigureAwait(false);
            }
            return await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }
    /// <inheritdoc cref="ImportAsync(string, IAsyncEnumerable{object?[]}, CancellationToken)"/>
    /// <remarks>Each tuple is a row; value types are encoded without being boxed.</remarks>
    public async ValueTask<ulong> ImportAsync<T1,T2,T3,T4,T5,T6>(string copyFromStdin, IAsyncEnumerable<(T1, T2, T3, T4, T5, T6)> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var importer = await BeginBinaryImportCoreAsync(copyFromStdin, async: true, cancellationToken).ConfigureAwait(false);
        await using (importer.ConfigureAwait(false))
        {
            await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.Item1, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.Item2, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.Item3, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.Item4, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.Item5, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.Item6, cancellationToken).ConfigureAwait(false);
            }
            return await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }
    /// <inheritdoc cref="ImportAsync(string, IAsyncEnumerable{object?[]}, CancellationToken)"/>
    /// <remarks>Each tuple is a row; value types are encoded without being boxed.</remarks>
    public async ValueTask<ulong> ImportAsync<T1,T2,T3,T4,T5,T6,T7>(string copyFromStdin, IAsyncEnumerable<(T1, T2, T3, T4, T5, T6, T7)> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var importer = await BeginBinaryImportCoreAsync(copyFromStdin, async: true, cancellationToken).ConfigureAwait(false);
        await using (importer.ConfigureAwait(false))
        {
            await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.Item1, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.Item2, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.Item3, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.Item4, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.Item5, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.Item6, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.Item7, cancellationToken).ConfigureAwait(false);
            }
            return await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The rows of a binary <c>COPY ... TO STDOUT</c>, each an array of its values as the columns' default .NET types
    /// (NULL as null; a value of a type PgWire cannot name from the command text, as its bytes). Leaving the loop early
    /// stops the COPY and leaves the connection usable.
    /// </summary>
    public async IAsyncEnumerable<object?[]> ExportAsync(string copyToStdout, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var exporter = await BeginBinaryExportCoreAsync(copyToStdout, async: true, cancellationToken).ConfigureAwait(false);
        await using (exporter.ConfigureAwait(false))
        {
            int count;
            while ((count = await exporter.StartRowAsync(cancellationToken).ConfigureAwait(false)) >= 0)
            {
                var row = new object?[count];
                for (int i = 0; i < count; i++)
                    row[i] = exporter.ReadObject() is var value && value is DBNull ? null : value;
                yield return row;
            }
        }
    }

    /// <summary>The rows of a binary <c>COPY ... TO STDOUT</c> as tuples, each value read as its element type (NULL as null where the type holds it).</summary>
    public async IAsyncEnumerable<(T1, T2)> ExportAsync<T1,T2>(string copyToStdout, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var exporter = await BeginBinaryExportCoreAsync(copyToStdout, async: true, cancellationToken).ConfigureAwait(false);
        await using (exporter.ConfigureAwait(false))
        {
            CheckArity(exporter, 2);
            while (await exporter.StartRowAsync(cancellationToken).ConfigureAwait(false) >= 0)
                yield return (exporter.Read<T1>(), exporter.Read<T2>());
        }
    }
    /// <summary>The rows of a binary <c>COPY ... TO STDOUT</c> as tuples, each value read as its element type (NULL as null where the type holds it).</summary>
    public async IAsyncEnumerable<(T1, T2, T3)> ExportAsync<T1,T2,T3>(string copyToStdout, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var exporter = await BeginBinaryExportCoreAsync(copyToStdout, async: true, cancellationToken).ConfigureAwait(false);
        await using (exporter.ConfigureAwait(false))
        {
            CheckArity(exporter, 3);
            while (await exporter.StartRowAsync(cancellationToken).ConfigureAwait(false) >= 0)
                yield return (exporter.Read<T1>(), exporter.Read<T2>(), exporter.Read<T3>());
        }
    }
    /// <summary>The rows of a binary <c>COPY ... TO STDOUT</c> as tuples, each value read as its element type (NULL as null where the type holds it).</summary>
    public async IAsyncEnumerable<(T1, T2, T3, T4)> ExportAsync<T1,T2,T3,T4>(string copyToStdout, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var exporter = await BeginBinaryExportCoreAsync(copyToStdout, async: true, cancellationToken).ConfigureAwait(false);
        await using (exporter.ConfigureAwait(false))
        {
            CheckArity(exporter, 4);
            while (await exporter.StartRowAsync(cancellationToken).ConfigureAwait(false) >= 0)
                yield return (exporter.Read<T1>(), exporter.Read<T2>(), exporter.Read<T3>(), exporter.Read<T4>());
        }
    }
    /// <summary>The rows of a binary <c>COPY ... TO STDOUT</c> as tuples, each value read as its element type (NULL as null where the type holds it).</summary>
    public async IAsyncEnumerable<(T1, T2, T3, T4, T5)> ExportAsync<T1,T2,T3,T4,T5>(string copyToStdout, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var exporter = await BeginBinaryExportCoreAsync(copyToStdout, async: true, cancellationToken).ConfigureAwait(false);
        await using (exporter.ConfigureAwait(false))
        {
            CheckArity(exporter, 5);
            while (await exporter.StartRowAsync(cancellationToken).ConfigureAwait(false) >= 0)
                yield return (exporter.Read<T1>(), exporter.Read<T2>(), exporter.Read<T3>(), exporter.Read<T4>(), exporter.Read<T5>());
        }
    }
    /// <summary>The rows of a binary <c>COPY ... TO STDOUT</c> as tuples, each value read as its element type (NULL as null where the type holds it).</summary>
    public async IAsyncEnumerable<(T1, T2, T3, T4, T5, T6)> ExportAsync<T1,T2,T3,T4,T5,T6>(string copyToStdout, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var exporter = await BeginBinaryExportCoreAsync(copyToStdout, async: true, cancellationToken).ConfigureAwait(false);
        await using (exporter.ConfigureAwait(false))
        {
            CheckArity(exporter, 6);
            while (await exporter.StartRowAsync(cancellationToken).ConfigureAwait(false) >= 0)
                yield return (exporter.Read<T1>(), exporter.Read<T2>(), exporter.Read<T3>(), exporter.Read<T4>(), exporter.Read<T5>(), exporter.Read<T6>());
        }
    }
    /// <summary>The rows of a binary <c>COPY ... TO STDOUT</c> as tuples, each value read as its element type (NULL as null where the type holds it).</summary>
    public async IAsyncEnumerable<(T1, T2, T3, T4, T5, T6, T7)> ExportAsync<T1,T2,T3,T4,T5,T6,T7>(string copyToStdout, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var exporter = await BeginBinaryExportCoreAsync(copyToStdout, async: true, cancellationToken).ConfigureAwait(false);
        await using (exporter.ConfigureAwait(false))
        {
            CheckArity(exporter, 7);
            while (await exporter.StartRowAsync(cancellationToken).ConfigureAwait(false) >= 0)
                yield return (exporter.Read<T1>(), exporter.Read<T2>(), exporter.Read<T3>(), exporter.Read<T4>(), exporter.Read<T5>(), exporter.Read<T6>(), exporter.Read<T7>());
        }
    }

    private static void CheckArity(PgBinaryExporter exporter, int arity)
    {
        if (exporter.NumColumns != arity)
            throw new ArgumentException($"The COPY has {exporter.NumColumns} column(s), but the tuple asked for has {arity}; the COPY was stopped.");
    }
}
