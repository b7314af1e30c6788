using System.Net.Sockets;
using System.Runtime.CompilerServices;
using PgWire.Protocol.Backend;

namespace PgWire.Connection;

/// <summary>
/// What a pool needs of its connector: when it was opened and last went idle, the pool generation it belongs to,
/// whether it is still sound while idle, and the reset that makes it clean for the next user.
/// </summary>
internal sealed class PoolUpkeep(PgConnector connector)
{
    /// <summary>When the connector was opened (Environment.TickCount64), for Connection Lifetime.</summary>
    public long OpenedAt { get; set; } = Environment.TickCount64;

    /// <summary>When the connector last went idle in the pool, for Connection Idle Lifetime.</summary>
    public long IdleSince { get; set; }

    /// <summary>The pool generation the connector was made in; a cleared pool closes older ones on return.</summary>
    public int Generation { get; set; }

    /// <summary>
    /// Whether an idle connection is clean to hand out. What the server sent while it sat in the pool is routed first
    /// (<see cref="ProtocolEngine.RouteArrived"/>): a notification for the previous user is dropped, a FATAL (a
    /// terminated backend, a shutdown) breaks it. A socket readable with nothing to read was closed by the server.
    /// </summary>
    public bool IsIdleAndSound()
    {
        if (connector.State != ConnectorState.Ready || connector.Socket is not { } socket) return false;
        try
        {
            if (connector.ReadBuffer.BufferedBytes == 0 && !socket.Poll(0, SelectMode.SelectRead)) return true;
            if (!connector.Engine.RouteArrived() || connector.State != ConnectorState.Ready) return false;
            // More to read (a busy channel): the next command routes it. Nothing, yet readable: the server closed it.
            return socket.Available > 0 || !socket.Poll(0, SelectMode.SelectRead);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or PgException)
        {
            connector.Break();
            return false;
        }
    }

    /// <summary>
    /// Makes a connection returned to the pool clean for its next user. An open transaction is rolled back at once,
    /// in a round trip (it must not keep its locks while idle). A used session is reset with DISCARD ALL (or, when
    /// statements are prepared, the same minus DEALLOCATE ALL) sent with the next user's first command, before it
    /// (<see cref="ServerSession.WriteOwedReset"/>): closing costs nothing, and the reset no extra round trip or server wake-up.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask ResetAsync(bool discardSession, bool async)
    {
        if (connector.State != ConnectorState.Ready) return;
        var session = connector.Session;
        bool rollback = session.TransactionStatus != TransactionStatus.Idle;
        bool discard = discardSession && session.Used;
        if (!rollback && !discard) return;
        try
        {
            // Within Command Timeout like any command: a server that stops answering does not hold the pool.
            if (rollback) await connector.Internal.ExecuteAsync("ROLLBACK", async, CancellationToken.None).ConfigureAwait(false);
            if (discard)
            {
                session.ResetOwed = true;
                session.Used = false;
            }
        }
        catch (Exception)
        {
            // A connection that cannot be made clean (an error, a FATAL, an I/O failure) is not handed out again.
            connector.Break();
        }
    }

    /// <summary>The error a command gets when the reset sent ahead of it failed.</summary>
    public static PgConnectionException ResetFailed(Exception? error) =>
        new($"Resetting the session when the connection went back to the pool failed ({error?.Message ?? "the server closed the connection"}); " +
            "the connection was closed." + (error is PgServerException { SqlState: PgErrorCodes.InvalidSqlStatementName or PgErrorCodes.DuplicatePreparedStatement }
                // The reset's own statements are prepared once a connection: a session that lost them, or never had them, is shared.
                ? " The server connection did not have the statements this connection prepared on it; behind PgBouncer in transaction or " +
                  "statement mode, each transaction may run on another server connection: add Prepared Statements=false to the connection string."
                : ""), error);
}
