using System.Collections.Concurrent;
using System.Data.Common;
using PgWire.Connection;
using PgWire.Types;
using PgWire.Types.Dynamic;

namespace PgWire;

/// <summary>
/// The entry point for one database: connection settings and the database's types (mapped enums and composites,
/// extension types), shared by every connection it opens. Build one with <see cref="PgDataSourceBuilder"/>, or
/// <see cref="Create"/> for plain settings. <c>new PgConnection(connectionString)</c> uses a data source shared per
/// connection string.
/// </summary>
public sealed class PgDataSource : DbDataSource
{
    private static readonly ConcurrentDictionary<string, PgDataSource> SharedByConnectionString = new(StringComparer.Ordinal);

    private readonly string _connectionString;

    internal PgDataSource(string connectionString, ConnectorSettings settings, PgTypeCatalog types)
    {
        _connectionString = connectionString;
        Settings = settings;
        Types = types;
    }

    /// <summary>A data source for a connection string, with no type mappings.</summary>
    public static PgDataSource Create(string connectionString) => new PgDataSourceBuilder(connectionString).Build();

    /// <summary>The data source a <c>new PgConnection(connectionString)</c> belongs to: one per distinct connection string.</summary>
    internal static PgDataSource Shared(string connectionString) =>
        SharedByConnectionString.GetOrAdd(connectionString, static cs => Create(cs));

    internal ConnectorSettings Settings { get; }

    internal PgTypeCatalog Types { get; }

    public override string ConnectionString => _connectionString;

    public new PgConnection CreateConnection() => new(this);

    protected override DbConnection CreateDbConnection() => CreateConnection();

    public new PgConnection OpenConnection()
    {
        var connection = CreateConnection();
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public new async ValueTask<PgConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        var connection = CreateConnection();
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    protected override DbConnection OpenDbConnection() => OpenConnection();

    protected override async ValueTask<DbConnection> OpenDbConnectionAsync(CancellationToken cancellationToken = default) =>
        await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Forgets the database's enums, composites and extension types so they are read again from pg_type at their next
    /// use: call it after CREATE TYPE, ALTER TYPE or CREATE EXTENSION.
    /// </summary>
    public void ReloadTypes() => Types.Reset();
}
