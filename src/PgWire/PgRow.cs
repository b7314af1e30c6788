using System.Globalization;
using System.Text;

namespace PgWire;

/// <summary>
/// One row of a <see cref="PgConnection.QueryAsync(string, object?[])"/> result: values by ordinal or column name,
/// NULL as null. The column names live once in the result, not in every row.
/// </summary>
public sealed class PgRow : IReadOnlyList<object?>
{
    private readonly PgRowColumns _columns;
    private readonly object?[] _values;

    internal PgRow(PgRowColumns columns, object?[] values)
    {
        _columns = columns;
        _values = values;
    }

    /// <summary>The result's column names, in order.</summary>
    public IReadOnlyList<string> ColumnNames => _columns.Names;

    public int Count => _values.Length;

    public object? this[int ordinal] => _values[ordinal];

    /// <summary>The value of the column called <paramref name="name"/> (exact match first, then ignoring case).</summary>
    public object? this[string name] => _values[Ordinal(name)];

    /// <summary>The PostgreSQL type name of a column (integer, text, ...).</summary>
    public string GetDataTypeName(int ordinal) => _columns.DataTypeName(ordinal);

    public int Ordinal(string name)
    {
        int i = _columns.IndexOf(name);
        return i >= 0 ? i : throw new ArgumentException(
            $"The result has no column named \"{name}\"; its columns are: {string.Join(", ", _columns.Names)}.", nameof(name));
    }

    /// <summary>
    /// A value as <typeparamref name="T"/>: exact types as they are, numbers converted when the value fits
    /// (an int column read as long), NULL as null for nullable <typeparamref name="T"/>.
    /// </summary>
    public T Get<T>(int ordinal)
    {
        object? value = _values[ordinal];
        if (value is T t) return t;
        if (value is null)
        {
            if (default(T) is null) return default!;
            throw new InvalidCastException(
                $"Column \"{_columns.Names[ordinal]}\" is NULL, which {typeof(T).Name} cannot hold; ask for {typeof(T).Name}? instead.");
        }
        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        if (value is IConvertible && IsNumeric(target) && IsNumeric(value.GetType()))
        {
            try
            {
                if (value is double or float or decimal && !IsFloating(target))
                {
                    decimal d = Convert.ToDecimal(value, CultureInfo.InvariantCulture);
                    if (decimal.Truncate(d) != d) throw new OverflowException();
                }
                return (T)Convert.ChangeType(value, target, CultureInfo.InvariantCulture);
            }
            catch (OverflowException e)
            {
                throw new PgConversionException(
                    $"Column \"{_columns.Names[ordinal]}\": the value {value} does not fit {target.Name}.", PgErrorCodes.NumericValueOutOfRange, e);
            }
        }
        throw new InvalidCastException(
            $"Column \"{_columns.Names[ordinal]}\" holds a {value.GetType().Name} ({_columns.DataTypeName(ordinal)}), which cannot be read as {typeof(T).Name}.");
    }

    public T Get<T>(string name) => Get<T>(Ordinal(name));

    private static bool IsNumeric(Type t) =>
        t == typeof(int) || t == typeof(long) || t == typeof(short) || t == typeof(byte) || t == typeof(sbyte) ||
        t == typeof(uint) || t == typeof(ulong) || t == typeof(ushort) || IsFloating(t);

    private static bool IsFloating(Type t) => t == typeof(double) || t == typeof(float) || t == typeof(decimal);

    /// <summary>The row as column name -> value.</summary>
    public Dictionary<string, object?> ToDictionary()
    {
        var d = new Dictionary<string, object?>(_values.Length);
        for (int i = 0; i < _values.Length; i++) d.TryAdd(_columns.Names[i], _values[i]);
        return d;
    }

    public IEnumerator<object?> GetEnumerator() => ((IEnumerable<object?>)_values).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>{id: 1, name: Alice, is_active: True}</summary>
    public override string ToString()
    {
        var sb = new StringBuilder("{");
        for (int i = 0; i < _values.Length; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(_columns.Names[i]).Append(": ").Append(Convert.ToString(_values[i], CultureInfo.InvariantCulture) ?? "NULL");
        }
        return sb.Append('}').ToString();
    }
}
