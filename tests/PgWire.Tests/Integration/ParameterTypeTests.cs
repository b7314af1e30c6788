using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Integration;

/// <summary>The PostgreSQL type a parameter is sent as follows from its .NET type, as the server itself reports.</summary>
[Collection("Database")]
public sealed class ParameterTypeTests(DatabaseFixture db) : IAsyncLifetime
{
    private PgConnection _conn = null!;

    public async Task InitializeAsync() => _conn = await db.OpenAsync();

    public async Task DisposeAsync() => await _conn.DisposeAsync();

    public static TheoryData<object, string> ValuesAndServerTypes => new()
    {
        { (short)1, "smallint" },
        { 1, "integer" },
        { 1L, "bigint" },
        { true, "boolean" },
        { 1.5f, "real" },
        { 1.5, "double precision" },
        { 1.5m, "numeric" },
        { new byte[] { 1 }, "bytea" },
        { 1u, "oid" },
    };

    [Theory]
    [MemberData(nameof(ValuesAndServerTypes))]
    public async Task A_parameter_is_sent_as_the_type_its_dotnet_type_maps_to(object value, string serverType) =>
        Assert.Equal(serverType, await _conn.QueryScalarAsync<string>("SELECT pg_typeof($1)::text", value));

    [Fact]
    public async Task A_string_parameter_is_sent_untyped_so_the_server_infers_its_type_from_the_statement()
    {
        await _conn.ExecuteAsync("CREATE TEMP TABLE inferred (d date, n int4)");

        await _conn.ExecuteAsync("INSERT INTO inferred VALUES ($1, $2)", "2024-02-29", "17");

        var row = (await _conn.QueryAsync("SELECT d::text AS d, n FROM inferred"))[0];
        Assert.Equal("2024-02-29", row["d"]);
        Assert.Equal(17, row["n"]);
    }

    [Theory]
    [InlineData(PgDbType.Smallint, "smallint")]
    [InlineData(PgDbType.Integer, "integer")]
    [InlineData(PgDbType.Bigint, "bigint")]
    [InlineData(PgDbType.Numeric, "numeric")]
    [InlineData(PgDbType.Double, "double precision")]
    public async Task An_integer_with_an_explicit_PgDbType_is_sent_as_that_type(PgDbType type, string serverType)
    {
        var row = (await _conn.QueryAsync("SELECT pg_typeof($1)::text AS type, $1::text AS value", new PgParameter(7, type)))[0];

        Assert.Equal(serverType, row["type"]);
        Assert.Equal("7", row["value"]);
    }

    [Fact]
    public async Task A_value_that_does_not_fit_its_explicit_PgDbType_is_refused_before_sending()
    {
        var e = await Assert.ThrowsAsync<PgConversionException>(() =>
            _conn.QueryAsync("SELECT $1", new PgParameter(70000, PgDbType.Smallint)).AsTask());

        Assert.Equal(PgErrorCodes.NumericValueOutOfRange, e.SqlState);
        Assert.Equal(1, await _conn.QueryScalarAsync<int>("SELECT 1"));
    }
}
