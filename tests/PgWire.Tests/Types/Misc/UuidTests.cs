using CsCheck;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Types.Misc;

[Collection("Database")]
public sealed class UuidTests(DatabaseFixture db)
{
    [Fact]
    public async Task A_Guid_sent_as_a_parameter_prints_on_the_server_as_its_own_text()
    {
        await using var conn = await db.OpenAsync();
        await Differential.SentValuesPrintAsExpectedAsync(conn, Gen.Guid, "SELECT $1::uuid::text", g => g.ToString("D"));
    }

    [Fact]
    public async Task A_uuid_made_by_the_server_reads_as_the_Guid_of_its_text()
    {
        await using var conn = await db.OpenAsync();
        await Differential.ServerValuesReadAsPrintedAsync<Guid>(conn, "gen_random_uuid()", g => g.ToString("D"));
    }

    [Fact]
    public async Task Guid_byte_order_matches_the_server_in_both_directions()
    {
        // Every byte differs, so a swapped field (Guid's mixed-endian layout) cannot go unnoticed.
        var guid = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");
        await using var conn = await db.OpenAsync();
        Assert.Equal("00112233-4455-6677-8899-aabbccddeeff", await conn.QueryScalarAsync<string>("SELECT $1::text", guid));
        Assert.Equal(guid, await conn.QueryScalarAsync<Guid>("SELECT '00112233-4455-6677-8899-aabbccddeeff'::uuid"));
        Assert.Equal("\\x00112233445566778899aabbccddeeff", await conn.QueryScalarAsync<string>("SELECT uuid_send($1)::text", guid));
    }

    [Fact]
    public async Task A_uuid_column_reports_Guid_and_reads_as_string_too()
    {
        await using var conn = await db.OpenAsync();
        await using var cmd = new PgCommand("SELECT 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(typeof(Guid), reader.GetFieldType(0));
        Assert.Equal("uuid", reader.GetDataTypeName(0));
        Assert.Equal(Guid.Parse("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), reader.GetGuid(0));
        Assert.Equal("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", reader.GetString(0));
        Assert.IsType<Guid>(reader.GetValue(0));
    }

    [Fact]
    public async Task A_string_parameter_named_Uuid_is_sent_as_uuid()
    {
        await using var conn = await db.OpenAsync();
        Assert.Equal("uuid", await conn.QueryScalarAsync<string>("SELECT pg_typeof($1)::text",
            new PgParameter((object)"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", PgDbType.Uuid)));
    }
}
