using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.PreparedStatements;

/// <summary>
/// A statement's first run on a connection goes in one round trip: it is described in the same write as its
/// execution, so its rows arrive as text, and each type's text decoder must read the .NET value a prepared (binary)
/// run reads. Where text cannot give that value (OIDs printed as names, settings that change how values print), the
/// statement is described in a round trip of its own first. The wire shape is checked on the fake server.
/// </summary>
[Collection("Database")]
public sealed class FirstRunTests(DatabaseFixture db)
{
    private async Task<PgConnection> OpenAsync()
    {
        var connection = new PgConnection(db.ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Runs <paramref name="sql"/> as a statement new to the connection, then prepared, and returns both rows' values.</summary>
    private static async Task<(object[] First, object[] Prepared)> BothWaysAsync(PgConnection conn, string sql)
    {
        var first = await ReadRowAsync(new PgCommand(sql, conn));
        var prepared = new PgCommand(sql, conn);
        await prepared.PrepareAsync();
        return (first, await ReadRowAsync(prepared));
    }

    private static async Task<object[]> ReadRowAsync(PgCommand cmd)
    {
        await using (cmd)
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            var values = new object[reader.FieldCount];
            reader.GetValues(values);
            return values;
        }
    }

    [Fact]
    public async Task A_new_statement_reads_the_same_values_and_types_as_its_prepared_run_for_a_row_of_many_types()
    {
        await using var conn = await OpenAsync();
        await conn.ExecuteAsync("DROP TYPE IF EXISTS first_run_pair; CREATE TYPE first_run_pair AS (a int4, b text)");
        await conn.ReloadTypesAsync();
        const string sql = """
            SELECT 1::int2, 2::int4, 3::int8, 12345.678::numeric, 0.1::float8 + 0.2::float8, 1.5::float4, 'x, "y"'::text,
                   '\x00ff10'::bytea, true, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid, '2024-02-29'::date,
                   '2024-02-29 13:14:15.123456'::timestamp, '2024-02-29 13:14:15.123456+05:30'::timestamptz,
                   '-3 days 04:05:06.789'::interval, '{"a": [1, 2]}'::jsonb, '{1,NULL,3}'::int4[],
                   '08:00:2b:01:02:03:04:05'::macaddr8, '192.168.0.1/24'::inet, ROW(7, 'p, q')::first_run_pair,
                   ARRAY[ROW(1, NULL), ROW(NULL, 'z')]::first_run_pair[], '[1,5)'::int4range, NULL::int4
            """;

        var (first, prepared) = await BothWaysAsync(conn, sql);

        Assert.Equal(prepared.Length, first.Length);
        for (int i = 0; i < prepared.Length; i++)
        {
            Assert.Equal(prepared[i].GetType(), first[i].GetType());
            Assert.Equal(prepared[i], first[i]);
        }
        Assert.Equal(0.1 + 0.2, (double)first[4]);
    }

    [Fact]
    public async Task After_the_session_lowers_extra_float_digits_a_new_statement_still_reads_the_exact_double()
    {
        await using var conn = await OpenAsync();
        await conn.ExecuteAsync("SET extra_float_digits = 0");

        // As text with extra_float_digits = 0 the sum would print (and read) as 0.3.
        Assert.Equal(0.1 + 0.2, await conn.QueryScalarAsync<double>("SELECT 0.1::float8 + 0.2::float8 /* digits */"));
    }

    [Fact]
    public async Task A_new_command_text_that_lowers_extra_float_digits_before_its_select_still_reads_the_exact_double()
    {
        await using var conn = await OpenAsync();
        await using var cmd = new PgCommand("SET extra_float_digits = 0; SELECT 0.1::float8 + 0.2::float8 /* same write */", conn);

        // The SELECT runs after the SET in the same write: as text it would print (and read) as 0.3.
        Assert.Equal(0.1 + 0.2, await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_new_command_text_that_sets_DateStyle_before_its_select_still_reads_the_date()
    {
        await using var conn = await OpenAsync();
        await using var cmd = new PgCommand("SET DateStyle = 'German'; SELECT '2024-02-29'::date /* same write */", conn);

        Assert.Equal(new DateOnly(2024, 2, 29), await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task After_the_session_sets_bytea_output_to_escape_a_new_statement_still_reads_the_bytes()
    {
        await using var conn = await OpenAsync();
        await conn.ExecuteAsync("SET bytea_output = 'escape'");

        Assert.Equal(new byte[] { 0, 0x5C, 0x41, 0xFF }, await conn.QueryScalarAsync<byte[]>("SELECT '\\x005c41ff'::bytea /* escape */"));
    }

    [Fact]
    public async Task A_new_statement_that_returns_regclass_or_regtype_reads_their_OIDs()
    {
        await using var conn = await OpenAsync();

        var row = (await conn.QueryAsync("SELECT 'pg_class'::regclass, pg_typeof(1), to_regtype('text')"))[0];

        Assert.Equal(1259u, row[0]);
        Assert.Equal(23u, row[1]);
        Assert.Equal(25u, row[2]);
    }

    [Fact]
    public async Task A_new_statement_counts_as_a_run_towards_automatic_preparation()
    {
        await using var conn = await OpenAsync();
        const string sql = "SELECT 41 + 1 /* counted */";

        await conn.QueryScalarAsync<int>(sql);
        await conn.QueryScalarAsync<int>(sql);

        Assert.Contains(sql, await conn.QueryScalarAsync<string[]>("SELECT array_agg(statement) FROM pg_prepared_statements") ?? []);
    }
}
