using PgWire.Protocol.Backend;
using PgWire.Types;

namespace PgWire.Connection;

/// <summary>
/// The columns of a result with their codecs resolved once: every row of the result, and every later run of
/// the same statement, shares this one object (rows hold values, the result holds names).
/// </summary>
internal sealed class ResultColumns
{
    private Dictionary<string, int>? _ordinals;
    private Dictionary<string, int>? _ordinalsIgnoreCase;

    /// <summary>Columns whose formats were chosen per column (<paramref name="formats"/>: 1 binary, 0 text).</summary>
    public ResultColumns(RowDescription description, PgTypeRegistry registry, short[]? formats)
        : this(description, registry, formats is null ? null : i => formats[i] == 1)
    {
    }

    public ResultColumns(RowDescription description, PgTypeRegistry registry, Func<int, bool>? binaryOverride = null)
    {
        Description = description;
        var fields = description.Fields;
        Codecs = new PgTypeCodec[fields.Length];
        Binary = new bool[fields.Length];
        Names = new string[fields.Length];
        for (int i = 0; i < fields.Length; i++)
        {
            Codecs[i] = registry.ForOid(fields[i].TypeOid);
            Binary[i] = binaryOverride?.Invoke(i) ?? fields[i].FormatCode == 1;
            Names[i] = fields[i].Name;
        }
    }

    public RowDescription Description { get; }

    public FieldDescription[] Fields => Description.Fields;

    public PgTypeCodec[] Codecs { get; }

    /// <summary>Whether each column arrives in binary format.</summary>
    public bool[] Binary { get; }

    public string[] Names { get; }

    public int Count => Codecs.Length;

    /// <summary>A first run's bytea column: hex text rather than the bytes.</summary>
    public bool IsTextBytea(int ordinal) => Codecs[ordinal] is ByteaCodec && !Binary[ordinal];

    /// <summary>The ordinal of a column by name: an exact match first, then ignoring case (ADO.NET's rule); -1 if none.</summary>
    public int IndexOf(string name)
    {
        if (_ordinals is null)
        {
            var exact = new Dictionary<string, int>(Count, StringComparer.Ordinal);
            var loose = new Dictionary<string, int>(Count, StringComparer.OrdinalIgnoreCase);
            for (int i = 0; i < Count; i++)
            {
                exact.TryAdd(Names[i], i);
                loose.TryAdd(Names[i], i);
            }
            _ordinalsIgnoreCase = loose;
            _ordinals = exact;
        }
        if (_ordinals.TryGetValue(name, out int ordinal)) return ordinal;
        return _ordinalsIgnoreCase!.TryGetValue(name, out ordinal) ? ordinal : -1;
    }
}
