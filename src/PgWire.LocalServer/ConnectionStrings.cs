namespace PgWire.LocalServer;

/// <summary>Builds Npgsql-style "Key=Value;..." connection strings.</summary>
internal static class ConnectionStrings
{
    /// <summary>Joins the pairs, leaving out those whose value is null.</summary>
    public static string Build(params ReadOnlySpan<(string Key, string? Value)> pairs)
    {
        var parts = new List<string>(pairs.Length);
        foreach (var (key, value) in pairs)
        {
            if (value is not null)
                parts.Add(key + "=" + Quote(value));
        }
        return string.Join(';', parts);
    }

    /// <summary>Quotes a value the parser would otherwise split or trim: DbConnectionStringBuilder's rules.</summary>
    private static string Quote(string value)
    {
        var needsQuotes = value.Length == 0
            || value.AsSpan().IndexOfAny(";='\"") >= 0
            || char.IsWhiteSpace(value[0])
            || char.IsWhiteSpace(value[^1]);
        return needsQuotes ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
