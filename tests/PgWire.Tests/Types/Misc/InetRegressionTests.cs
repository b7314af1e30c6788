using System.Net;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Types.Misc;

[Collection("Database")]
public sealed class InetRegressionTests(DatabaseFixture db)
{
    [Fact]
    public async Task The_well_known_IPAddress_instances_are_sent_as_inet_although_their_runtime_type_is_a_subclass()
    {
        await using var conn = await db.OpenAsync();
        Assert.Equal("127.0.0.1/32", await conn.QueryScalarAsync<string>("SELECT $1::text", IPAddress.Loopback));
        Assert.Equal("::/128", await conn.QueryScalarAsync<string>("SELECT $1::text", IPAddress.IPv6Any));
    }

    [Fact]
    public async Task A_char_that_does_not_fit_one_byte_is_refused_for_the_internal_char_type_instead_of_truncated()
    {
        await using var conn = await db.OpenAsync();
        await Assert.ThrowsAsync<PgConversionException>(async () =>
            await conn.QueryScalarAsync<string>("SELECT $1::text", new PgParameter('€', PgDbType.InternalChar)));
        Assert.Equal(1, await conn.QueryScalarAsync<int>("SELECT 1"));
    }
}
