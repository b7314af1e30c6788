using PgWire.Connection;

namespace PgWire.Schema;

/// <summary>
/// Describes the columns of a result: from its RowDescription (name, type, modifier, and for a table column its table
/// OID and attribute number) and, when given, from what the connection learned of the tables in the catalog.
/// </summary>
internal static class ColumnSchemaBuilder
{
    /// <param name="columns">The result's columns.</param>
    /// <param name="tables">The connection's table facts (a KeyInfo reader), or null to describe from the RowDescription alone.</param>
    public static PgDbColumn[] Build(ResultColumns columns, TableFactsCache? tables)
    {
        var fields = columns.Fields;
        var described = new PgDbColumn[fields.Length];
        for (int i = 0; i < fields.Length; i++)
        {
            var field = fields[i];
            var codec = columns.Codecs[i];
            var facets = TypeFacets.Of(field.TypeOid, field.TypeSize, field.TypeModifier);
            var column = new ColumnDescription
            {
                ColumnName = field.Name,
                Ordinal = i,
                DataType = codec.DefaultType,
                DataTypeName = codec.DataTypeName,
                TypeOid = field.TypeOid,
                TableOid = field.TableOid,
                ColumnAttributeNumber = field.ColumnAttributeNumber,
                Size = facets.Size,
                Precision = facets.Precision,
                Scale = facets.Scale,
                IsLong = facets.IsLong,
                IsExpression = field.TableOid == 0,
            };
            if (field.TableOid == 0)
            {
                // Computed by the query: the server says nothing of its nullability, and it cannot be written back.
                column = column with
                {
                    AllowDBNull = true, IsReadOnly = true, IsKey = false, IsUnique = false, IsAutoIncrement = false, IsIdentity = false,
                };
            }
            else if (tables?.Find(field.TableOid) is { } table && table.Column(field.ColumnAttributeNumber) is { } facts)
            {
                column = column with
                {
                    AllowDBNull = !facts.NotNull,
                    BaseCatalogName = table.Database,
                    BaseSchemaName = table.Schema,
                    BaseTableName = table.Name,
                    BaseColumnName = facts.Name,
                    IsAliased = facts.Name != field.Name,
                    IsKey = facts.IsPrimaryKey && HasWholeKey(table, columns),
                    IsUnique = facts.IsUnique,
                    IsAutoIncrement = facts.IsAutoIncrement,
                    IsIdentity = facts.IsIdentity,
                    IsReadOnly = facts.IsReadOnly,
                };
            }
            described[i] = new PgDbColumn(column);
        }
        return described;
    }

    /// <summary>
    /// Whether the result has every column of the table's primary key: only then do its key columns identify a row of
    /// the result (a DataTable made from part of a key would refuse rows that share that part).
    /// </summary>
    private static bool HasWholeKey(TableFacts table, ResultColumns columns)
    {
        foreach (short keyColumn in table.PrimaryKey)
        {
            bool present = false;
            foreach (var field in columns.Fields)
                present |= field.TableOid == table.Oid && field.ColumnAttributeNumber == keyColumn;
            if (!present) return false;
        }
        return true;
    }
}
