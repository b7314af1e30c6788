using System.Globalization;
using System.Text;
using PgWire.Connection;

namespace PgWire;

/// <summary>
/// One row of a <see cref="PgConnection.QueryAsync(string, object?[])"/> result: values by ordinal or column name,
/// NULL as null. The row keeps its bytes and decodes a value when asked, as the type asked for
/// (<see cref="Get{T}(int)"/> reads an int column as long, a timestamptz as DateTimeOffset, without boxing);
/// the column names live once in the result, not in every row.
/// </summary>
public sealed class PgRow : IReadOnlyList<object?>
{
    private readonly PgRowColumns _columns;
    private readonly byte[] _data;
    private readonly int[] _layout;
    private object?[]? _values;

    internal PgRow(PgRowColumns columns, byte[] data, int[] layout)
    {
        _columns = columns;
        _data = data;
        _layout = layout;
    }

    /// <summary>The result's column names, in order.</summary>
    public IReadOnlyList<string> ColumnNames => _columns.Names;

    public int Count => _columns.Count;

    /// <summary>The value of a column as its default .NET type; null for NULL.</summary>
    public object? this[int ordinal]
    {
        get
        {
            var values = _values ??= new object?[Count];
            if (values[ordinal] is null && !IsNull(ordinal))
                values[ordinal] = ColumnValue.ReadObject(_columns.Codec(ordinal), Bytes(ordinal), _columns.Binary(ordinal), _columns.Names[ordinal]);
            return values[ordinal];
        }
    }

    /// <summary>The value of the column called <paramref name="name"/> (exact match first, then ignoring case).</summary>
    public object? this[string name] => this[Ordinal(name)];

    /// <summary>True when the column is NULL.</summary>
    public bool IsNull(int ordinal) => _layout[2 * ordinal + 1] < 0;

    /// <summary>The PostgreSQL type name of a column (integer, text, ...).</summary>
    public string GetDataTypeName(int ordinal) => _columns.DataTypeName(ordinal);

    public int Ordinal(string name)
    {
        int i = _columns.IndexOf(name);
        return i >= 0 ? i : throw new ArgumentException(
            $"The result has no column named \"{name}\"; its columns are: {string.Join(", ", _columns.Names)}.", nameof(name));
    }

    /// <summary>
    /// A value as <typeparamref name="T"/>, with the conversions of <see cref="PgDataReader.GetFieldValue{T}"/>:
    /// wider numbers, narrower ones when the value fits, alternative types of the column (DateTimeOffset for a
    /// timestamptz). NULL is null for a nullable <typeparamref name="T"/> and an error otherwise.
    /// </summary>
    public T Get<T>(int ordinal)
    {
        if (IsNull(ordinal))
        {
            if (default(T) is null) return default!;
            throw new InvalidCastException(
                $"Column \"{_columns.Names[ordinal]}\" is NULL, which {typeof(T).Name} cannot hold; ask for {typeof(T).Name}? instead.");
        }
        return ColumnValue.Read<T>(_columns.Codec(ordinal), Bytes(ordinal), _columns.Binary(ordinal), _columns.Names[ordinal]);
    }

    public T Get<T>(string name) => Get<T>(Ordinal(name));

    private ReadOnlySpan<byte> Bytes(int ordinal) => _data.AsSpan(_layout[2 * ordinal], Math.Max(_layout[2 * ordinal + 1], 0));

    /// <summary>The row as column name -> value.</summary>
    public Dictionary<string, object?> ToDictionary()
    {
        var d = new Dictionary<string, object?>(Count);
        for (int i = 0; i < Count; i++) d.TryAdd(_columns.Names[i], this[i]);
        return d;
    }

    public IEnumerator<object?> GetEnumerator()
    {
        for (int i = 0; i < Count; i++) yield return this[i];
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>{id: 1, name: Alice, is_active: True}</summary>
    public override string ToString()
    {
        var sb = new StringBuilder("{");
        for (int i = 0; i < Count; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(_columns.Names[i]).Append(": ").Append(Convert.ToString(this[i], CultureInfo.InvariantCulture) ?? "NULL");
        }
        return sb.Append('}').ToString();
    }
}
