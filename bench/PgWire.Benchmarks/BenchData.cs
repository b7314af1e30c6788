namespace PgWire.Benchmarks;

/// <summary>The tables the workloads read and write, generated on the server so loading takes seconds.</summary>
internal static class BenchData
{
    public const int LookupRows = 10_000;
    public const int WideRows = 100_000;

    public const string LookupSql = "SELECT id, name, is_active FROM bench_data WHERE id = $1";

    /// <summary>The lookup with a named placeholder, bound by the parameter's name (W2n): both drivers rewrite it to $1.</summary>
    public const string NamedLookupSql = "SELECT id, name, is_active FROM bench_data WHERE id = @id";

    /// <summary>The lookup with a counter in a comment: a SQL text the connection has never run (W8).</summary>
    public static string NewLookupSql(long serial) =>
        "SELECT id, name, is_active FROM bench_data WHERE id = $1 /* " + serial.ToString(System.Globalization.CultureInfo.InvariantCulture) + " */";
    public const string WideSql =
        "SELECT c_int4, c_int8, c_text, c_bool, c_float8, c_timestamptz, c_numeric, c_uuid FROM bench_wide";
    public const string InsertSql = "INSERT INTO bench_insert (id, name, is_active) VALUES ($1, $2, $3)";

    private static readonly string[] Setup =
    [
        "DROP TABLE IF EXISTS bench_data, bench_wide, bench_insert, bench_copy, bench_copy_out",
        "CREATE TABLE bench_data (id int PRIMARY KEY, name text NOT NULL, is_active bool NOT NULL)",
        $"""
        INSERT INTO bench_data
        SELECT i, 'name ' || i || ' ' || md5(i::text), i % 2 = 0 FROM generate_series(1, {LookupRows}) i
        """,
        """
        CREATE TABLE bench_wide (
            c_int4 int4 NOT NULL, c_int8 int8 NOT NULL, c_text text NOT NULL, c_bool bool NOT NULL,
            c_float8 float8 NOT NULL, c_timestamptz timestamptz NOT NULL, c_numeric numeric(14, 4) NOT NULL,
            c_uuid uuid NOT NULL)
        """,
        $"""
        INSERT INTO bench_wide
        SELECT i, i::int8 * 1000003, 'text value ' || i || repeat('x', i % 24), i % 3 = 0, i / 7.0,
               timestamptz '2024-01-01 00:00:00+00' + i * interval '1.234567 second', (i * 3.1416)::numeric(14, 4),
               md5(i::text)::uuid
        FROM generate_series(1, {WideRows}) i
        """,
        "CREATE TABLE bench_insert (id int NOT NULL, name text NOT NULL, is_active bool NOT NULL)",
        // W4 imports into bench_copy; W4e exports bench_copy_out: W3's shape, 200,000 rows.
        "CREATE TABLE bench_copy (LIKE bench_wide)",
        "CREATE TABLE bench_copy_out (LIKE bench_wide)",
        $"""
        INSERT INTO bench_copy_out
        SELECT i, i::int8 * 1000003, 'text value ' || i || repeat('x', i % 24), i % 3 = 0, i / 7.0,
               timestamptz '2024-01-01 00:00:00+00' + i * interval '1.234567 second', (i * 3.1416)::numeric(14, 4),
               md5(i::text)::uuid
        FROM generate_series(1, {CopyData.Rows}) i
        """,
        "VACUUM ANALYZE bench_data",
        "VACUUM ANALYZE bench_wide",
        "VACUUM ANALYZE bench_copy_out",
    ];

    public static async Task CreateAsync(string connectionString)
    {
        await using var connection = new PgConnection(ConnectionStrings.With(connectionString, ("Pooling", "false")));
        await connection.OpenAsync();
        foreach (var sql in Setup)
            await connection.ExecuteAsync(sql);
    }
}
