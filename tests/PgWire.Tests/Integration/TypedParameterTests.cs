using PgWire.Connection;
using PgWire.Tests.Infrastructure;
using PgWire.Types;

namespace PgWire.Tests.Integration;

/// <summary>
/// <see cref="PgParameter{T}"/>: a value type bound from <see cref="PgParameter{T}.TypedValue"/> without boxing, sent
/// as the same PostgreSQL type as the untyped parameter would be, with NULL and conversions handled as before.
/// </summary>
[Collection("Database")]
public sealed class TypedParameterTests(DatabaseFixture db) : IAsyncLifetime
{
    private PgConnection _conn = null!;

    public async Task InitializeAsync() => _conn = await db.OpenAsync();

    public async Task DisposeAsync() => await _conn.DisposeAsync();

    private async Task<(string Type, string Text)> SendAsync(PgParameter parameter)
    {
        await using var cmd = new PgCommand("SELECT pg_typeof($1)::text, $1::text", _conn);
        cmd.Parameters.Add(parameter);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetString(0), reader.IsDBNull(1) ? "NULL" : reader.GetString(1));
    }

    [Fact]
    public async Task Value_types_go_as_their_PostgreSQL_types_with_their_values()
    {
        Assert.Equal(("integer", "-42"), await SendAsync(new PgParameter<int>(-42)));
        Assert.Equal(("bigint", "9000000000"), await SendAsync(new PgParameter<long>(9_000_000_000)));
        Assert.Equal(("smallint", "7"), await SendAsync(new PgParameter<short>(7)));
        Assert.Equal(("boolean", "true"), await SendAsync(new PgParameter<bool>(true)));
        Assert.Equal(("double precision", "1.25"), await SendAsync(new PgParameter<double>(1.25)));
        Assert.Equal(("numeric", "12.3400"), await SendAsync(new PgParameter<decimal>(12.3400m)));
        var guid = Guid.Parse("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        Assert.Equal(("uuid", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), await SendAsync(new PgParameter<Guid>(guid)));
    }

    [Fact]
    public async Task A_typed_value_reads_back_equal_to_the_same_value_sent_untyped()
    {
        var when = new DateTime(2024, 2, 29, 13, 14, 15, DateTimeKind.Utc).AddTicks(1230);
        await using var cmd = new PgCommand("SELECT $1 = $2", _conn);
        cmd.Parameters.Add(new PgParameter<DateTime>(when));
        cmd.Parameters.Add(new PgParameter(when));
        Assert.True((bool)(await cmd.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Reference_and_nullable_types_send_their_values_and_NULL()
    {
        Assert.Equal(("text", "hello"), await SendAsync(new PgParameter<string>("hello") { PgDbType = PgDbType.Text }));
        Assert.Equal(("integer", "5"), await SendAsync(new PgParameter<int?>(5)));
        Assert.Equal(("integer", "NULL"), await SendAsync(new PgParameter<int?>(null) { PgDbType = PgDbType.Integer }));
        Assert.Equal(("text", "NULL"), await SendAsync(new PgParameter<string>(null!) { PgDbType = PgDbType.Text }));
    }

    [Fact]
    public async Task An_explicit_PgDbType_other_than_the_values_own_type_converts_the_value()
    {
        Assert.Equal(("bigint", "12"), await SendAsync(new PgParameter<int>(12) { PgDbType = PgDbType.Bigint }));
        Assert.Equal(("numeric", "3"), await SendAsync(new PgParameter<int>(3) { PgDbType = PgDbType.Numeric }));
    }

    [Fact]
    public async Task A_reused_typed_parameter_sends_its_current_value_each_time_the_command_runs()
    {
        await using var cmd = new PgCommand("SELECT $1 * 2", _conn);
        var p = new PgParameter<int>();
        cmd.Parameters.Add(p);
        for (int i = 0; i < 10; i++)
        {
            p.TypedValue = i;
            Assert.Equal(i * 2, (int)(await cmd.ExecuteScalarAsync())!);
        }
    }

    [Fact]
    public async Task Typed_parameters_work_in_the_native_API_and_beside_untyped_ones()
    {
        var sum = await _conn.QueryScalarAsync<long>("SELECT $1::bigint + $2 + $3", new PgParameter<long>(40), 1, new PgParameter<short>(1));
        Assert.Equal(42, sum);
    }

    [Fact]
    public void Value_reads_and_writes_the_typed_value()
    {
        var p = new PgParameter<int>(5);
        Assert.Equal(5, p.Value);
        p.Value = 9;
        Assert.Equal(9, p.TypedValue);
    }

    [Fact]
    public void Setting_Value_to_another_type_or_to_NULL_for_a_non_nullable_type_is_an_InvalidCastException()
    {
        var p = new PgParameter<int>(5);
        var wrongType = Assert.Throws<InvalidCastException>(() => p.Value = "5");
        Assert.Contains("String", wrongType.Message);
        var nullValue = Assert.Throws<InvalidCastException>(() => p.Value = DBNull.Value);
        Assert.Contains("int?", nullValue.Message.Replace("Int32?", "int?"));
        Assert.Equal(5, p.TypedValue);

        var nullable = new PgParameter<int?>(5) { Value = DBNull.Value };
        Assert.Null(nullable.TypedValue);
    }

    [Fact]
    public void Binding_a_typed_value_type_allocates_nothing()
    {
        var registry = PgTypeRegistry.Default;
        var bound = new BoundParameters();
        var p = new PgParameter<long>(1);
        var q = new PgParameter<Guid>(Guid.NewGuid());
        p.Bind(bound, registry);
        q.Bind(bound, registry);
        bound.Clear();

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            p.TypedValue = i;
            p.Bind(bound, registry);
            q.Bind(bound, registry);
            bound.Clear();
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void The_bytes_sent_are_those_of_the_value_when_it_was_bound()
    {
        var bound = new BoundParameters();
        var p = new PgParameter<int>(0x01020304);
        p.Bind(bound, PgTypeRegistry.Default);
        p.TypedValue = -1;

        var written = new byte[bound.GetLength(0)];
        bound.Write(0, written);

        Assert.Equal(new byte[] { 1, 2, 3, 4 }, written);
    }
}
