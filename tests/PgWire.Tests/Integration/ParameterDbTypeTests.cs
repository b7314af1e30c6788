using System.Data;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Integration;

/// <summary>
/// <see cref="PgParameter.DbType"/> as ADO.NET tools set it: <see cref="DbType.Object"/>, what an unset type reads as,
/// leaves the choice to the value (Dapper's DynamicParameters set it for a value of any type).
/// </summary>
[Collection("Database")]
public sealed class ParameterDbTypeTests(DatabaseFixture db)
{
    private async Task<string> TypeSentAsync(PgParameter parameter)
    {
        await using var conn = await db.OpenAsync();
        await using var cmd = new PgCommand("SELECT pg_typeof($1)::text", conn);
        cmd.Parameters.Add(parameter);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    [Fact]
    public void An_unset_DbType_reads_as_Object_and_setting_Object_keeps_it_unset()
    {
        var parameter = new PgParameter { Value = 5, DbType = DbType.Int64 };

        parameter.DbType = DbType.Object;

        Assert.Equal(DbType.Object, parameter.DbType);
        Assert.Equal(PgDbType.Unknown, parameter.PgDbType);
    }

    [Theory]
    [InlineData(new[] { 1, 2 }, "integer[]")]
    [InlineData(5L, "bigint")]
    [InlineData(true, "boolean")]
    public async Task A_value_with_DbType_Object_goes_as_its_own_type(object value, string expected)
    {
        Assert.Equal(expected, await TypeSentAsync(new PgParameter { Value = value, DbType = DbType.Object }));
    }

    [Fact]
    public async Task PgDbType_Unknown_still_sends_the_value_untyped_for_the_server_to_infer()
    {
        await using var conn = await db.OpenAsync();
        await using var cmd = new PgCommand("SELECT $1 + 1", conn);
        cmd.Parameters.Add(new PgParameter("41", PgDbType.Unknown));
        cmd.Parameters[0].DbType = DbType.Object;
        cmd.Parameters[0].PgDbType = PgDbType.Unknown;

        // Untyped, "41" is read as the integer the + operator wants.
        Assert.Equal(42, await cmd.ExecuteScalarAsync());
    }
}
