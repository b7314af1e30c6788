using System.Data.Common;
using PgWire.Schema;

namespace PgWire;

/// <summary>
/// One column of a result as <see cref="PgDataReader.GetColumnSchema"/> describes it. Names, type, size, precision and
/// scale come from the result's RowDescription; what only the catalog knows (base column, table, schema and catalog
/// names, nullability, key, uniqueness, auto-increment, read-only) is filled in for table columns when the reader was
/// opened with <see cref="System.Data.CommandBehavior.KeyInfo"/>, and is null (unknown) otherwise.
/// </summary>
public sealed class PgDbColumn : DbColumn
{
    internal PgDbColumn(ColumnDescription d)
    {
        ColumnName = d.ColumnName;
        ColumnOrdinal = d.Ordinal;
        DataType = d.DataType;
        DataTypeName = d.DataTypeName;
        TypeOid = d.TypeOid;
        TableOid = d.TableOid;
        ColumnAttributeNumber = d.ColumnAttributeNumber;
        ColumnSize = d.Size;
        NumericPrecision = d.Precision;
        NumericScale = d.Scale;
        IsLong = d.IsLong;
        IsExpression = d.IsExpression;
        AllowDBNull = d.AllowDBNull;
        BaseCatalogName = d.BaseCatalogName;
        BaseSchemaName = d.BaseSchemaName;
        BaseTableName = d.BaseTableName;
        BaseColumnName = d.BaseColumnName;
        IsAliased = d.IsAliased;
        IsKey = d.IsKey;
        IsUnique = d.IsUnique;
        IsAutoIncrement = d.IsAutoIncrement;
        IsIdentity = d.IsIdentity;
        IsReadOnly = d.IsReadOnly;
        IsHidden = false;
    }

    /// <summary>The OID of the column's type: for a column of a domain, the domain's base type, as the server sends it.</summary>
    public uint TypeOid { get; }

    /// <summary>The OID of the table the column comes from, 0 for an expression.</summary>
    public uint TableOid { get; }

    /// <summary>The column's number in its table (pg_attribute.attnum; negative for a system column), 0 for an expression.</summary>
    public short ColumnAttributeNumber { get; }
}
