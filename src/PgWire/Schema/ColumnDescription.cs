namespace PgWire.Schema;

/// <summary>Everything a <see cref="PgDbColumn"/> says, gathered by <see cref="ColumnSchemaBuilder"/>; null where unknown.</summary>
internal sealed record ColumnDescription
{
    public required string ColumnName { get; init; }
    public required int Ordinal { get; init; }
    public required Type DataType { get; init; }
    public required string DataTypeName { get; init; }
    public required uint TypeOid { get; init; }
    public uint TableOid { get; init; }
    public short ColumnAttributeNumber { get; init; }
    public int Size { get; init; } = -1;
    public int? Precision { get; init; }
    public int? Scale { get; init; }
    public bool IsLong { get; init; }
    public bool IsExpression { get; init; }
    public bool? AllowDBNull { get; init; }
    public string? BaseCatalogName { get; init; }
    public string? BaseSchemaName { get; init; }
    public string? BaseTableName { get; init; }
    public string? BaseColumnName { get; init; }
    public bool? IsAliased { get; init; }
    public bool? IsKey { get; init; }
    public bool? IsUnique { get; init; }
    public bool? IsAutoIncrement { get; init; }
    public bool? IsIdentity { get; init; }
    public bool? IsReadOnly { get; init; }
}
