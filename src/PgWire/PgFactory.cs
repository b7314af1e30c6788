using System.Data.Common;

namespace PgWire;

/// <summary>
/// PgWire's <see cref="DbProviderFactory"/>: creates its connections, commands, parameters, batches, data sources,
/// data adapters and command builders for code written against ADO.NET's base classes. Register it with
/// <c>DbProviderFactories.RegisterFactory("PgWire", PgFactory.Instance)</c>; <see cref="PgConnection"/> returns it
/// as its DbProviderFactory.
/// </summary>
public sealed class PgFactory : DbProviderFactory
{
    /// <summary>The one instance (a public static field, as DbProviderFactories looks for when registered by type).</summary>
    public static readonly PgFactory Instance = new();

    private PgFactory() { }

    public override DbConnection CreateConnection() => new PgConnection();

    public override DbCommand CreateCommand() => new PgCommand();

    public override DbParameter CreateParameter() => new PgParameter();

    public override DbConnectionStringBuilder CreateConnectionStringBuilder() => new PgConnectionStringBuilder();

    public override bool CanCreateBatch => true;

    public override DbBatch CreateBatch() => new PgBatch();

    public override DbBatchCommand CreateBatchCommand() => new PgBatchCommand();

    /// <summary>A <see cref="PgDataSource"/> for the connection string, with its own pool.</summary>
    public override DbDataSource CreateDataSource(string connectionString) => PgDataSource.Create(connectionString);

    public override bool CanCreateCommandBuilder => true;

    public override DbCommandBuilder CreateCommandBuilder() => new PgCommandBuilder();

    public override bool CanCreateDataAdapter => true;

    public override DbDataAdapter CreateDataAdapter() => new PgDataAdapter();

    /// <summary>False: PostgreSQL servers do not announce themselves on the network.</summary>
    public override bool CanCreateDataSourceEnumerator => false;
}
