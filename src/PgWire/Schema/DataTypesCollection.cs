using System.Data;
using System.Data.Common;
using PgWire.Types;

namespace PgWire.Schema;

/// <summary>
/// The DataTypes collection: each type a column of this database can have (pg_type, domains and enums included), with
/// the .NET type PgWire reads it as (a domain: its base type's), how a column of it is declared, and its properties.
/// ProviderDbType is the type's OID.
/// </summary>
internal static class DataTypesCollection
{
    public static async ValueTask<DataTable> LoadAsync(PgConnection connection, bool async, CancellationToken cancellationToken)
    {
        var types = await SchemaQuery.RunAsync(connection, "types", SchemaQueries.DataTypes, [], async, cancellationToken).ConfigureAwait(false);
        var registry = connection.Connector.TypeRegistry;

        var table = new DataTable(DbMetaDataCollectionNames.DataTypes);
        var c = table.Columns;
        c.Add(DbMetaDataColumnNames.TypeName, typeof(string));
        c.Add(DbMetaDataColumnNames.ProviderDbType, typeof(int));
        c.Add(DbMetaDataColumnNames.ColumnSize, typeof(long));
        c.Add(DbMetaDataColumnNames.CreateFormat, typeof(string));
        c.Add(DbMetaDataColumnNames.CreateParameters, typeof(string));
        c.Add(DbMetaDataColumnNames.DataType, typeof(string));
        c.Add(DbMetaDataColumnNames.IsAutoIncrementable, typeof(bool));
        c.Add(DbMetaDataColumnNames.IsBestMatch, typeof(bool));
        c.Add(DbMetaDataColumnNames.IsCaseSensitive, typeof(bool));
        c.Add(DbMetaDataColumnNames.IsFixedLength, typeof(bool));
        c.Add(DbMetaDataColumnNames.IsFixedPrecisionScale, typeof(bool));
        c.Add(DbMetaDataColumnNames.IsLong, typeof(bool));
        c.Add(DbMetaDataColumnNames.IsNullable, typeof(bool));
        c.Add(DbMetaDataColumnNames.IsSearchable, typeof(bool));
        c.Add(DbMetaDataColumnNames.IsSearchableWithLike, typeof(bool));
        c.Add(DbMetaDataColumnNames.IsUnsigned, typeof(bool));
        c.Add(DbMetaDataColumnNames.MaximumScale, typeof(short));
        c.Add(DbMetaDataColumnNames.MinimumScale, typeof(short));
        c.Add(DbMetaDataColumnNames.IsConcurrencyType, typeof(bool));
        c.Add(DbMetaDataColumnNames.IsLiteralSupported, typeof(bool));
        c.Add(DbMetaDataColumnNames.LiteralPrefix, typeof(string));
        c.Add(DbMetaDataColumnNames.LiteralSuffix, typeof(string));
        c.Add("OID", typeof(uint));

        foreach (DataRow type in types.Rows)
        {
            uint oid = (uint)type["oid"];
            uint baseOid = (uint)type["base_oid"];
            string name = (string)type["type_name"];
            short length = (short)type["typlen"];
            char category = (char)type["typcategory"];
            var dataType = registry.ForOid(baseOid).DefaultType;
            var facets = TypeFacets.Of(baseOid, length, -1);
            var (format, parameters, maxSize) = Declaration(baseOid, name);
            bool numeric = category == 'N';
            bool quoted = !numeric && category != 'B';

            var row = table.NewRow();
            row[DbMetaDataColumnNames.TypeName] = name;
            row[DbMetaDataColumnNames.ProviderDbType] = unchecked((int)oid);
            row[DbMetaDataColumnNames.ColumnSize] = maxSize ?? (length > 0 ? length : -1);
            row[DbMetaDataColumnNames.CreateFormat] = format;
            row[DbMetaDataColumnNames.CreateParameters] = (object?)parameters ?? DBNull.Value;
            row[DbMetaDataColumnNames.DataType] = dataType.FullName;
            row[DbMetaDataColumnNames.IsAutoIncrementable] = baseOid is PgOids.Int2 or PgOids.Int4 or PgOids.Int8;
            // The type a value of this .NET type is sent as, when nothing names another.
            row[DbMetaDataColumnNames.IsBestMatch] = oid == baseOid && registry.ForClrType(dataType)?.Oid == oid;
            row[DbMetaDataColumnNames.IsCaseSensitive] = category == 'S';
            row[DbMetaDataColumnNames.IsFixedLength] = length > 0 || baseOid == PgOids.Bpchar;
            row[DbMetaDataColumnNames.IsFixedPrecisionScale] = baseOid == MiscOids.Money;
            row[DbMetaDataColumnNames.IsLong] = facets.IsLong;
            row[DbMetaDataColumnNames.IsNullable] = true;
            // json and xml have no equality operator: a WHERE clause cannot compare them.
            row[DbMetaDataColumnNames.IsSearchable] = baseOid is not (MiscOids.Json or MiscOids.Xml);
            row[DbMetaDataColumnNames.IsSearchableWithLike] = category == 'S';
            row[DbMetaDataColumnNames.IsUnsigned] = numeric ? false : baseOid == PgOids.Oid ? true : (object)DBNull.Value;
            row[DbMetaDataColumnNames.MaximumScale] = baseOid == PgOids.Numeric ? (short)1000 : (object)DBNull.Value;
            row[DbMetaDataColumnNames.MinimumScale] = baseOid == PgOids.Numeric ? (short)-1000 : (object)DBNull.Value;
            row[DbMetaDataColumnNames.IsConcurrencyType] = false;
            row[DbMetaDataColumnNames.IsLiteralSupported] = true;
            row[DbMetaDataColumnNames.LiteralPrefix] = quoted ? "'" : (object)DBNull.Value;
            row[DbMetaDataColumnNames.LiteralSuffix] = quoted ? "'" : (object)DBNull.Value;
            row["OID"] = oid;
            table.Rows.Add(row);
        }
        table.AcceptChanges();
        return table;
    }

    /// <summary>How a column of the type is declared (CreateFormat and its parameters) and, for a sized type, its largest size.</summary>
    private static (string Format, string? Parameters, long? MaxSize) Declaration(uint baseOid, string name) => baseOid switch
    {
        // A domain keeps its own name: its length or precision is part of it.
        _ when name is not ("character varying" or "character" or "bit" or "bit varying" or "numeric") => (name, null, null),
        PgOids.Varchar => ("character varying({0})", "max length", 10485760),
        PgOids.Bpchar => ("character({0})", "length", 10485760),
        MiscOids.Bit => ("bit({0})", "length", 83886080),
        MiscOids.Varbit => ("bit varying({0})", "max length", 83886080),
        PgOids.Numeric => ("numeric({0},{1})", "precision,scale", 1000),
        _ => (name, null, null),
    };
}
