using PgWire.Protocol.Backend;
using PgWire.Types;

namespace PgWire.Connection;

/// <summary>
/// What this connection learned about one SQL text with one set of parameter types: its parameter and row
/// descriptions, the result formats to ask for, and the resolved columns of its last result.
/// </summary>
internal sealed class CachedStatement
{
    private ResultColumns? _lastColumns;

    /// <summary>The statement cache's own links: its recency node, and the next statement of the same SQL text (other parameter types).</summary>
    internal LinkedListNode<CachedStatement>? CacheNode;
    internal CachedStatement? NextWithSameSql;

    public CachedStatement(string sql, uint[] parameterTypes, uint[] serverParameterTypes, RowDescription? rowDescription,
        PgTypeRegistry registry)
    {
        Sql = sql;
        ChangesTextOutput = FirstRunText.MayChangeTextOutput(sql);
        ParameterTypes = parameterTypes;
        ServerParameterTypes = serverParameterTypes;
        _description = rowDescription;
        _registry = registry;
        if (rowDescription is null)
        {
            ResultFormats = [];
            return;
        }
        // Binary for the types PgWire knows, text for the rest, so an unknown type arrives as its text.
        var formats = new short[rowDescription.Count];
        bool allBinary = true, allText = true;
        for (int i = 0; i < formats.Length; i++)
        {
            formats[i] = registry.ForOid(rowDescription.Fields[i].TypeOid).BinaryResults ? (short)1 : (short)0;
            if (formats[i] == 1) allText = false;
            else allBinary = false;
        }
        ResultFormats = allText ? [] : allBinary ? [1] : formats;
        _binaryColumns = formats;
    }

    /// <summary>Which columns a run of the statement asks for in binary; the columns are resolved on the second run.</summary>
    private readonly short[]? _binaryColumns;

    private readonly PgTypeRegistry _registry;

    private readonly RowDescription? _description;

    /// <summary>The same statement described again with another set of types (after the data source loaded its types).</summary>
    public CachedStatement WithRegistry(PgTypeRegistry registry) =>
        new(Sql, ParameterTypes, ServerParameterTypes, _description, registry);

    public string Sql { get; }

    /// <summary>The statement names a setting that changes how values print as text (see <see cref="FirstRunText"/>).</summary>
    public bool ChangesTextOutput { get; }

    /// <summary>How many times this connection has run the statement (for automatic preparation).</summary>
    public int Usages { get; set; }

    /// <summary>The name of the server-side prepared statement, or null while it runs as the unnamed statement.</summary>
    public string? PreparedName { get; set; }

    /// <summary>Prepare was called for it: the next run prepares it whatever its usage count.</summary>
    public bool PrepareRequested { get; set; }

    /// <summary>The OIDs sent in Parse (0 where the server was left to infer).</summary>
    public uint[] ParameterTypes { get; }

    /// <summary>The OIDs the server resolved (ParameterDescription).</summary>
    public uint[] ServerParameterTypes { get; }

    /// <summary>The result format codes for Bind: empty (all text), one (all binary) or one per column.</summary>
    public short[] ResultFormats { get; }

    /// <summary>The columns of the last result (or of the description), or null when the statement returns no rows.</summary>
    public ResultColumns? LastColumns =>
        _lastColumns ??= _description is null ? null : new ResultColumns(_description, _registry, _binaryColumns);

    /// <summary>
    /// The columns of a portal's RowDescription: the same bytes as last time reuse the resolved columns,
    /// so a repeated statement parses no names and allocates nothing here.
    /// </summary>
    public ResultColumns ColumnsFor(ReadOnlySpan<byte> rowDescriptionBody, PgTypeRegistry registry)
    {
        var last = LastColumns;
        if (last is not null && last.Description.SameBytes(rowDescriptionBody))
            return last;
        var columns = new ResultColumns(RowDescription.Parse(rowDescriptionBody), registry);
        _lastColumns = columns;
        return columns;
    }
}
