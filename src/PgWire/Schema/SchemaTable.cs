using System.Data;
using System.Data.Common;

namespace PgWire.Schema;

/// <summary>
/// The DataTable of <see cref="PgDataReader.GetSchemaTable"/>: one row per column, with ADO.NET's column names
/// (<see cref="SchemaTableColumn"/>, <see cref="SchemaTableOptionalColumn"/>). What is unknown (see
/// <see cref="PgDbColumn"/>) is given as the value that promises nothing: nullable, not a key, not unique, writable.
/// </summary>
internal static class SchemaTable
{
    public static DataTable From(IReadOnlyList<PgDbColumn> columns)
    {
        var table = new DataTable("SchemaTable");
        var c = table.Columns;
        c.Add(SchemaTableColumn.ColumnName, typeof(string));
        c.Add(SchemaTableColumn.ColumnOrdinal, typeof(int));
        c.Add(SchemaTableColumn.ColumnSize, typeof(int));
        c.Add(SchemaTableColumn.NumericPrecision, typeof(int));
        c.Add(SchemaTableColumn.NumericScale, typeof(int));
        c.Add(SchemaTableColumn.IsUnique, typeof(bool));
        c.Add(SchemaTableColumn.IsKey, typeof(bool));
        c.Add(SchemaTableOptionalColumn.BaseServerName, typeof(string));
        c.Add(SchemaTableOptionalColumn.BaseCatalogName, typeof(string));
        c.Add(SchemaTableColumn.BaseColumnName, typeof(string));
        c.Add(SchemaTableColumn.BaseSchemaName, typeof(string));
        c.Add(SchemaTableColumn.BaseTableName, typeof(string));
        c.Add(SchemaTableColumn.DataType, typeof(Type));
        c.Add(SchemaTableColumn.AllowDBNull, typeof(bool));
        c.Add(SchemaTableColumn.ProviderType, typeof(int));
        c.Add(SchemaTableColumn.IsAliased, typeof(bool));
        c.Add(SchemaTableColumn.IsExpression, typeof(bool));
        c.Add("IsIdentity", typeof(bool));
        c.Add(SchemaTableOptionalColumn.IsAutoIncrement, typeof(bool));
        c.Add(SchemaTableOptionalColumn.IsRowVersion, typeof(bool));
        c.Add(SchemaTableOptionalColumn.IsHidden, typeof(bool));
        c.Add(SchemaTableColumn.IsLong, typeof(bool));
        c.Add(SchemaTableOptionalColumn.IsReadOnly, typeof(bool));
        c.Add(SchemaTableOptionalColumn.ProviderSpecificDataType, typeof(Type));
        c.Add("DataTypeName", typeof(string));
        c.Add("TypeOid", typeof(uint));
        c.Add("TableOid", typeof(uint));
        c.Add("ColumnAttributeNumber", typeof(short));

        foreach (var column in columns)
        {
            var row = table.NewRow();
            row[SchemaTableColumn.ColumnName] = column.ColumnName;
            row[SchemaTableColumn.ColumnOrdinal] = column.ColumnOrdinal ?? -1;
            row[SchemaTableColumn.ColumnSize] = column.ColumnSize ?? -1;
            row[SchemaTableColumn.NumericPrecision] = (object?)column.NumericPrecision ?? DBNull.Value;
            row[SchemaTableColumn.NumericScale] = (object?)column.NumericScale ?? DBNull.Value;
            row[SchemaTableColumn.IsUnique] = column.IsUnique ?? false;
            row[SchemaTableColumn.IsKey] = column.IsKey ?? false;
            // No server name: PostgreSQL has no four-part names, and the command builder would put it in front of the table's.
            row[SchemaTableOptionalColumn.BaseServerName] = DBNull.Value;
            row[SchemaTableOptionalColumn.BaseCatalogName] = (object?)column.BaseCatalogName ?? DBNull.Value;
            row[SchemaTableColumn.BaseColumnName] = (object?)column.BaseColumnName ?? DBNull.Value;
            row[SchemaTableColumn.BaseSchemaName] = (object?)column.BaseSchemaName ?? DBNull.Value;
            row[SchemaTableColumn.BaseTableName] = (object?)column.BaseTableName ?? DBNull.Value;
            row[SchemaTableColumn.DataType] = (object?)column.DataType ?? DBNull.Value;
            row[SchemaTableColumn.AllowDBNull] = column.AllowDBNull ?? true;
            // The type's OID, as its bits: OIDs above int.MaxValue come out negative.
            row[SchemaTableColumn.ProviderType] = unchecked((int)column.TypeOid);
            row[SchemaTableColumn.IsAliased] = column.IsAliased ?? false;
            row[SchemaTableColumn.IsExpression] = column.IsExpression ?? false;
            row["IsIdentity"] = column.IsIdentity ?? false;
            row[SchemaTableOptionalColumn.IsAutoIncrement] = column.IsAutoIncrement ?? false;
            row[SchemaTableOptionalColumn.IsRowVersion] = false;
            row[SchemaTableOptionalColumn.IsHidden] = false;
            row[SchemaTableColumn.IsLong] = column.IsLong ?? false;
            row[SchemaTableOptionalColumn.IsReadOnly] = column.IsReadOnly ?? false;
            row[SchemaTableOptionalColumn.ProviderSpecificDataType] = (object?)column.DataType ?? DBNull.Value;
            row["DataTypeName"] = (object?)column.DataTypeName ?? DBNull.Value;
            row["TypeOid"] = column.TypeOid;
            row["TableOid"] = column.TableOid;
            row["ColumnAttributeNumber"] = column.ColumnAttributeNumber;
            table.Rows.Add(row);
        }
        table.AcceptChanges();
        return table;
    }
}
