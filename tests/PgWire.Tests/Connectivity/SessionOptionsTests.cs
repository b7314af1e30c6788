using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Connectivity;

/// <summary>
/// Connection-string keywords that shape the session or its socket: Keepalive, Search Path, Timezone and
/// Options (libpq's <c>-c name=value</c> settings), checked with SHOW on the session itself.
/// </summary>
[Collection("Database")]
public sealed class SessionOptionsTests(DatabaseFixture db)
{
    private string With(string extra) =>
        new PgConnectionStringBuilder(db.ConnectionString) { Pooling = false }.ConnectionString + ";" + extra;

    [Fact]
    public async Task Keepalive_connects_and_the_connection_runs_queries()
    {
        await using var conn = await db.OpenAsync(With("Keepalive=30"));

        Assert.Equal(System.Data.ConnectionState.Open, conn.State);
        Assert.Equal(7, await conn.QueryScalarAsync<int>("SELECT 7"));
    }

    [Fact]
    public async Task Search_Path_sets_the_sessions_search_path()
    {
        await db.Server.RunSqlAsync("CREATE SCHEMA IF NOT EXISTS myschema");
        await using var conn = await db.OpenAsync(With("Search Path=myschema,public"));

        var searchPath = await conn.QueryScalarAsync<string>("SHOW search_path");

        Assert.Equal("myschema,public", searchPath!.Replace(" ", "", StringComparison.Ordinal));
        Assert.Equal("myschema", await conn.QueryScalarAsync<string>("SELECT current_schema()::text"));
    }

    [Fact]
    public async Task Search_Path_decides_where_an_unqualified_table_is_created()
    {
        await db.Server.RunSqlAsync("CREATE SCHEMA IF NOT EXISTS myschema; GRANT ALL ON SCHEMA myschema TO PUBLIC");
        await using var conn = await db.OpenAsync(With("Search Path=myschema,public"));

        await conn.ExecuteAsync("DROP TABLE IF EXISTS myschema.search_path_probe");
        await conn.ExecuteAsync("CREATE TABLE search_path_probe (x int)");

        Assert.Equal("myschema", await conn.QueryScalarAsync<string>(
            "SELECT n.nspname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = 'search_path_probe'"));
        await conn.ExecuteAsync("DROP TABLE myschema.search_path_probe");
    }

    [Fact]
    public async Task Timezone_sets_the_sessions_TimeZone()
    {
        await using var conn = await db.OpenAsync(With("Timezone=America/New_York"));

        Assert.Equal("America/New_York", await conn.QueryScalarAsync<string>("SHOW TimeZone"));
        Assert.Equal("America/New_York", conn.GetServerParameter("TimeZone"));
    }

    [Fact]
    public async Task Options_passes_a_dash_c_setting_to_the_server()
    {
        await using var conn = await db.OpenAsync(With("Options=-c statement_timeout=1234"));

        Assert.Equal("1234ms", await conn.QueryScalarAsync<string>("SHOW statement_timeout"));
    }

    [Fact]
    public async Task Options_passes_several_dash_c_settings()
    {
        await using var conn = await db.OpenAsync(With("Options='-c statement_timeout=1234 -c lock_timeout=567'"));

        Assert.Equal("1234ms", await conn.QueryScalarAsync<string>("SHOW statement_timeout"));
        Assert.Equal("567ms", await conn.QueryScalarAsync<string>("SHOW lock_timeout"));
    }

    [Fact]
    public async Task The_settings_of_Options_are_the_sessions_defaults_and_RESET_returns_to_them()
    {
        await using var conn = await db.OpenAsync(With("Options=-c statement_timeout=1234"));

        await conn.ExecuteAsync("SET statement_timeout = 5000");
        await conn.ExecuteAsync("RESET statement_timeout");

        Assert.Equal("1234ms", await conn.QueryScalarAsync<string>("SHOW statement_timeout"));
    }
}
