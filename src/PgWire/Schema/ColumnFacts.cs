namespace PgWire.Schema;

/// <summary>What the catalog says of one column of a table (pg_attribute and what hangs off it).</summary>
internal sealed record ColumnFacts(
    string Name,
    bool NotNull,
    bool IsIdentity,
    bool IsAutoIncrement,
    bool IsReadOnly,
    bool IsPrimaryKey,
    bool IsUnique);
