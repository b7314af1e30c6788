using System.Collections.ObjectModel;
using System.Data;
using System.Data.Common;
using PgWire.Connection;
using PgWire.Schema;

namespace PgWire;

public sealed partial class PgDataReader : IDbColumnSchemaGenerator
{
    private ResultColumns? _describedColumns;
    private PgDbColumn[]? _columnSchema;

    /// <summary>
    /// The columns of the current result. Names, .NET and PostgreSQL types, size, precision and scale always; for
    /// columns that come from a table, their base names, nullability (pg_attribute.attnotnull), key (the whole primary
    /// key is in the result), uniqueness, auto-increment (identity or a nextval default) and read-only-ness when the
    /// reader was opened with <see cref="CommandBehavior.KeyInfo"/>: the tables are then looked up before the command
    /// runs (the reader holds the connection afterwards), in one catalog query for the tables this open connection has
    /// not met yet. Without KeyInfo those are null (unknown). Works while rows are being read, and reads nothing.
    /// </summary>
    public ReadOnlyCollection<PgDbColumn> GetColumnSchema() => new(DescribeColumns());

    ReadOnlyCollection<DbColumn> IDbColumnSchemaGenerator.GetColumnSchema() => new(DescribeColumns());

    /// <summary>
    /// The current result's columns as ADO.NET's schema table (one row per column; see <see cref="GetColumnSchema"/>),
    /// with PgWire's DataTypeName, TypeOid, TableOid and ColumnAttributeNumber; ProviderType is the type's OID. Null when
    /// the statement returns no rows.
    /// </summary>
    public override DataTable? GetSchemaTable()
    {
        var columns = DescribeColumns();
        return columns.Length == 0 ? null : SchemaTable.From(columns);
    }

    public override Task<DataTable?> GetSchemaTableAsync(CancellationToken cancellationToken = default) =>
        cancellationToken.IsCancellationRequested ? Task.FromCanceled<DataTable?>(cancellationToken) : Task.FromResult(GetSchemaTable());

    private PgDbColumn[] DescribeColumns()
    {
        if (IsClosed) throw new InvalidOperationException("The data reader is closed.");
        var columns = ResultColumns;
        if (columns is null) return [];
        if (_columnSchema is null || !ReferenceEquals(_describedColumns, columns))
        {
            var tables = (_behavior & CommandBehavior.KeyInfo) != 0 ? _connection.TableFacts : null;
            _columnSchema = ColumnSchemaBuilder.Build(columns, tables);
            _describedColumns = columns;
        }
        return _columnSchema;
    }
}
