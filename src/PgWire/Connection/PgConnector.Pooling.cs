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
    /// Makes a connection returned to the pool clean for its next user in one round trip: an open transaction is
    /// rolled back (it must not keep its locks while idle), and a used session is reset with DISCARD ALL (temp
    /// tables, SET, advisory locks, LISTEN). Each is its own Query message, since DISCARD ALL may not run inside
    /// the implicit transaction of a multi-statement query.
    /// </summary>
    public async ValueTask ResetForPoolAsync(bool discardSession, bool async)
    {
        if (State != ConnectorState.Ready) return;
        bool rollback = TransactionStatus != TransactionStatus.Idle;
        bool discard = discardSession && SessionUsed;
        if (!rollback && !discard) return;
        State = ConnectorState.Executing;
        try
        {
            if (rollback) WriteSimpleQuery("ROLLBACK");
            if (discard) WriteSimpleQuery("DISCARD ALL");
            await FlushAsync(async, CancellationToken.None).ConfigureAwait(false);
            int pending = (rollback ? 1 : 0) + (discard ? 1 : 0);
            PgException? error = null;
            while (pending > 0 && !IsBroken)
            {
                byte code = await ReadMessageAsync(async, CancellationToken.None).ConfigureAwait(false);
                if (code == BackendMessageCode.ErrorResponse) error ??= ReadError();
                else if (code == BackendMessageCode.ReadyForQuery)
                {
                    TransactionStatus = Guard(static body => ReadyForQuery.Parse(body));
                    pending--;
                }
            }
            if (IsBroken) return;
            FinishCommand();
            if (error is not null) throw error;
            if (discard)
            {
                SessionUsed = false;
                // DISCARD ALL dropped the session's prepared statements and plans; descriptions stay valid.
            }
        }
        catch (Exception)
        {
            // A connection that cannot be made clean (an error, a FATAL, an I/O failure) is not handed out again.
            Break();
        }
    }
}
