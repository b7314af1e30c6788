using System.Data.Common;

namespace PgWire.Benchmarks;

internal static class ConnectionStrings
{
    /// <summary>The connection string with <paramref name="settings"/> added or replaced (keyword=value form only).</summary>
    public static string With(string connectionString, params (string Key, string Value)[] settings)
    {
        var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        foreach (var (key, value) in settings)
            builder[key] = value;
        return builder.ConnectionString;
    }

    /// <summary>The value of the first of <paramref name="keys"/> present (keywords are case-insensitive), or null.</summary>
    public static string? Get(string connectionString, params string[] keys)
    {
        var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        foreach (var key in keys)
            if (builder.TryGetValue(key, out var value) && value?.ToString() is { Length: > 0 } text)
                return text;
        return null;
    }
}
