namespace PgWire.Benchmarks;

/// <summary>
/// W4 and W4e: 200,000 rows of W3's shape (the eight columns of bench_wide), built once in memory for the import so
/// both drivers send the same values and neither pays for making them; the export reads bench_copy_out, the same rows
/// made on the server, and both drivers' checksums must agree.
/// </summary>
internal static class CopyData
{
    public const int Rows = 200_000;

    private const string Columns = "c_int4, c_int8, c_text, c_bool, c_float8, c_timestamptz, c_numeric, c_uuid";

    public const string ImportSql = $"COPY bench_copy ({Columns}) FROM STDIN (FORMAT BINARY)";

    public const string ExportSql = $"COPY bench_copy_out ({Columns}) TO STDOUT (FORMAT BINARY)";

    /// <summary>The export's checksums, apart from W3's.</summary>
    public static readonly ChecksumBook ExportChecksums = new();

    internal readonly record struct WideRow(int Int4, long Int8, string Text, bool Bool, double Float8, DateTime At, decimal Numeric, Guid Uuid);

    private static WideRow[]? _values;

    public static WideRow[] Values => _values ??= Build();

    private static WideRow[] Build()
    {
        var epoch = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var rows = new WideRow[Rows];
        Span<byte> uuid = stackalloc byte[16];
        for (int i = 1; i <= Rows; i++)
        {
            BitConverter.TryWriteBytes(uuid, unchecked((ulong)i * 0x9E3779B97F4A7C15UL));
            BitConverter.TryWriteBytes(uuid[8..], (long)i);
            rows[i - 1] = new WideRow(i, i * 1000003L, "text value " + i + new string('x', i % 24), i % 3 == 0, i / 7.0,
                epoch.AddTicks(i * 12_345_670L), Math.Round(i * 3.1416m, 4), new Guid(uuid));
        }
        return rows;
    }
}
