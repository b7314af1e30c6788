using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Integration;

/// <summary>SQL NULL in both directions for every type PgWire reads natively: null and DBNull.Value as parameters.</summary>
[Collection("Database")]
public sealed class NullTests(DatabaseFixture db) : IAsyncLifetime
{
    private PgConnection _conn = null!;

    public async Task InitializeAsync() => _conn = await db.OpenAsync();

    public async Task DisposeAsync() => await _conn.DisposeAsync();

    public static TheoryData<string, bool> TypesAndNullSpellings()
    {
        var data = new TheoryData<string, bool>();
        foreach (string type in new[]
                 {
                     "int2", "int4", "int8", "bool", "float4", "float8", "numeric", "text", "varchar", "bpchar", "name",
                     "\"char\"", "bytea", "oid",
                 })
        {
            data.Add(type, false);
            data.Add(type, true);
        }
        return data;
    }

    private static object? Null(bool asDbNull) => asDbNull ? DBNull.Value : null;

    [Theory]
    [MemberData(nameof(TypesAndNullSpellings))]
    public async Task A_null_parameter_arrives_as_SQL_NULL(string type, bool asDbNull) =>
        Assert.True(await _conn.ReadSingleAsync<bool>($"SELECT $1::{type} IS NULL", Null(asDbNull)));

    [Theory]
    [MemberData(nameof(TypesAndNullSpellings))]
    public async Task A_NULL_column_reads_as_DBNull_through_the_data_reader(string type, bool asDbNull)
    {
        await using var cmd = new PgCommand($"SELECT $1::{type}", _conn);
        cmd.Parameters.Add(new PgParameter { Value = Null(asDbNull) });
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());

        Assert.True(reader.IsDBNull(0));
        Assert.Same(DBNull.Value, reader.GetValue(0));
    }

    [Theory]
    [MemberData(nameof(TypesAndNullSpellings))]
    public async Task A_NULL_column_reads_as_null_through_the_native_api(string type, bool asDbNull)
    {
        // The type name is SQL text, so the statement is built as a plain string (not an interpolated SQL argument).
        string sql = "SELECT $1::" + type + " AS value";
        var rows = await _conn.QueryAsync(sql, Null(asDbNull));

        Assert.Null(Assert.Single(rows)["value"]);
    }

    [Fact]
    public async Task A_NULL_column_reads_as_null_for_nullable_and_reference_types_through_GetFieldValue()
    {
        Assert.Null(await _conn.ReadSingleAsync<int?>("SELECT NULL::int4"));
        Assert.Null(await _conn.ReadSingleAsync<string>("SELECT NULL::text"));
        Assert.Null(await _conn.ReadSingleAsync<byte[]>("SELECT NULL::bytea"));
    }

    [Fact]
    public async Task A_NULL_column_read_as_a_non_nullable_value_type_throws_InvalidCastException() =>
        await Assert.ThrowsAsync<InvalidCastException>(() => _conn.ReadSingleAsync<int>("SELECT NULL::int4"));

    [Fact]
    public async Task A_non_NULL_column_reads_as_its_value_through_a_nullable_type() =>
        Assert.Equal(5, await _conn.ReadSingleAsync<int?>("SELECT 5::int4"));

    [Fact]
    public async Task A_typed_null_parameter_carries_its_type_to_the_server()
    {
        var row = (await _conn.QueryAsync("SELECT $1 IS NULL AS is_null, pg_typeof($1)::text AS type",
            new PgParameter { Value = null, PgDbType = PgDbType.Bigint }))[0];

        Assert.Equal(true, row["is_null"]);
        Assert.Equal("bigint", row["type"]);
    }

    [Fact]
    public async Task A_null_parameter_can_be_inserted_and_a_NULL_stored_by_the_server_reads_back_as_null()
    {
        await _conn.ExecuteAsync("CREATE TEMP TABLE null_values (id int4, n int4, t text, b bytea)");
        await _conn.ExecuteAsync("INSERT INTO null_values VALUES ($1, $2, $3, $4)", 1, null, DBNull.Value, null);

        var row = (await _conn.QueryAsync("SELECT n IS NULL AND t IS NULL AND b IS NULL AS all_null, n, t, b FROM null_values"))[0];

        Assert.Equal(true, row["all_null"]);
        Assert.Null(row["n"]);
        Assert.Null(row["t"]);
        Assert.Null(row["b"]);
    }
}
