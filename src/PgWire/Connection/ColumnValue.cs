using System.Reflection;
using PgWire.Types;

namespace PgWire.Connection;

/// <summary>
/// Reads one non-NULL column value as the .NET type the caller asks for, through the codec's typed readers:
/// shared by the data reader and PgRow so both accept exactly the same conversions.
/// </summary>
internal static class ColumnValue
{
    public static T Read<T>(PgTypeCodec codec, ReadOnlySpan<byte> data, bool binary, string columnName)
    {
        try
        {
#pragma warning disable CS8714 // T is a codec's own type here, never a nullable one.
            // The codec's own type: a class test and a virtual call, cheaper than the interface below.
            if (codec is PgTypeCodec<T> own) return own.Read(data, binary);
#pragma warning restore CS8714
            if (codec is IPgReader<T> reader) return reader.Read(data, binary);
            if (typeof(T) == typeof(object)) return (T)codec.ReadObject(data, binary);
            if (NullableReader<T>.Read is { } readNullable && NullableReader<T>.CanRead(codec))
                return readNullable(codec, data, binary);
            // A codec with an open set of .NET types (json and jsonb deserialize into any class) is asked last.
            if (codec is IPgGenericReader generic && generic.TryRead(data, binary, out T converted))
                return converted;
        }
        catch (PgConversionException e)
        {
            throw new PgConversionException($"Column \"{columnName}\": {e.Message}", e.SqlState, e);
        }
        throw new InvalidCastException(
            $"Column \"{columnName}\" is PostgreSQL {codec.DataTypeName}, which cannot be read as {TypeNames.Of(typeof(T))}; " +
            $"read it as {TypeNames.Of(codec.DefaultType)}.");
    }

    public static object ReadObject(PgTypeCodec codec, ReadOnlySpan<byte> data, bool binary, string columnName)
    {
        try
        {
            return codec.ReadObject(data, binary);
        }
        catch (PgConversionException e)
        {
            throw new PgConversionException($"Column \"{columnName}\": {e.Message}", e.SqlState, e);
        }
    }

    private delegate T SpanRead<out T>(PgTypeCodec codec, ReadOnlySpan<byte> data, bool binary);

    /// <summary>For T = U?: reads through the codec's IPgReader&lt;U&gt;, a delegate built once per T.</summary>
    private static class NullableReader<T>
    {
        private static readonly Type? Underlying = Nullable.GetUnderlyingType(typeof(T));

        public static readonly SpanRead<T>? Read = Underlying is null
            ? null
            : typeof(NullableReader<T>).GetMethod(nameof(ReadAs), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(Underlying).CreateDelegate<SpanRead<T>>();

        private static readonly Type? ReaderInterface = Underlying is null ? null : typeof(IPgReader<>).MakeGenericType(Underlying);

        public static bool CanRead(PgTypeCodec codec) => ReaderInterface!.IsInstanceOfType(codec);

        private static TValue? ReadAs<TValue>(PgTypeCodec codec, ReadOnlySpan<byte> data, bool binary) where TValue : struct =>
            ((IPgReader<TValue>)codec).Read(data, binary);
    }
}
