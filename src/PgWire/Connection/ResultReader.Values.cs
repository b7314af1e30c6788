using System.Globalization;
using PgWire.Types;

namespace PgWire.Connection;

internal sealed partial class ResultReader
{
    /// <summary>
    /// Column <paramref name="ordinal"/> of the current row as <typeparamref name="T"/>: a direct codec read for the
    /// types the codec produces (no boxing for value types), NULL as null for nullable targets.
    /// </summary>
    public T GetFieldValue<T>(int ordinal)
    {
        var columns = CheckRow(ordinal);
        if (IsNull(ordinal))
        {
            if (default(T) is null && typeof(T) != typeof(DBNull)) return default!;
            if (typeof(T) == typeof(DBNull)) return (T)(object)DBNull.Value;
            throw new InvalidCastException(
                $"Column \"{columns.Names[ordinal]}\" is NULL, which {typeof(T).Name} cannot hold; read it as {typeof(T).Name}? or check IsDBNull first.");
        }
        return ColumnValue.Read<T>(columns.Codecs[ordinal], GetBytes(ordinal), columns.Binary[ordinal], columns.Names[ordinal]);
    }

    /// <summary>Column <paramref name="ordinal"/> as its default .NET type, boxed; DBNull.Value for NULL.</summary>
    public object GetValue(int ordinal)
    {
        var columns = CheckRow(ordinal);
        if (IsNull(ordinal)) return DBNull.Value;
        return ColumnValue.ReadObject(columns.Codecs[ordinal], GetBytes(ordinal), columns.Binary[ordinal], columns.Names[ordinal]);
    }

    private ResultColumns CheckRow(int ordinal)
    {
        if (_phase != Phase.OnRow || Columns is null)
            throw new InvalidOperationException("There is no current row: call Read() first, and only while it returns true.");
        if ((uint)ordinal >= (uint)Columns.Count)
            throw new IndexOutOfRangeException(
                string.Create(CultureInfo.InvariantCulture, $"Column ordinal {ordinal} is out of range: the result has {Columns.Count} column(s)."));
        return Columns;
    }
}
