using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Notifications;

/// <summary>ParameterStatus, the server's other asynchronous message: what SET changes shows in ServerParameters at once.</summary>
[Collection("Database")]
public sealed class ServerParameterTests(DatabaseFixture db)
{
    [Fact]
    public async Task SET_application_name_shows_in_ServerParameters_as_soon_as_the_command_returns()
    {
        await using var conn = await db.OpenAsync();
        Assert.NotEqual("notif_app", conn.ServerParameters.GetValueOrDefault("application_name"));

        await conn.ExecuteAsync("SET application_name = 'notif_app'");

        Assert.Equal("notif_app", conn.ServerParameters["application_name"]);
        Assert.Equal("notif_app", conn.GetServerParameter("application_name"));
    }

    [Fact]
    public async Task SET_TimeZone_shows_in_ServerParameters_as_soon_as_the_command_returns()
    {
        await using var conn = await db.OpenAsync();
        string zone = conn.ServerParameters["TimeZone"] == "Asia/Tokyo" ? "Europe/Lisbon" : "Asia/Tokyo";

        await conn.ExecuteAsync("SET TimeZone = '" + zone + "'");

        Assert.Equal(zone, conn.ServerParameters["TimeZone"]);
    }

    [Fact]
    public async Task A_set_config_inside_a_query_that_returns_rows_shows_once_its_rows_are_read()
    {
        await using var conn = await db.OpenAsync();
        await using var cmd = new PgCommand("SELECT set_config('application_name', 'from_set_config', false), g FROM generate_series(1, 3) g", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        while (await reader.ReadAsync()) { }
        await reader.CloseAsync();

        Assert.Equal("from_set_config", conn.ServerParameters["application_name"]);
    }

    [Fact]
    public async Task A_pooled_connections_reset_puts_the_reported_parameters_back_for_its_next_user()
    {
        await using var dataSource = PgDataSource.Create(db.ConnectionString + ";Maximum Pool Size=1;Application Name=notif_param");
        await using (var previous = await dataSource.OpenConnectionAsync())
        {
            await previous.ExecuteAsync("SET application_name = 'previous_user'");
            Assert.Equal("previous_user", previous.ServerParameters["application_name"]);
        }

        await using var next = await dataSource.OpenConnectionAsync();
        Assert.Equal(1, await next.QueryScalarAsync<int>("SELECT 1"));

        Assert.Equal("notif_param", next.ServerParameters["application_name"]);
    }
}
