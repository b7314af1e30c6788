using PgWire.LocalServer;

namespace PgWire.Tests.PreparedStatements;

/// <summary>
/// A cluster of its own with PgBouncer in front of it in transaction mode, two server connections per pool: two
/// clients taking turns then really run on different server connections. PgBouncer keeps one pool per database,
/// and in transaction mode a server connection keeps what clients left in it (prepared statements), so a test that
/// depends on what its server connections hold uses a database of its own (<see cref="FreshDatabases"/>).
/// </summary>
public sealed class PgBouncerFixture : IAsyncLifetime
{
    public LocalPostgres Server { get; private set; } = null!;

    public LocalPgBouncer Bouncer { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await LocalPostgres.StartAsync();
        try
        {
            Bouncer = await LocalPgBouncer.StartAsync(Server);
            foreach (var database in FreshDatabases)
                await Server.RunSqlAsync($"CREATE DATABASE {database}");
        }
        catch
        {
            await Server.DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        await Bouncer.DisposeAsync();
        await Server.DisposeAsync();
    }

    /// <summary>Databases for one test each: PgBouncer has no server connection to them until that test runs.</summary>
    public static readonly string[] FreshDatabases = ["bouncer_stale", "bouncer_duplicate"];

    /// <summary>The superuser through PgBouncer with the given extra keywords.</summary>
    public string ConnectionString(string extra, string database = "postgres") => Bouncer.ConnectionStringFor(database) + ";" + extra;

    public async Task<PgConnection> OpenAsync(string extra, string database = "postgres")
    {
        var connection = new PgConnection(ConnectionString(extra, database));
        await connection.OpenAsync();
        return connection;
    }
}

[CollectionDefinition("PgBouncer")]
public sealed class PgBouncerCollection : ICollectionFixture<PgBouncerFixture>;
