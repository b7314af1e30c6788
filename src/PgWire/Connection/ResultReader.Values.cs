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
        var codec = columns.Codecs[ordinal];
        try
        {
            if (codec is IPgReader<T> reader)
                return reader.Read(GetBytes(ordinal), columns.Binary[ordinal]);
            if (typeof(T) == typeof(object))
                return (T)codec.ReadObject(GetBytes(ordinal), columns.Binary[ordinal]);
            return ReadConverted<T>(columns, ordinal, codec);
        }
        catch (PgConversionException e)
        {
            throw new PgConversionException($"Column \"{columns.Names[ordinal]}\": {e.Message}", e.SqlState, e);
        }
    }

    private T ReadConverted<T>(ResultColumns columns, int ordinal, PgTypeCodec codec)
    {
        // Nullable<U>: read as U through the same codec.
        var underlying = Nullable.GetUnderlyingType(typeof(T));
        if (underlying is not null)
        {
            object value = codec.ReadObject(GetBytes(ordinal), columns.Binary[ordinal]);
            if (value.GetType() == underlying) return (T)value;
            var readerType = typeof(IPgReader<>).MakeGenericType(underlying);
            if (readerType.IsInstanceOfType(codec))
                return (T)readerType.GetMethod("Read")!.Invoke(codec, [GetBytes(ordinal).ToArray(), columns.Binary[ordinal]])!;
        }
        throw new InvalidCastException(
            $"Column \"{columns.Names[ordinal]}\" is PostgreSQL {codec.DataTypeName}, which cannot be read as {typeof(T).Name}; " +
            $"read it as {codec.DefaultType.Name}.");
    }

    /// <summary>Column <paramref name="ordinal"/> as its default .NET type, boxed; DBNull.Value for NULL.</summary>
    public object GetValue(int ordinal)
    {
        var columns = CheckRow(ordinal);
        if (IsNull(ordinal)) return DBNull.Value;
        try
        {
            return columns.Codecs[ordinal].ReadObject(GetBytes(ordinal), columns.Binary[ordinal]);
        }
        catch (PgConversionException e)
        {
            throw new PgConversionException($"Column \"{columns.Names[ordinal]}\": {e.Message}", e.SqlState, e);
        }
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
