using System.Runtime.CompilerServices;
using System.Net.Sockets;
using PgWire.Protocol;
using PgWire.Protocol.Backend;

namespace PgWire.Connection;

internal sealed partial class PgConnector
{
    /// <summary>When the connector was opened (Environment.TickCount64), for Connection Lifetime.</summary>
    public long OpenedAt { get; private set; } = Environment.TickCount64;

    /// <summary>When the connector last went idle in the pool, for Connection Idle Lifetime.</summary>
    public long IdleSince { get; set; }

    /// <summary>The pool generation the connector was made in; a cleared pool closes older ones on return.</summary>
    public int Generation { get; set; }

    /// <summary>True once a command ran since the last reset: only then does the session need DISCARD ALL.</summary>
    public bool SessionUsed { get; private set; }

    /// <summary>The session was used and must be reset before its next user's first command.</summary>
    private bool _resetOwed;

    /// <summary>The reset went out ahead of a command; its answer is read before that command's.</summary>
    private bool _resetPending;

    /// <summary>
    /// For a reset sent in the extended protocol without a Sync of its own (<see cref="SessionReset"/>): the
    /// CommandCompletes still to come, the last of which ends its answer. 0 for a reset sent as a simple Query, whose
    /// answer ends with its ReadyForQuery.
    /// </summary>
    private int _resetCompletionsLeft;

    /// <summary>
    /// Called as a command starts writing: the reset owed since the connection came back to the pool goes out in the
    /// same write, ahead of the command, so the server runs both on one wake-up and nobody waits a round trip for it.
    /// </summary>
    /// <param name="beforeExtendedQuery">
    /// The command that follows is written in the extended protocol and ends with a Sync: the reset then goes as
    /// extended-protocol statements inside BEGIN ... COMMIT with no Sync of its own, so the server answers reset and
    /// command with one ReadyForQuery, and so one send (each ReadyForQuery flushes the server's output, and each send
    /// wakes the client once more). COMMIT makes the reset final before the command runs: a command that fails cannot
    /// roll it back. Otherwise the reset goes as a simple Query.
    /// </param>
    internal void WriteOwedReset(bool beforeExtendedQuery)
    {
        if (!_resetOwed) return;
        _resetOwed = false;
        _resetParsedNow = false;
        var reset = HasPreparedStatements ? SessionReset.KeepingStatements : SessionReset.All;
        if (beforeExtendedQuery)
        {
            // The statements of a reset that keeps prepared statements are prepared under names once a session and
            // only bound after that: the server then skips parsing nine statements per reuse.
            bool parsed = reset.KeepsStatements && _resetStatementsParsed;
            WriteBuffer.WriteBytes(parsed ? reset.BindOnly : reset.Messages);
            if (reset.KeepsStatements && !parsed) _resetStatementsParsed = _resetParsedNow = true;
            _resetCompletionsLeft = reset.Statements;
        }
        else
        {
            WriteSimpleQuery(reset.SimpleQuery);
            _resetCompletionsLeft = 0;
        }
        if (!reset.KeepsStatements) ForgetPreparedStatements();
        _resetPending = true;
        _resetUnflushed = true;
    }

    /// <summary>The owed reset is in the write buffer but not sent yet.</summary>
    private bool _resetUnflushed;

    /// <summary>The named statements of <see cref="SessionReset.KeepingStatements"/> exist on the server.</summary>
    private bool _resetStatementsParsed;

    /// <summary>The reset in the write buffer parses them.</summary>
    private bool _resetParsedNow;

    /// <summary>A command failed before its write was sent (it was dropped): the reset is owed again.</summary>
    private void RestoreUnsentReset()
    {
        if (!_resetUnflushed) return;
        _resetUnflushed = false;
        _resetPending = false;
        _resetCompletionsLeft = 0;
        _resetOwed = true;
        if (_resetParsedNow) _resetStatementsParsed = false;
        _resetParsedNow = false;
    }

    /// <summary>
    /// An idle connection whose socket has become readable has been closed by the server (a terminated backend,
    /// a restart) or was sent something unasked: either way it is not clean to hand out.
    /// </summary>
    public bool IsIdleAndSound()
    {
        if (State != ConnectorState.Ready || _socket is not { } socket) return false;
        if (ReadBuffer.BufferedBytes > 0) return false;
        // Over TLS a readable socket may also be a TLS record (a renegotiation or a close_notify): not clean either way.
        try
        {
            return !socket.Poll(0, SelectMode.SelectRead);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>
    /// Makes a connection returned to the pool clean for its next user. An open transaction is rolled back at once,
    /// in a round trip (it must not keep its locks while idle). A used session is reset with DISCARD ALL (or, when
    /// statements are prepared, the same minus DEALLOCATE ALL) sent with the next user's first command, before it
    /// (<see cref="WriteOwedReset"/>): closing costs nothing, and the reset no extra round trip or server wake-up.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask ResetForPoolAsync(bool discardSession, bool async)
    {
        if (State != ConnectorState.Ready) return;
        bool rollback = TransactionStatus != TransactionStatus.Idle;
        bool discard = discardSession && SessionUsed;
        if (!rollback && !discard) return;
        try
        {
            if (rollback)
            {
                State = ConnectorState.Executing;
                // Each its own Query: DISCARD ALL may not run inside the implicit transaction of a multi-statement query.
                WriteSimpleQuery("ROLLBACK");
                await FlushAsync(async, CancellationToken.None).ConfigureAwait(false);
                await ReadResetAnswerAsync(async).ConfigureAwait(false);
                if (IsBroken) return;
                FinishCommand();
            }
            if (discard)
            {
                _resetOwed = true;
                SessionUsed = false;
            }
        }
        catch (Exception)
        {
            // A connection that cannot be made clean (an error, a FATAL, an I/O failure) is not handed out again.
            Break();
        }
    }

    /// <summary>
    /// Takes one message of a reset's answer: the first error is kept, and at the answer's end (true) an error breaks
    /// the connector, which must not go on with a half-reset session. A simple Query's answer ends with ReadyForQuery;
    /// a pipelined reset's with its last CommandComplete, or, after an error, with the ReadyForQuery of the command's
    /// Sync (the server skips everything up to it, the command included).
    /// </summary>
    private bool ReadResetMessage(byte code, ref PgException? error)
    {
        switch (code)
        {
            case BackendMessageCode.ErrorResponse:
                error ??= ReadError();
                return false;
            case BackendMessageCode.CommandComplete when _resetCompletionsLeft > 0 && error is null:
                return --_resetCompletionsLeft == 0;
            case BackendMessageCode.ReadyForQuery:
                TransactionStatus = Guard(static body => ReadyForQuery.Parse(body));
                if (_resetCompletionsLeft > 0 && error is null)
                    error = new PgProtocolException("The server ended its answer to the session reset before the reset had completed.");
                _resetCompletionsLeft = 0;
                if (error is not null) Break();
                return true;
            default:
                return false;
        }
    }

    /// <summary>The error a command gets when the reset sent ahead of it failed.</summary>
    private static PgConnectionException ResetFailed(PgException? error) =>
        new($"Resetting the session when the connection went back to the pool failed ({error?.Message ?? "the server closed the connection"}); " +
            "the connection was closed." + (error is PgServerException { SqlState: PgErrorCodes.InvalidSqlStatementName or PgErrorCodes.DuplicatePreparedStatement }
                // The reset's own statements are prepared once a connection: a session that lost them, or never had them, is shared.
                ? " The server connection did not have the statements this connection prepared on it; behind PgBouncer in transaction or " +
                  "statement mode, each transaction may run on another server connection: add Prepared Statements=false to the connection string."
                : ""), error);

    /// <summary>Reads one simple query's answer up to its ReadyForQuery; an error in it breaks the connector and is returned.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<PgException?> ReadResetAnswerAsync(bool async)
    {
        PgException? error = null;
        while (!IsBroken)
        {
            byte code = await ReadMessageAsync(async, CancellationToken.None).ConfigureAwait(false);
            if (ReadResetMessage(code, ref error)) break;
        }
        return error;
    }

    /// <summary>
    /// The session reset, in its two forms: extended-protocol messages (Parse, Bind, Execute of each statement) inside
    /// BEGIN ... COMMIT, written once and copied into each command's write, which keeps it one transaction committed
    /// before the command that follows; and a simple Query, for when the next command is one.
    /// </summary>
    private sealed class SessionReset
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

        /// <summary>How many CommandCompletes answer <see cref="Messages"/>.</summary>
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
                string name = keepsStatements ? StatementNamePrefix + "reset" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
                WriteParameterlessStatement(full, name, all[i], parse: true);
                WriteParameterlessStatement(bindOnly, name, all[i], parse: false);
            }
            Messages = full.WrittenSpan.ToArray();
            BindOnly = bindOnly.WrittenSpan.ToArray();
        }
    }
}
