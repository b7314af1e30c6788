using System.Data;
using System.Data.Common;
using PgWire.Schema;

namespace PgWire;

public sealed partial class PgConnection
{
    /// <summary><see cref="PgFactory.Instance"/>: what ADO.NET tooling (DbDataAdapter, DbCommandBuilder) creates objects through.</summary>
    protected override DbProviderFactory DbProviderFactory => PgFactory.Instance;

    private TableFactsCache? _tableFacts;

    /// <summary>What this open connection learned of tables for KeyInfo readers; forgotten when it closes.</summary>
    internal TableFactsCache TableFacts => _tableFacts ??= new TableFactsCache();

    /// <summary>Forgets what the connection learned of tables (it is closing: other sessions may change them meanwhile).</summary>
    private void ForgetTableFacts() => _tableFacts = null;

    /// <summary>The MetaDataCollections collection: the collections <see cref="GetSchema(string, string?[])"/> answers.</summary>
    public override DataTable GetSchema() => GetSchema(DbMetaDataCollectionNames.MetaDataCollections);

    /// <inheritdoc cref="GetSchema(string, string?[])"/>
    public override DataTable GetSchema(string collectionName) => GetSchema(collectionName, []);

    /// <summary>
    /// A schema collection: MetaDataCollections, Restrictions, DataSourceInformation, DataTypes, ReservedWords, and
    /// Databases, Schemas, Tables, Views, Columns, Indexes, IndexColumns and ForeignKeys, each filtered by the
    /// restrictions the Restrictions collection lists for it, in that order (null for any). Restrictions are sent as
    /// parameters. Without a Schema restriction, pg_catalog and information_schema are left out.
    /// </summary>
    public override DataTable GetSchema(string collectionName, string?[] restrictionValues) =>
        SchemaCollections.GetAsync(this, collectionName, restrictionValues, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="GetSchema()"/>
    public override Task<DataTable> GetSchemaAsync(CancellationToken cancellationToken = default) =>
        GetSchemaAsync(DbMetaDataCollectionNames.MetaDataCollections, [], cancellationToken);

    /// <inheritdoc cref="GetSchema(string, string?[])"/>
    public override Task<DataTable> GetSchemaAsync(string collectionName, CancellationToken cancellationToken = default) =>
        GetSchemaAsync(collectionName, [], cancellationToken);

    /// <inheritdoc cref="GetSchema(string, string?[])"/>
    public override Task<DataTable> GetSchemaAsync(string collectionName, string?[] restrictionValues, CancellationToken cancellationToken = default) =>
        SchemaCollections.GetAsync(this, collectionName, restrictionValues, async: true, cancellationToken).AsTask();
}
