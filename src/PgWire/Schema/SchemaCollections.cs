using System.Data;
using System.Data.Common;

namespace PgWire.Schema;

/// <summary>The collections <see cref="PgConnection.GetSchema(string, string?[])"/> knows, and how each is answered.</summary>
internal static class SchemaCollections
{
    private static readonly SchemaRestriction Catalog = new("Catalog", "table_catalog");

    public static readonly SchemaCollection[] All =
    [
        new(DbMetaDataCollectionNames.MetaDataCollections, 0, []),
        new(DbMetaDataCollectionNames.DataSourceInformation, 0, []),
        new(DbMetaDataCollectionNames.DataTypes, 0, []),
        new(DbMetaDataCollectionNames.Restrictions, 0, []),
        new(DbMetaDataCollectionNames.ReservedWords, 0, []),
        new("Databases", 1, [new("Name", "database_name")], SchemaQueries.Databases),
        new("Schemas", 2, [new("Catalog", "catalog_name"), new("Schema", "schema_name")], SchemaQueries.Schemas),
        new("Tables", 3, [Catalog, new("Schema", "table_schema"), new("Table", "table_name"), new("TableType", "table_type")],
            SchemaQueries.Tables),
        new("Views", 3, [Catalog, new("Schema", "table_schema"), new("Table", "table_name")], SchemaQueries.Views),
        new("Columns", 4, [Catalog, new("Schema", "table_schema"), new("Table", "table_name"), new("Column", "column_name")],
            SchemaQueries.Columns),
        new("Indexes", 3, [Catalog, new("Schema", "table_schema"), new("Table", "table_name"), new("Index", "index_name")],
            SchemaQueries.Indexes),
        new("IndexColumns", 4,
            [Catalog, new("Schema", "table_schema"), new("Table", "table_name"), new("Index", "index_name"), new("Column", "column_name")],
            SchemaQueries.IndexColumns),
        new("ForeignKeys", 3,
            [new("Catalog", "constraint_catalog"), new("Schema", "table_schema"), new("Table", "table_name"), new("Constraint", "constraint_name")],
            SchemaQueries.ForeignKeys),
    ];

    public static ValueTask<DataTable> GetAsync(PgConnection connection, string collectionName, string?[]? restrictions, bool async,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(collectionName);
        var collection = All.FirstOrDefault(c => string.Equals(c.Name, collectionName, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException(
                $"PgWire has no schema collection \"{collectionName}\"; the collections are: {string.Join(", ", All.Select(c => c.Name))}.",
                nameof(collectionName));
        restrictions ??= [];
        if (restrictions.Length > collection.Restrictions.Length)
            throw new ArgumentException(collection.Restrictions.Length == 0
                    ? $"The {collection.Name} collection takes no restrictions, and {restrictions.Length} were given."
                    : $"The {collection.Name} collection takes at most {collection.Restrictions.Length} restrictions " +
                      $"({string.Join(", ", collection.Restrictions.Select(r => r.Name))}), and {restrictions.Length} were given.",
                nameof(restrictions));
        // Every collection is answered on the open connection (DataSourceInformation reports its server's version).
        connection.ConnectorForCommand.CheckReady();

        switch (collection.Name)
        {
            case "MetaDataCollections":
                return new(MetaDataCollections());
            case "Restrictions":
                return new(RestrictionsTable());
            case "DataSourceInformation":
                return new(DataSourceInformation.For(connection.ServerVersion));
            case "DataTypes":
                return DataTypesCollection.LoadAsync(connection, async, cancellationToken);
            case "ReservedWords":
                return SchemaQuery.RunAsync(connection, collection.Name, SchemaQueries.ReservedWords, [], async, cancellationToken);
            default:
                var parameters = new string?[collection.Restrictions.Length];
                Array.Copy(restrictions, parameters, restrictions.Length);
                return SchemaQuery.RunAsync(connection, collection.Name, collection.Sql!, parameters, async, cancellationToken);
        }
    }

    private static DataTable MetaDataCollections()
    {
        var table = new DataTable(DbMetaDataCollectionNames.MetaDataCollections);
        table.Columns.Add(DbMetaDataColumnNames.CollectionName, typeof(string));
        table.Columns.Add(DbMetaDataColumnNames.NumberOfRestrictions, typeof(int));
        table.Columns.Add(DbMetaDataColumnNames.NumberOfIdentifierParts, typeof(int));
        foreach (var c in All) table.Rows.Add(c.Name, c.Restrictions.Length, c.IdentifierParts);
        table.AcceptChanges();
        return table;
    }

    private static DataTable RestrictionsTable()
    {
        var table = new DataTable(DbMetaDataCollectionNames.Restrictions);
        table.Columns.Add("CollectionName", typeof(string));
        table.Columns.Add("RestrictionName", typeof(string));
        table.Columns.Add("RestrictionDefault", typeof(string));
        table.Columns.Add("RestrictionNumber", typeof(int));
        foreach (var c in All)
            for (int i = 0; i < c.Restrictions.Length; i++)
                table.Rows.Add(c.Name, c.Restrictions[i].Name, c.Restrictions[i].Column, i + 1);
        table.AcceptChanges();
        return table;
    }
}
