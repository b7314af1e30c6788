using System.Text;
using PgWire.Types;

namespace PgWire.Tests.Types.Temporal;

/// <summary>Reading helpers for the date and time tests; each read goes through PgCommand and PgDataReader.</summary>
internal static class TemporalQueries
{
    /// <summary>The only value of <paramref name="sql"/> read with GetFieldValue&lt;T&gt;; PgParameter arguments go as they are.</summary>
    public static async Task<T> ReadOneAsync<T>(this PgConnection conn, string sql, params object?[] args)
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        foreach (var arg in args) cmd.Parameters.Add(arg as PgParameter ?? new PgParameter(arg));
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "The query returned no row.");
        T value = reader.GetFieldValue<T>(0);
        Assert.False(await reader.ReadAsync(), "The query returned more than one row.");
        return value;
    }

    /// <summary>Each row of a two-column query: the first column read with <paramref name="read"/> (binary), the second, the server's text.</summary>
    public static async Task<List<(TResult Value, string ServerText)>> ReadPairsAsync<TResult>(
        this PgConnection conn, string sql, Func<PgDataReader, TResult> read)
    {
        var rows = new List<(TResult, string)>();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add((read(reader), reader.GetString(1)));
        return rows;
    }

    /// <summary>A value read through the text fallback of the codec for <paramref name="oid"/>, as if the server had sent text.</summary>
    public static T ReadText<T>(uint oid, string text) =>
        ((IPgReader<T>)PgTypeRegistry.Default.Find(oid)!).Read(Encoding.UTF8.GetBytes(text), binary: false);

    /// <summary>PgWire's own text for the binary value <paramref name="wire"/>, through the codec's string reader.</summary>
    public static string FormatBinary(uint oid, byte[] wire) =>
        ((IPgReader<string>)PgTypeRegistry.Default.Find(oid)!).Read(wire, binary: true);

    /// <summary>A read's value, or the exception it raised, so a loop over many values can check both outcomes.</summary>
    public static (T? Value, Exception? Error) Try<T>(Func<T> read) where T : struct
    {
        try
        {
            return (read(), null);
        }
        catch (Exception e)
        {
            return (null, e);
        }
    }
}
