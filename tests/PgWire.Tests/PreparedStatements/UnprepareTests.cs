using PgWire.Tests.Infrastructure;
using PgWire.Tests.Pooling;

namespace PgWire.Tests.PreparedStatements;

/// <summary>
/// <see cref="PgCommand.IsPrepared"/>, <see cref="PgCommand.Unprepare"/> and <see cref="PgConnection.UnprepareAll"/>,
/// checked against the server's own list of the session's prepared statements.
/// </summary>
[Collection("Database")]
public sealed class UnprepareTests(DatabaseFixture db)
{
    private async Task<PgConnection> OpenAsync()
    {
        var connection = new PgConnection(db.ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        return connection;
    }

    [Fact]
    public async Task A_command_prepared_on_request_is_IsPrepared_until_Unprepare_closes_it_on_the_server()
    {
        await using var conn = await OpenAsync();
        await using var cmd = new PgCommand("SELECT $1::int4 + 1 /* on request */", conn);
        cmd.Parameters.Add(new PgParameter<int>(1));
        Assert.False(cmd.IsPrepared);

        await cmd.PrepareAsync();
        Assert.True(cmd.IsPrepared);
        Assert.Equal(2, await cmd.ExecuteScalarAsync());
        Assert.Equal(["SELECT $1::int4 + 1 /* on request */"], await ServerPreparedStatements.OfAsync(conn));

        cmd.Unprepare();

        Assert.False(cmd.IsPrepared);
        Assert.Equal(2, await cmd.ExecuteScalarAsync());
        Assert.Empty(await ServerPreparedStatements.OfAsync(conn));
    }

    [Fact]
    public async Task An_automatically_prepared_command_can_be_unprepared_and_is_prepared_again_when_run_often_again()
    {
        await using var conn = await OpenAsync();
        await using var cmd = new PgCommand("SELECT 7 /* automatic */", conn);
        await cmd.ExecuteScalarAsync();
        await cmd.ExecuteScalarAsync();
        Assert.True(cmd.IsPrepared);

        cmd.Unprepare();
        Assert.Equal(7, await cmd.ExecuteScalarAsync());
        Assert.False(cmd.IsPrepared);
        Assert.Empty(await ServerPreparedStatements.OfAsync(conn));

        await cmd.ExecuteScalarAsync();
        Assert.True(cmd.IsPrepared);
        Assert.Equal(["SELECT 7 /* automatic */"], await ServerPreparedStatements.OfAsync(conn));
    }

    [Fact]
    public async Task IsPrepared_is_per_parameter_type()
    {
        await using var conn = await OpenAsync();
        await using var cmd = new PgCommand("SELECT $1 /* typed */", conn);
        var p = new PgParameter(1);
        cmd.Parameters.Add(p);
        await cmd.PrepareAsync();
        Assert.True(cmd.IsPrepared);

        p.Value = 1L;

        Assert.False(cmd.IsPrepared);
    }

    [Fact]
    public async Task UnprepareAll_closes_every_prepared_statement_of_the_connection()
    {
        await using var conn = await OpenAsync();
        var commands = new List<PgCommand>();
        for (int i = 0; i < 3; i++)
        {
            var cmd = new PgCommand($"SELECT {i} /* all */", conn);
            await cmd.PrepareAsync();
            await cmd.ExecuteScalarAsync();
            commands.Add(cmd);
        }
        await conn.QueryScalarAsync<int>("SELECT 9 /* all, automatic */");
        await conn.QueryScalarAsync<int>("SELECT 9 /* all, automatic */");
        Assert.Equal(4, (await ServerPreparedStatements.OfAsync(conn)).Count);

        conn.UnprepareAll();

        Assert.All(commands, c => Assert.False(c.IsPrepared));
        Assert.Empty(await ServerPreparedStatements.OfAsync(conn));
        for (int i = 0; i < 3; i++) Assert.Equal(i, await commands[i].ExecuteScalarAsync());
        foreach (var cmd in commands) await cmd.DisposeAsync();
    }

    [Fact]
    public async Task Unprepare_of_a_command_never_prepared_or_without_an_open_connection_does_nothing()
    {
        await using var conn = await OpenAsync();
        await using var cmd = new PgCommand("SELECT 5 /* never */", conn);
        cmd.Unprepare();
        Assert.False(cmd.IsPrepared);
        Assert.Equal(5, await cmd.ExecuteScalarAsync());

        await using var detached = new PgCommand("SELECT 5 /* never */");
        detached.Unprepare();
        Assert.False(detached.IsPrepared);
        await conn.CloseAsync();
        Assert.False(cmd.IsPrepared);
    }

    [Fact]
    public async Task Statements_prepared_before_the_data_sources_types_load_stay_prepared_and_known_afterwards()
    {
        // A data source of its own: its types are not loaded until a statement's first run needs them.
        await using var dataSource = PgDataSource.Create(db.ConnectionStringFor(PoolingTestSupport.NewApplicationName("typeload")));
        await using var conn = await dataSource.OpenConnectionAsync();
        await using var cmd = new PgCommand("SELECT 41 + 1 /* prepared before the types load */", conn);
        await cmd.PrepareAsync();
        Assert.Equal(42, await cmd.ExecuteScalarAsync());
        Assert.Single(await ServerPreparedStatements.OfAsync(conn));

        // A first run loads the data source's types, and the connection's descriptions are made again with them.
        Assert.Equal(7, await conn.QueryScalarAsync<int>("SELECT 7 /* loads the types */"));

        Assert.True(cmd.IsPrepared);
        Assert.Equal(42, await cmd.ExecuteScalarAsync());
        Assert.Single(await ServerPreparedStatements.OfAsync(conn));
        conn.UnprepareAll();
        Assert.False(cmd.IsPrepared);
        Assert.Empty(await ServerPreparedStatements.OfAsync(conn));
    }
}
