namespace PgWire.Tests.Integration;

/// <summary>Small reading helpers the integration tests share; each goes through the public API only.</summary>
internal static class PgConnectionTestExtensions
{
    /// <summary>
    /// Runs <paramref name="sql"/> through PgCommand and PgDataReader and returns its only value, read with
    /// GetFieldValue&lt;T&gt;. Arguments that are PgParameter are added as they are, anything else is wrapped.
    /// </summary>
    public static async Task<T> ReadSingleAsync<T>(this PgConnection conn, string sql, params object?[] args)
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

    /// <summary>The only value of <paramref name="sql"/>, read with GetValue (DBNull.Value for NULL).</summary>
    public static async Task<object> ReadSingleValueAsync(this PgConnection conn, string sql, params object?[] args)
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        foreach (var arg in args) cmd.Parameters.Add(arg as PgParameter ?? new PgParameter(arg));
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "The query returned no row.");
        return reader.GetValue(0);
    }
}
