using PgWire.LocalServer;

namespace PgWire.Tests.Connectivity;

/// <summary>
/// A primary and a hot standby streaming from it, started once for the multi-host tests. Tests stop either
/// server mid-test; <see cref="EnsureBothRunningAsync"/> puts them back, so each test starts from two running servers.
/// </summary>
public sealed class ReplicationFixture : IAsyncLifetime
{
    public LocalPostgres Primary { get; private set; } = null!;

    public LocalPostgres Standby { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Primary = await LocalPostgres.StartAsync();
        Standby = await LocalPostgres.StartStandbyAsync(Primary);
    }

    public async Task DisposeAsync()
    {
        // The standby first, so the primary's shutdown does not wait on a walsender.
        if (Standby is not null)
            await Standby.DisposeAsync();
        if (Primary is not null)
            await Primary.DisposeAsync();
    }

    public async Task EnsureBothRunningAsync()
    {
        await Primary.StartServerAsync();
        await Standby.StartServerAsync();
    }

    /// <summary><c>127.0.0.1:port</c>, the form a multi-host Host list takes and a failure message names.</summary>
    public static string HostAndPort(LocalPostgres server) => $"{server.Host}:{server.Port}";

    /// <summary>The superuser, unpooled, to every server listed, in that order.</summary>
    public static string MultiHostConnectionString(string extra, params LocalPostgres[] servers) =>
        ConnectionStringForHosts(string.Join(',', servers.Select(HostAndPort)), extra);

    /// <summary>The superuser, unpooled, to the literal Host list <paramref name="hosts"/>.</summary>
    public static string ConnectionStringForHosts(string hosts, string extra) =>
        $"Host={hosts};Username={LocalPostgresRoles.SuperuserName};" +
        $"Password={LocalPostgresRoles.SuperuserPassword};Database=postgres;Pooling=false;Timeout=5;{extra}";
}

[CollectionDefinition("Replication")]
public sealed class ReplicationCollection : ICollectionFixture<ReplicationFixture>;
