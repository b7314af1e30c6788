using System.Data;
using System.Data.Common;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.AdoNet;

/// <summary>PgConnection.GetSchema: the standard collections and the catalog's, filtered by their restrictions.</summary>
[Collection("Database")]
public sealed class GetSchemaTests(DatabaseFixture db) : IAsyncLifetime
{
    private PgConnection _conn = null!;

    public async Task InitializeAsync()
    {
        _conn = await db.OpenAsync();
        await _conn.ExecuteAsync("""
            DROP SCHEMA IF EXISTS getschema CASCADE;
            CREATE SCHEMA getschema;
            CREATE TABLE getschema.customers (id int PRIMARY KEY, email varchar(80) NOT NULL, region text, UNIQUE (email));
            CREATE TABLE getschema.orders (
                order_no int, line int, customer_id int NOT NULL REFERENCES getschema.customers (id) ON DELETE CASCADE,
                PRIMARY KEY (order_no, line));
            CREATE INDEX orders_customer_line ON getschema.orders (customer_id, line);
            CREATE VIEW getschema.big_customers AS SELECT id, email FROM getschema.customers WHERE id > 100
            """);
    }

    public async Task DisposeAsync()
    {
        await _conn.ExecuteAsync("DROP SCHEMA IF EXISTS getschema CASCADE");
        await _conn.DisposeAsync();
    }

    private static List<string> Column(DataTable table, string column) =>
        table.Rows.Cast<DataRow>().Select(r => r[column] is DBNull ? "<null>" : Convert.ToString(r[column])!).ToList();

    [Fact]
    public void GetSchema_without_arguments_lists_every_collection_and_each_can_be_read()
    {
        var collections = _conn.GetSchema();

        Assert.Equal(DbMetaDataCollectionNames.MetaDataCollections, collections.TableName);
        var names = Column(collections, DbMetaDataColumnNames.CollectionName);
        Assert.Equal(
            ["MetaDataCollections", "DataSourceInformation", "DataTypes", "Restrictions", "ReservedWords",
             "Databases", "Schemas", "Tables", "Views", "Columns", "Indexes", "IndexColumns", "ForeignKeys"],
            names);
        foreach (var name in names)
            Assert.Equal(name, _conn.GetSchema(name).TableName);
    }

    [Fact]
    public void The_Restrictions_collection_lists_each_collections_restrictions_in_order()
    {
        var restrictions = _conn.GetSchema(DbMetaDataCollectionNames.Restrictions);

        var columns = restrictions.Rows.Cast<DataRow>()
            .Where(r => (string)r["CollectionName"] == "Columns")
            .Select(r => ((string)r["RestrictionName"], (string)r["RestrictionDefault"], (int)r["RestrictionNumber"]));
        Assert.Equal([("Catalog", "table_catalog", 1), ("Schema", "table_schema", 2), ("Table", "table_name", 3), ("Column", "column_name", 4)],
            columns);
        var collections = _conn.GetSchema();
        foreach (DataRow collection in collections.Rows)
            Assert.Equal(collection[DbMetaDataColumnNames.NumberOfRestrictions],
                restrictions.Rows.Cast<DataRow>().Count(r => (string)r["CollectionName"] == (string)collection[DbMetaDataColumnNames.CollectionName]));
    }

    [Fact]
    public void DataSourceInformation_names_PostgreSQL_its_version_and_positional_parameter_markers()
    {
        var row = _conn.GetSchema(DbMetaDataCollectionNames.DataSourceInformation).Rows.Cast<DataRow>().Single();

        Assert.Equal("PostgreSQL", row[DbMetaDataColumnNames.DataSourceProductName]);
        Assert.Equal(_conn.ServerVersion, row[DbMetaDataColumnNames.DataSourceProductVersion]);
        Assert.StartsWith("015.", (string)row[DbMetaDataColumnNames.DataSourceProductVersionNormalized]);
        Assert.Equal("$1", string.Format((string)row[DbMetaDataColumnNames.ParameterMarkerFormat], 1));
        Assert.Matches((string)row[DbMetaDataColumnNames.QuotedIdentifierPattern], "\"Mixed \"\"Case\"\"\"");
        Assert.Equal((int)IdentifierCase.Insensitive, row[DbMetaDataColumnNames.IdentifierCase]);
    }

    [Fact]
    public async Task DataTypes_maps_types_to_their_dotnet_types_and_includes_a_domain_created_after_open()
    {
        await using (var other = await db.OpenAsync())
            await other.ExecuteAsync("CREATE DOMAIN getschema.percent AS numeric(5,2) CHECK (VALUE BETWEEN 0 AND 100)");

        var types = _conn.GetSchema(DbMetaDataCollectionNames.DataTypes).Rows.Cast<DataRow>()
            .ToDictionary(r => (string)r[DbMetaDataColumnNames.TypeName]);

        Assert.Equal("System.Int32", types["integer"][DbMetaDataColumnNames.DataType]);
        Assert.True((bool)types["integer"][DbMetaDataColumnNames.IsBestMatch]);
        Assert.True((bool)types["integer"][DbMetaDataColumnNames.IsAutoIncrementable]);
        Assert.Equal("numeric({0},{1})", types["numeric"][DbMetaDataColumnNames.CreateFormat]);
        Assert.Equal("character varying({0})", types["character varying"][DbMetaDataColumnNames.CreateFormat]);
        Assert.True((bool)types["text"][DbMetaDataColumnNames.IsSearchableWithLike]);
        Assert.Equal(23, types["integer"][DbMetaDataColumnNames.ProviderDbType]);
        var percent = types["getschema.percent"];
        Assert.Equal("System.Decimal", percent[DbMetaDataColumnNames.DataType]);
        Assert.False((bool)percent[DbMetaDataColumnNames.IsBestMatch]);
        Assert.DoesNotContain(types.Keys, name => name.EndsWith("[]", StringComparison.Ordinal));
    }

    [Fact]
    public void ReservedWords_are_the_servers_reserved_key_words()
    {
        var words = Column(_conn.GetSchema(DbMetaDataCollectionNames.ReservedWords), DbMetaDataColumnNames.ReservedWord);

        Assert.Contains("SELECT", words);
        Assert.Contains("TABLE", words);
        Assert.DoesNotContain("NAME", words);   // unreserved in PostgreSQL
    }

    [Fact]
    public void Databases_restricted_by_name_is_the_connections_database()
    {
        var all = _conn.GetSchema("Databases");
        var one = _conn.GetSchema("Databases", [_conn.Database]);

        Assert.Contains(_conn.Database, Column(all, "database_name"));
        Assert.Contains("template1", Column(all, "database_name"));
        Assert.Equal([_conn.Database], Column(one, "database_name"));
    }

    [Fact]
    public void Schemas_lists_the_databases_schemas_and_honours_the_schema_restriction()
    {
        var all = Column(_conn.GetSchema("Schemas"), "schema_name");
        var one = _conn.GetSchema("Schemas", [null, "getschema"]);

        Assert.Contains("public", all);
        Assert.Contains("getschema", all);
        Assert.DoesNotContain(all, s => s.StartsWith("pg_toast", StringComparison.Ordinal));
        Assert.Equal([_conn.Database], Column(one, "catalog_name"));
        Assert.Equal(["getschema"], Column(one, "schema_name"));
    }

    [Fact]
    public void Tables_lists_base_tables_of_a_schema_and_Views_its_views()
    {
        var tables = _conn.GetSchema("Tables", [null, "getschema"]);
        var views = _conn.GetSchema("Views", [null, "getschema"]);

        Assert.Equal(["customers", "orders"], Column(tables, "table_name"));
        Assert.Equal(["BASE TABLE", "BASE TABLE"], Column(tables, "table_type"));
        Assert.Equal(["big_customers"], Column(views, "table_name"));
        Assert.Equal(["orders"], Column(_conn.GetSchema("Tables", [_conn.Database, "getschema", "orders"]), "table_name"));
        Assert.Empty(_conn.GetSchema("Tables", ["no_such_database", "getschema"]).Rows);
        Assert.Empty(_conn.GetSchema("Tables", [null, "getschema", null, "VIEW"]).Rows);
    }

    [Fact]
    public void Without_a_schema_restriction_system_tables_are_left_out_and_named_they_are_listed()
    {
        var everything = Column(_conn.GetSchema("Tables"), "table_schema");
        var catalog = _conn.GetSchema("Tables", [null, "pg_catalog", "pg_class"]);

        Assert.Contains("getschema", everything);
        Assert.DoesNotContain("pg_catalog", everything);
        Assert.Equal(["pg_class"], Column(catalog, "table_name"));
    }

    [Fact]
    public void Columns_of_a_table_come_in_order_with_nullability_type_and_length()
    {
        var columns = _conn.GetSchema("Columns", [null, "getschema", "customers"]);

        Assert.Equal(["id", "email", "region"], Column(columns, "column_name"));
        Assert.Equal(["NO", "NO", "YES"], Column(columns, "is_nullable"));
        Assert.Equal(["integer", "character varying", "text"], Column(columns, "data_type"));
        Assert.Equal(["<null>", "80", "<null>"], Column(columns, "character_maximum_length"));
        Assert.Equal(["email"], Column(_conn.GetSchema("Columns", [null, "getschema", "customers", "email"]), "column_name"));
    }

    [Fact]
    public void Indexes_and_IndexColumns_describe_primary_unique_and_plain_indexes()
    {
        var indexes = _conn.GetSchema("Indexes", [null, "getschema", "orders"]);
        var columns = _conn.GetSchema("IndexColumns", [null, "getschema", "orders", "orders_customer_line"]);

        Assert.Equal(["orders_customer_line", "orders_pkey"], Column(indexes, "index_name"));
        Assert.Equal(["False", "True"], Column(indexes, "is_primary"));
        Assert.Equal(["btree", "btree"], Column(indexes, "index_type"));
        Assert.Equal(["customer_id", "line"], Column(columns, "column_name"));
        Assert.Equal(["1", "2"], Column(columns, "ordinal_position"));
        Assert.Equal(["True"], Column(_conn.GetSchema("Indexes", [null, "getschema", "customers", "customers_email_key"]), "is_unique"));
    }

    [Fact]
    public void ForeignKeys_name_the_referenced_table_and_column_and_the_rules()
    {
        var keys = _conn.GetSchema("ForeignKeys", [null, "getschema", "orders"]);

        var key = Assert.Single(keys.Rows.Cast<DataRow>());
        Assert.Equal("orders_customer_id_fkey", key["constraint_name"]);
        Assert.Equal(("customer_id", "customers", "id"), ((string)key["column_name"], (string)key["referenced_table_name"], (string)key["referenced_column_name"]));
        Assert.Equal(("CASCADE", "NO ACTION"), ((string)key["delete_rule"], (string)key["update_rule"]));
        Assert.Empty(_conn.GetSchema("ForeignKeys", [null, "getschema", "customers"]).Rows);
        Assert.Single(_conn.GetSchema("ForeignKeys", [null, null, null, "orders_customer_id_fkey"]).Rows);
    }

    [Fact]
    public void A_restriction_is_a_value_never_SQL()
    {
        var tables = _conn.GetSchema("Tables", [null, "getschema' OR '1'='1", null]);

        Assert.Empty(tables.Rows);
        Assert.Equal(2, _conn.GetSchema("Tables", [null, "getschema"]).Rows.Count);
    }

    [Fact]
    public void An_unknown_collection_or_too_many_restrictions_is_an_argument_error_that_says_so()
    {
        var unknown = Assert.Throws<ArgumentException>(() => _conn.GetSchema("Procedures"));
        var tooMany = Assert.Throws<ArgumentException>(() => _conn.GetSchema("Databases", ["a", "b"]));

        Assert.Contains("Procedures", unknown.Message);
        Assert.Contains("ForeignKeys", unknown.Message);
        Assert.Contains("at most 1", tooMany.Message);
    }

    [Fact]
    public async Task GetSchemaAsync_reads_a_collection_and_collection_names_ignore_case()
    {
        var tables = await _conn.GetSchemaAsync("tables", [null, "getschema", "customers"]);

        Assert.Equal(["customers"], Column(tables, "table_name"));
    }

    [Fact]
    public async Task GetSchema_on_a_connection_that_is_not_open_is_refused()
    {
        await using var closed = new PgConnection(db.ConnectionString);

        Assert.Throws<InvalidOperationException>(() => closed.GetSchema("Tables"));
    }
}
