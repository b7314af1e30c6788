using PgWire.Protocol;
using PgWire.Protocol.Frontend;

namespace PgWire.Connection;

/// <summary>
/// The session reset, in its two forms: extended-protocol messages (Parse, Bind, Execute of each statement) inside
/// BEGIN ... COMMIT, written once and copied into each command's write, which keeps it one transaction committed
/// before the command that follows; and a simple Query, for when the next command is one.
/// </summary>
internal sealed class SessionReset
{
    /// <summary>
    /// Sessions that used prepared statements keep them across users: the reset then undoes everything else
    /// DISCARD ALL would (role, settings, cursors, LISTEN, advisory locks, sequences state, temporary tables)
    /// without DEALLOCATE ALL and DISCARD PLANS. Its own statements are prepared too, under names of their own.
    /// </summary>
    public static readonly SessionReset KeepingStatements = new(
        ["SET SESSION AUTHORIZATION DEFAULT", "RESET ALL", "CLOSE ALL", "UNLISTEN *", "SELECT pg_advisory_unlock_all()",
         "DISCARD SEQUENCES", "DISCARD TEMP"], keepsStatements: true);

    /// <summary>
    /// DISCARD ALL; in the extended protocol statement by statement, unnamed (its DEALLOCATE ALL drops every named
    /// statement). DISCARD ALL itself may not run inside BEGIN ... COMMIT, and run alone in a pipeline, servers
    /// before the 2022 minor releases commit it only at the Sync, where a failing command behind it would roll part
    /// of it back.
    /// </summary>
    public static readonly SessionReset All = new(
        ["CLOSE ALL", "SET SESSION AUTHORIZATION DEFAULT", "RESET ALL", "DEALLOCATE ALL", "UNLISTEN *",
         "SELECT pg_advisory_unlock_all()", "DISCARD PLANS", "DISCARD TEMP", "DISCARD SEQUENCES"], keepsStatements: false,
        simpleQuery: "DISCARD ALL");

    /// <summary>Parse, Bind and Execute of each statement.</summary>
    public byte[] Messages { get; }

    /// <summary>Bind and Execute of each statement, for a session where the named statements are parsed already.</summary>
    public byte[] BindOnly { get; }

    /// <summary>The same as one simple Query (one implicit transaction).</summary>
    public string SimpleQuery { get; }

    /// <summary>Prepared statements survive it, and its own statements are named.</summary>
    public bool KeepsStatements { get; }

    /// <summary>How many statements <see cref="Messages"/> runs (each earns a CommandComplete).</summary>
    public int Statements { get; }

    private SessionReset(string[] statements, bool keepsStatements, string? simpleQuery = null)
    {
        string[] all = ["BEGIN", .. statements, "COMMIT"];
        KeepsStatements = keepsStatements;
        Statements = all.Length;
        SimpleQuery = simpleQuery ?? string.Join(';', statements);
        using var full = new WriteBuffer();
        using var bindOnly = new WriteBuffer();
        for (int i = 0; i < all.Length; i++)
        {
            string name = keepsStatements ? PreparedStatements.StatementNamePrefix + "reset" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
            WriteParameterlessStatement(full, name, all[i], parse: true);
            WriteParameterlessStatement(bindOnly, name, all[i], parse: false);
        }
        Messages = full.WrittenSpan.ToArray();
        BindOnly = bindOnly.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Writes a statement without parameters for the unnamed portal, executed to its end: Parse (unless
    /// <paramref name="parse"/> is false, for a statement prepared earlier under <paramref name="name"/>), Bind, Execute.
    /// </summary>
    public static void WriteParameterlessStatement(WriteBuffer buffer, string name, string sql, bool parse)
    {
        if (parse) Parse.Write(buffer, name, sql, []);
        Bind.Write(buffer, "", name, NoBindParameters.Instance, []);
        Execute.Write(buffer, "", 0);
    }
}
