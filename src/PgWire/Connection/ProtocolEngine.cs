using System.Runtime.CompilerServices;
using PgWire.Protocol;
using PgWire.Protocol.Backend;

namespace PgWire.Connection;

/// <summary>
/// The connection's one reader of backend messages. It keeps a queue of what has been written and what each item
/// earns back (<see cref="ReplyKind"/>), and routes every message to the item at the head of the queue:
/// <list type="bullet">
/// <item>asynchronous messages (NoticeResponse, ParameterStatus, NotificationResponse) are taken out wherever they arrive;</item>
/// <item>a message that does not fit the head item is a protocol violation that closes the connection;</item>
/// <item>an ErrorResponse fails the items up to the next Sync (the server skips them), and is thrown once that Sync's
/// ReadyForQuery has been read, so the connection is back in step when the caller sees the error;</item>
/// <item>the replies to the session reset are the engine's own: they are read here and never reach the caller;</item>
/// <item>ReadyForQuery is parsed here and nowhere else: it sets the transaction status, and when the queue is empty the
/// command is over.</item>
/// </list>
/// Startup, the catalog load, the pool reset, internal commands, commands, batches and COPY all read through here. A
/// COPY that a plain command starts is refused here (CopyFail, or its data drained) with an error that names the COPY API.
/// </summary>
internal sealed class ProtocolEngine(PgConnector connector)
{
    private struct PendingReply
    {
        public ReplyKind Kind;
        /// <summary>Part of the session reset: its replies are consumed here.</summary>
        public bool Reset;
    }

    private PendingReply[] _queue = new PendingReply[16];
    private int _head;
    private int _count;
    private int _unsent;
    private int _resetItems;

    /// <summary>The error that failed items of the pipeline, thrown at the ReadyForQuery of its Sync.</summary>
    private Exception? _failure;
    private bool _failureInReset;

    /// <summary>A COPY TO STDOUT that a plain command started is being read and dropped (see <see cref="RefuseCopy"/>).</summary>
    private bool _drainingCopyOut;

    /// <summary>No reply is owed: every message written has been answered.</summary>
    public bool InStep => _count == 0;

    /// <summary>Items of the session reset are still unanswered.</summary>
    public bool ResetPending => _resetItems > 0;

    /// <summary>Records that a message was written that earns <paramref name="kind"/>.</summary>
    public void Expect(ReplyKind kind, bool reset = false)
    {
        if (_count == _queue.Length) Grow();
        ref var slot = ref _queue[(_head + _count) % _queue.Length];
        slot.Kind = kind;
        slot.Reset = reset;
        _count++;
        _unsent++;
        if (reset) _resetItems++;
    }

    /// <summary>Everything written so far has been sent.</summary>
    public void Sent() => _unsent = 0;

    /// <summary>The write buffer was dropped unsent: nothing is owed for it. True when a part of the reset was dropped.</summary>
    public bool DropUnsent()
    {
        bool resetDropped = false;
        for (; _unsent > 0; _unsent--)
        {
            _count--;
            if (_queue[(_head + _count) % _queue.Length].Reset)
            {
                _resetItems--;
                resetDropped = true;
            }
        }
        return resetDropped;
    }

    /// <summary>The connection closed: nothing more will be answered.</summary>
    public void Clear()
    {
        _head = _count = _unsent = _resetItems = 0;
        _executedBeforeSync = false;
        _failure = null;
        _failureInReset = false;
        _drainingCopyOut = false;
    }

    private void Grow()
    {
        var bigger = new PendingReply[_queue.Length * 2];
        for (int i = 0; i < _count; i++) bigger[i] = _queue[(_head + i) % _queue.Length];
        _queue = bigger;
        _head = 0;
    }

    private void Pop()
    {
        ref var item = ref _queue[_head];
        if (item.Reset) _resetItems--;
        else if (item.Kind == ReplyKind.ExecuteResult) _executedBeforeSync = true;
        if (item.Kind is ReplyKind.Sync or ReplyKind.SimpleQuery or ReplyKind.Copy or ReplyKind.Startup) _executedBeforeSync = false;
        _head = (_head + 1) % _queue.Length;
        _count--;
    }

    /// <summary>An Execute was answered whose Sync has not been: its implicit transaction commits at that Sync.</summary>
    private bool _executedBeforeSync;

    /// <summary>
    /// Whether a statement the caller sent may have run on the server without its outcome having been read: an Execute,
    /// a simple Query or a COPY sent and not answered (an import only once its CopyDone was sent), or an Execute answered
    /// whose Sync (where an implicit transaction commits) has not been. When the connection is lost then, the driver cannot know whether it committed.
    /// </summary>
    public bool OutcomeInDoubt
    {
        get
        {
            int sent = _count - _unsent;
            if (sent == 0) return false;
            if (_executedBeforeSync) return true;
            for (int i = 0; i < sent; i++)
            {
                ref var item = ref _queue[(_head + i) % _queue.Length];
                if (!item.Reset && (item.Kind is ReplyKind.ExecuteResult or ReplyKind.SimpleQuery
                        || item.Kind == ReplyKind.Copy && connector.Copy.MayHaveCommitted))
                    return true;
            }
            return false;
        }
    }

    /// <summary>
    /// The next message for the caller when it is already buffered, without I/O or an async state machine (the path of
    /// nearly every row); false when a read from the socket is needed (then call <see cref="ReadAsync"/>).
    /// </summary>
    public bool TryReadBuffered(out byte code)
    {
        var buffer = connector.ReadBuffer;
        while (buffer.TryReadBufferedMessage())
        {
            code = buffer.MessageCode;
            if (code == BackendMessageCode.DataRow && _count > 0 && _queue[_head] is { Kind: ReplyKind.ExecuteResult, Reset: false })
                return true;
            // Likewise every row of a COPY TO STDOUT the COPY API started (Route would take the same turn).
            if (code == BackendMessageCode.CopyData && _count > 0 && _queue[_head] is { Kind: ReplyKind.Copy, Reset: false })
                return true;
            if (Route(code)) return true;
        }
        code = 0;
        return false;
    }

    /// <summary>
    /// Reads up to the next message for the caller. Throws the server's error once its Sync has been answered, and
    /// breaks the connection on a transport failure, a FATAL error or a message that fits no request.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<byte> ReadAsync(bool async, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                var task = connector.ReadBuffer.ReadMessageAsync(async, cancellationToken);
                if (!task.IsCompletedSuccessfully)
                    await task.ConfigureAwait(false);
            }
            catch (Exception e) when (e is PgException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
            {
                throw connector.ReadFailed(e);
            }
            byte code = connector.ReadBuffer.MessageCode;
            if (Route(code)) return code;
        }
    }

    /// <summary>
    /// Routes the whole messages already received while nothing is asked of the server (only asynchronous messages and
    /// an ErrorResponse may come then); true when no part of a message is left in the buffer.
    /// </summary>
    public bool RouteBuffered()
    {
        var buffer = connector.ReadBuffer;
        while (buffer.TryReadBufferedMessage()) RouteUnasked(buffer.MessageCode);
        return buffer.BufferedBytes == 0;
    }

    /// <summary>
    /// Routes, without waiting, what the server sent while the connection was idle: notifications, notices, parameter
    /// status, or the FATAL error of a session the server ended (which breaks the connection and is thrown). Called
    /// before a command is written and when the pool hands a connection out, so that a connection the server closed
    /// while idle is found broken before anything is written to it. Receives only what the socket holds, a bounded
    /// number of times (a busy channel keeps sending); part of a message left over is read with what follows. Over
    /// TLS the socket's bytes are records, which a read decrypts whole: the rest of a record that has begun to arrive
    /// is waited for within <see cref="IdleRecordTimeoutMilliseconds"/>, and a server that does not send it breaks the
    /// connection.
    /// </summary>
    /// <returns>False when the socket is gone.</returns>
    public bool RouteArrived()
    {
        RouteBuffered();
        if (connector.Socket is not { } socket) return false;
        for (int receives = 0; receives < MaxIdleReceives; receives++)
        {
            int available;
            try
            {
                available = socket.Available;
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException)
            {
                return false;
            }
            if (available == 0) return true;
            try
            {
                if (connector.IsSecure) ReceiveRecord();
                else connector.ReadBuffer.ReceiveAvailable(available);
            }
            catch (PgException e)
            {
                throw connector.ReadFailed(e);
            }
            RouteBuffered();
        }
        return true;
    }

    private const int MaxIdleReceives = 16;

    /// <summary>
    /// How long the rest of a TLS record that began to arrive while the connection was idle may take: Command Timeout,
    /// or 30 s where that is 0 (this read is the driver's own, not a command the user let run without a limit).
    /// </summary>
    private int IdleRecordTimeoutMilliseconds =>
        (connector.Settings.CommandTimeoutSeconds > 0 ? connector.Settings.CommandTimeoutSeconds : 30) * 1000;

    /// <summary>Reads, synchronously, what the TLS record the socket holds decrypts to.</summary>
    private void ReceiveRecord()
    {
        var transport = connector.Transport;
        transport.SetReceiveTimeout(IdleRecordTimeoutMilliseconds);
        try
        {
            connector.ReadBuffer.ReceiveAvailable(int.MaxValue);
        }
        finally
        {
            transport.SetReceiveTimeout(0);
        }
    }

    /// <summary>Reads and routes one message while nothing is asked of the server (waiting for notifications).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask ReadAsynchronousAsync(bool async, CancellationToken cancellationToken)
    {
        try
        {
            await connector.ReadBuffer.ReadMessageAsync(async, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is PgException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            throw connector.ReadFailed(e);
        }
        RouteUnasked(connector.ReadBuffer.MessageCode);
    }

    private void RouteUnasked(byte code)
    {
        if (Route(code)) throw connector.Unexpected(code, "no message (nothing was asked of the server)");
    }

    /// <summary>Routes one message: true when it is the caller's to handle, false when it was handled here.</summary>
    private bool Route(byte code)
    {
        switch (code)
        {
            case BackendMessageCode.NoticeResponse:
            case BackendMessageCode.ParameterStatus:
            case BackendMessageCode.NotificationResponse:
                connector.HandleAsynchronousMessage(code);
                return false;
            case BackendMessageCode.ErrorResponse:
                return RouteError();
            case BackendMessageCode.ReadyForQuery:
                return RouteReadyForQuery();
        }
        if (_count == 0) throw connector.Unexpected(code, "no message (nothing was asked of the server)");
        ref var head = ref _queue[_head];
        if (code is BackendMessageCode.CopyInResponse or BackendMessageCode.CopyOutResponse or BackendMessageCode.CopyData
                or BackendMessageCode.CopyDone && head is { Kind: ReplyKind.ExecuteResult or ReplyKind.SimpleQuery, Reset: false })
            return RefuseCopy(code, extended: head.Kind == ReplyKind.ExecuteResult);
        bool fits;
        bool ends = true;
        switch (head.Kind)
        {
            case ReplyKind.ParseComplete:
                fits = code == BackendMessageCode.ParseComplete;
                break;
            case ReplyKind.BindComplete:
                fits = code == BackendMessageCode.BindComplete;
                break;
            case ReplyKind.CloseComplete:
                fits = code == BackendMessageCode.CloseComplete;
                break;
            case ReplyKind.StatementDescription:
                fits = code is BackendMessageCode.ParameterDescription or BackendMessageCode.RowDescription or BackendMessageCode.NoData;
                ends = code != BackendMessageCode.ParameterDescription;
                break;
            case ReplyKind.PortalDescription:
                fits = code is BackendMessageCode.RowDescription or BackendMessageCode.NoData;
                break;
            case ReplyKind.ExecuteResult:
                fits = code is BackendMessageCode.DataRow or BackendMessageCode.CommandComplete or BackendMessageCode.EmptyQueryResponse
                    or BackendMessageCode.PortalSuspended;
                ends = code != BackendMessageCode.DataRow;
                break;
            case ReplyKind.SimpleQuery:
                fits = code is BackendMessageCode.RowDescription or BackendMessageCode.DataRow or BackendMessageCode.CommandComplete
                    or BackendMessageCode.EmptyQueryResponse;
                ends = false;
                break;
            case ReplyKind.Copy:
                fits = code is BackendMessageCode.CopyInResponse or BackendMessageCode.CopyOutResponse or BackendMessageCode.CopyData
                    or BackendMessageCode.CopyDone or BackendMessageCode.CopyBothResponse or BackendMessageCode.CommandComplete
                    or BackendMessageCode.RowDescription or BackendMessageCode.DataRow or BackendMessageCode.EmptyQueryResponse;
                ends = false;
                break;
            case ReplyKind.Startup:
                fits = code is BackendMessageCode.Authentication or BackendMessageCode.BackendKeyData or BackendMessageCode.NegotiateProtocolVersion;
                ends = false;
                break;
            default: // Sync
                fits = false;
                break;
        }
        if (!fits)
        {
            if (code == BackendMessageCode.CopyBothResponse)
            {
                connector.Break();
                throw new PgProtocolException("The server started a COPY BOTH (streaming replication), which PgWire does not support; the connection was closed.");
            }
            throw connector.Unexpected(code, Describe(head.Kind));
        }
        bool reset = head.Reset;
        if (ends) Pop();
        return !reset;
    }

    /// <summary>
    /// A COPY started by a plain command, not through the COPY API: COPY FROM STDIN is answered with CopyFail (and,
    /// in the extended protocol, the Sync the server ignored during the copy), COPY TO STDOUT has its data read and
    /// dropped; either way the command fails with an error that names the API to use, and the connection stays in step.
    /// </summary>
    private bool RefuseCopy(byte code, bool extended)
    {
        switch (code)
        {
            case BackendMessageCode.CopyInResponse:
                SetRefusal(fromStdin: true);
                // The Sync written with the command was ignored during the copy; one is owed only when it was the
                // command's last message (a later Bind or Execute ends the copy with an error that takes that Sync).
                bool sync = extended && _count > 1 && _queue[(_head + 1) % _queue.Length].Kind == ReplyKind.Sync;
                connector.Copy.RefuseCopyIn(sync);
                return false;
            case BackendMessageCode.CopyOutResponse:
                SetRefusal(fromStdin: false);
                _drainingCopyOut = true;
                return false;
            case BackendMessageCode.CopyData when _drainingCopyOut:
                return false;
            case BackendMessageCode.CopyDone when _drainingCopyOut:
                _drainingCopyOut = false;
                return false;
            default:
                throw connector.Unexpected(code, Describe(_queue[_head].Kind));
        }
    }

    private void SetRefusal(bool fromStdin)
    {
        if (_failure is not null) return;
        _failure = new PgException(fromStdin
            ? "COPY ... FROM STDIN cannot run as a plain command: send its data with PgConnection.BeginBinaryImport, " +
              "BeginTextImport or BeginRawBinaryCopy (or ImportAsync). The COPY was aborted, nothing was copied, and the connection is still usable."
            : "COPY ... TO STDOUT cannot run as a plain command: read its data with PgConnection.BeginBinaryExport, " +
              "BeginTextExport or BeginRawBinaryCopy (or ExportAsync). Its data was dropped, and the connection is still usable.");
        _failureInReset = false;
    }

    private bool RouteError()
    {
        // Read before the error: a FATAL one breaks the connection, which clears the queue.
        bool inReset = _count > 0 && _queue[_head].Reset;
        var error = connector.ReadError();
        if (_count == 0 || connector.IsBroken || _queue[_head].Kind == ReplyKind.Startup)
        {
            // FATAL (the server is closing the session, also while idle), or an error at startup: nothing follows.
            connector.Break();
            Clear();
            throw inReset ? PoolUpkeep.ResetFailed(error) : error;
        }
        if (_failure is null)
        {
            _failure = error;
            _failureInReset = _queue[_head].Reset;
        }
        // The server skips everything up to the next Sync; a simple Query ends its own run.
        _drainingCopyOut = false;
        while (_count > 0 && _queue[_head].Kind is not (ReplyKind.Sync or ReplyKind.SimpleQuery or ReplyKind.Startup or ReplyKind.Copy)) Pop();
        return false;
    }

    private bool RouteReadyForQuery()
    {
        if (_count == 0 || _queue[_head].Kind is not (ReplyKind.Sync or ReplyKind.SimpleQuery or ReplyKind.Startup or ReplyKind.Copy))
        {
            if (_count > 0 && _queue[_head].Reset)
            {
                connector.Break();
                Clear();
                throw PoolUpkeep.ResetFailed(new PgProtocolException("The server ended its answer to the session reset before the reset had completed."));
            }
            throw connector.Unexpected(BackendMessageCode.ReadyForQuery, _count == 0 ? "no message (nothing was asked of the server)" : Describe(_queue[_head].Kind));
        }
        connector.Session.TransactionStatus = connector.Guard(static body => ReadyForQuery.Parse(body));
        bool reset = _queue[_head].Reset;
        Pop();
        if (_failure is { } failure)
        {
            _failure = null;
            if (_failureInReset || reset)
            {
                // A session that is half reset must not be handed to anyone.
                connector.Break();
                Clear();
                throw PoolUpkeep.ResetFailed(failure);
            }
            if (_count == 0) connector.FinishCommand();
            throw failure;
        }
        if (_count == 0) connector.FinishCommand();
        return !reset;
    }

    private static string Describe(ReplyKind kind) => kind switch
    {
        ReplyKind.ParseComplete => "ParseComplete",
        ReplyKind.BindComplete => "BindComplete",
        ReplyKind.CloseComplete => "CloseComplete",
        ReplyKind.StatementDescription => "ParameterDescription, RowDescription or NoData",
        ReplyKind.PortalDescription => "RowDescription or NoData",
        ReplyKind.ExecuteResult => "DataRow or CommandComplete",
        ReplyKind.SimpleQuery => "the result of a query",
        ReplyKind.Startup => "an authentication request, BackendKeyData or ReadyForQuery",
        ReplyKind.Copy => "the answer to a COPY",
        _ => "ReadyForQuery",
    };
}
