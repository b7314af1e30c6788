namespace PgWire.Schema;

/// <summary>
/// What one catalog query told this connection about a table (or view, materialized view, foreign table): its names,
/// and its columns by attribute number, the number a RowDescription gives for each field that comes from a table.
/// </summary>
internal sealed class TableFacts(uint oid, string database, string schema, string name)
{
    private readonly Dictionary<short, ColumnFacts> _columns = new();
    private readonly List<short> _primaryKey = new();

    public uint Oid { get; } = oid;

    /// <summary>current_database(): the catalog part of the table's name.</summary>
    public string Database { get; } = database;

    public string Schema { get; } = schema;

    public string Name { get; } = name;

    /// <summary>The attribute numbers of the table's primary key (empty when it has none).</summary>
    public IReadOnlyList<short> PrimaryKey => _primaryKey;

    public void Add(short attributeNumber, ColumnFacts column)
    {
        _columns[attributeNumber] = column;
        if (column.IsPrimaryKey) _primaryKey.Add(attributeNumber);
    }

    public ColumnFacts? Column(short attributeNumber) => _columns.GetValueOrDefault(attributeNumber);
}
