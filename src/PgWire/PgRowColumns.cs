using PgWire.Connection;

namespace PgWire;

/// <summary>The column names and types of a result, shared by all its <see cref="PgRow"/>s.</summary>
internal sealed class PgRowColumns
{
    private readonly ResultColumns _columns;

    private PgRowColumns(ResultColumns columns) => _columns = columns;

    public static PgRowColumns For(ResultColumns columns) => new(columns);

    public IReadOnlyList<string> Names => _columns.Names;

    public int Count => _columns.Count;

    public int IndexOf(string name) => _columns.IndexOf(name);

    public string DataTypeName(int ordinal) => _columns.Codecs[ordinal].DataTypeName;

    public Types.PgTypeCodec Codec(int ordinal) => _columns.Codecs[ordinal];

    public bool Binary(int ordinal) => _columns.Binary[ordinal];
}
