using PgWire.Protocol;
using PgWire.Protocol.Backend;

namespace PgWire.Connection;

/// <summary>
/// What the connection knows of its server session: the run-time parameters the server reported, the transaction
/// status of the last ReadyForQuery, the backend's key, and whether the session was used and owes a reset before its
/// next user's first command (pooling).
/// </summary>
internal sealed class ServerSession
{
    /// <summary>The run-time parameters the server reported (server_version, TimeZone, ...).</summary>
    public Dictionary<string, string> ServerParameters { get; } = new(StringComparer.Ordinal);

    public string ServerVersion => ServerParameters.TryGetValue("server_version", out var v) ? v : "";

    public TransactionStatus TransactionStatus { get; set; } = TransactionStatus.Idle;

    public BackendKeyData BackendKey { get; set; }

    /// <summary>True once a command ran since the last reset: only then does the session need resetting.</summary>
    public bool Used { get; set; }

    /// <summary>The session was used and must be reset before its next user's first command.</summary>
    public bool ResetOwed { get; set; }

    /// <summary>
    /// A command of this session named a setting that changes how values print as text (see FirstRunText; the server
    /// does not report extra_float_digits, bytea_output or lc_monetary): a statement's first run, which reads text, could then
    /// read a value other than a prepared run's binary, so new statements are described in a round trip of their own
    /// until the session is reset.
    /// </summary>
    public bool TextOutputChanged { get; set; }

    /// <summary>
    /// How many commands on this session may have changed a table's columns, keys or defaults (their tag begins
    /// CREATE, ALTER, DROP or ROLLBACK): what the connection learned of its tables before is no longer to be trusted.
    /// </summary>
    public int CatalogChanges { get; private set; }

    /// <summary>Reads a CommandComplete's tag for <see cref="CatalogChanges"/>.</summary>
    public void NoteCommandTag(ReadOnlySpan<byte> commandCompleteBody)
    {
        if (commandCompleteBody.IsEmpty) return;
        // Most tags (SELECT, INSERT, UPDATE, DELETE, FETCH, COPY...) are ruled out by their first letter.
        if (commandCompleteBody[0] is (byte)'A' or (byte)'C' or (byte)'D' or (byte)'R' &&
            (commandCompleteBody.StartsWith("ALTER "u8) || commandCompleteBody.StartsWith("CREATE "u8) ||
             commandCompleteBody.StartsWith("DROP "u8) || commandCompleteBody.StartsWith("ROLLBACK\0"u8)))
            CatalogChanges++;
    }

    /// <summary>The named statements of <see cref="SessionReset.KeepingStatements"/> exist on the server.</summary>
    private bool _resetStatementsParsed;

    /// <summary>The reset in the write buffer parses them.</summary>
    private bool _resetParsedNow;

    public void Opened()
    {
        ServerParameters.Clear();
        TransactionStatus = TransactionStatus.Idle;
        Used = ResetOwed = TextOutputChanged = false;
        _resetStatementsParsed = _resetParsedNow = false;
    }

    /// <summary>The session's prepared statements are gone (DISCARD ALL, DEALLOCATE ALL): the reset's too.</summary>
    public void PreparedStatementsForgotten() => _resetStatementsParsed = false;

    /// <summary>
    /// Called as a command starts writing: the reset owed since the connection came back to the pool goes out in the
    /// same write, ahead of the command, so the server runs both on one wake-up and nobody waits a round trip for it.
    /// Its replies are the engine's own (queued as reset items), never the command's.
    /// </summary>
    /// <param name="buffer">The write the command goes in.</param>
    /// <param name="engine">Records the reset's replies as the engine's own.</param>
    /// <param name="prepared">Whether prepared statements are kept decides the form of the reset.</param>
    /// <param name="beforeExtendedQuery">
    /// The command that follows is written in the extended protocol and ends with a Sync: the reset then goes as
    /// extended-protocol statements inside BEGIN ... COMMIT with no Sync of its own, so the server answers reset and
    /// command with one ReadyForQuery, and so one send (each ReadyForQuery flushes the server's output, and each send
    /// wakes the client once more). COMMIT makes the reset final before the command runs: a command that fails cannot
    /// roll it back. Otherwise the reset goes as a simple Query.
    /// </param>
    /// <returns>True when a reset was written.</returns>
    public bool WriteOwedReset(WriteBuffer buffer, ProtocolEngine engine, PreparedStatements prepared, bool beforeExtendedQuery)
    {
        if (!ResetOwed) return false;
        ResetOwed = false;
        // The reset's RESET ALL puts the settings back before the command that follows runs.
        TextOutputChanged = false;
        _resetParsedNow = false;
        var reset = prepared.HasPreparedStatements ? SessionReset.KeepingStatements : SessionReset.All;
        if (beforeExtendedQuery)
        {
            // The statements of a reset that keeps prepared statements are prepared under names once a session and
            // only bound after that: the server then skips parsing nine statements per reuse.
            bool parsed = reset.KeepsStatements && _resetStatementsParsed;
            buffer.WriteBytes(parsed ? reset.BindOnly : reset.Messages);
            if (reset.KeepsStatements && !parsed) _resetStatementsParsed = _resetParsedNow = true;
            for (int i = 0; i < reset.Statements; i++)
            {
                if (!parsed) engine.Expect(ReplyKind.ParseComplete, reset: true);
                engine.Expect(ReplyKind.BindComplete, reset: true);
                engine.Expect(ReplyKind.ExecuteResult, reset: true);
            }
        }
        else
        {
            Protocol.Frontend.Query.Write(buffer, reset.SimpleQuery);
            engine.Expect(ReplyKind.SimpleQuery, reset: true);
        }
        if (!reset.KeepsStatements) prepared.ForgetPreparedStatements();
        return true;
    }

    /// <summary>A command failed before its write was sent (it was dropped): the reset is owed again.</summary>
    public void RestoreUnsentReset()
    {
        ResetOwed = true;
        if (_resetParsedNow) _resetStatementsParsed = false;
        _resetParsedNow = false;
    }
}
