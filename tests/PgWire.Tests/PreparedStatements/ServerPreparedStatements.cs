using System.Globalization;

namespace PgWire.Tests.PreparedStatements;

/// <summary>The server's own view of the statements PgWire prepared on a session (pg_prepared_statements).</summary>
internal static class ServerPreparedStatements
{
    private static int s_probes;

    /// <summary>
    /// The SQL of the statements PgWire has prepared on this session, in order. Each probe is a SQL text of its own,
    /// run once, so the probe itself is never prepared and never takes a place among the prepared statements.
    /// </summary>
    public static async Task<List<string>> OfAsync(PgConnection connection)
    {
        string probe = string.Concat(
            "SELECT statement FROM pg_prepared_statements WHERE name LIKE '\\_pgw%' ORDER BY statement /* probe ",
            Interlocked.Increment(ref s_probes).ToString(CultureInfo.InvariantCulture), " */");
        var rows = await connection.QueryAsync(probe);
        return rows.Select(r => (string)r[0]!).ToList();
    }
}
