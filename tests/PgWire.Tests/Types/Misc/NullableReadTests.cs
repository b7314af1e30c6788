using System.Net;
using System.Numerics;
using System.Text.Json;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Types.Misc;

/// <summary>T? for a T a column reads as, other than its default type: SQL NULL as null, a value as the T read would give.</summary>
[Collection("Database")]
public sealed class NullableReadTests(DatabaseFixture db)
{
    [Fact]
    public async Task Alternative_value_types_read_as_nullable()
    {
        await using var conn = await db.OpenAsync();
        await using var cmd = new PgCommand(
            "SELECT B'1', NULL::bit(1), '10.0.0.0/8'::inet, 12345678901234567890123::numeric, 'pg_class'::regclass, '{\"a\": 1}'::jsonb", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.True(reader.GetFieldValue<bool?>(0));
        Assert.Null(reader.GetFieldValue<bool?>(1));
        Assert.Equal(IPNetwork.Parse("10.0.0.0/8"), reader.GetFieldValue<IPNetwork?>(2));
        Assert.Equal(BigInteger.Parse("12345678901234567890123"), reader.GetFieldValue<BigInteger?>(3));
        Assert.Equal(1259L, reader.GetFieldValue<long?>(4));
        Assert.Equal(1, reader.GetFieldValue<JsonElement?>(5)!.Value.GetProperty("a").GetInt32());
        Assert.Throws<InvalidCastException>(() => reader.GetFieldValue<DateTime?>(0));
    }
}
