using PgWire.LocalServer;

namespace PgWire.Tests.Connectivity;

/// <summary>
/// One cluster with TLS on (a test authority, a server certificate for localhost and 127.0.0.1, a client
/// certificate for pgwire_cert) for every TLS, channel-binding and certificate test of the run.
/// </summary>
public sealed class TlsClusterFixture : IAsyncLifetime
{
    public LocalPostgres Server { get; private set; } = null!;

    public LocalPostgresCertificates Certificates => Server.Certificates!;

    public async Task InitializeAsync() => Server = await LocalPostgres.StartAsync(new LocalPostgresOptions { Tls = true });

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary><paramref name="role"/> over TCP to 127.0.0.1 with the given extra keywords, unpooled so every open is a fresh handshake.</summary>
    public string ConnectionString(LocalPostgresRole role, string extra, string? host = null)
    {
        var builder = new PgConnectionStringBuilder(Server.ConnectionStringFor(role)) { Pooling = false };
        if (host is not null)
            builder.Host = host;
        return builder.ConnectionString + ";" + extra;
    }

    /// <summary>The same to <c>localhost</c>, the name the server certificate is issued for.</summary>
    public string LocalhostConnectionString(LocalPostgresRole role, string extra) =>
        ConnectionString(role, extra, LocalPostgresCertificates.ServerHostName);

    public async Task<PgConnection> OpenAsync(string connectionString)
    {
        var connection = new PgConnection(connectionString);
        try
        {
            await connection.OpenAsync();
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        return connection;
    }
}

[CollectionDefinition("Tls cluster")]
public sealed class TlsClusterCollection : ICollectionFixture<TlsClusterFixture>;
