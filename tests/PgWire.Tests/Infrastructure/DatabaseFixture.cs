using PgWire.LocalServer;

namespace PgWire.Tests.Infrastructure;

/// <summary>
/// One throwaway PostgreSQL cluster for the whole test run (started on first use, stopped when the run ends),
/// so the suite stays fast. Tests that need a server join the "Database" collection.
/// </summary>
public sealed class DatabaseFixture : IAsyncLifetime
{
    public LocalPostgres Server { get; private set; } = null!;

    /// <summary>Superuser over TCP with SCRAM.</summary>
    public string ConnectionString => Server.ConnectionString;

    public async Task InitializeAsync() => Server = await LocalPostgres.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public async Task<PgConnection> OpenAsync(string? connectionString = null)
    {
        var connection = new PgConnection(connectionString ?? ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}

[CollectionDefinition("Database")]
public sealed class DatabaseCollection : ICollectionFixture<DatabaseFixture>;

/// <summary>
/// Tests that measure the whole process (GC.GetTotalAllocatedBytes) run alone, after the parallel collections, on
/// a cluster of their own.
/// </summary>
[CollectionDefinition("Alone", DisableParallelization = true)]
public sealed class AloneCollection : ICollectionFixture<DatabaseFixture>;
