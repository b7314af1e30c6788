using System.Runtime.CompilerServices;
using PgWire.Protocol;
using PgWire.Protocol.Backend;
using PgWire.Types;
using PgWire.Types.Dynamic;

namespace PgWire.Connection;

/// <summary>
/// One physical connection to the server: transport, startup and authentication, and the query pipeline.
/// Split by concern across partial files (Transport, Startup, Query, Cancel). Not thread-safe: one user at a time.
/// </summary>
internal sealed partial class PgConnector : IAsyncDisposable
{
    private Stream? _stream;
    private ReadBuffer? _readBuffer;
    private WriteBuffer? _writeBuffer;

    public PgConnector(ConnectorSettings settings, PgTypeCatalog types)
    {
        Settings = settings;
        Types = types;
        Statements = new StatementCache(MaxCachedStatements, OnStatementEvicted);
    }

    private const int MaxCachedStatements = 256;

    public ConnectorSettings Settings { get; }

    /// <summary>The data source's types: built-in ones plus those loaded from this database's pg_type.</summary>
    public PgTypeCatalog Types { get; }

    public PgTypeRegistry TypeRegistry => Types.Registry;

    public ConnectorState State { get; private set; } = ConnectorState.Closed;

    public TransactionStatus TransactionStatus { get; private set; } = TransactionStatus.Idle;

    public BackendKeyData BackendKey { get; private set; }

    /// <summary>The run-time parameters the server reported (server_version, TimeZone, ...).</summary>
    public Dictionary<string, string> ServerParameters { get; } = new(StringComparer.Ordinal);

    public string ServerVersion => ServerParameters.TryGetValue("server_version", out var v) ? v : "";

    /// <summary>Descriptions of the statements this connection has run, so they are not described again.</summary>
    internal StatementCache Statements { get; }

    /// <summary>Receives the NoticeResponses the server sends (raised as PgConnection.Notice).</summary>
    public INoticeSink? NoticeHandler { get; set; }

    internal ReadBuffer ReadBuffer => _readBuffer ?? throw new InvalidOperationException("The connection is not open.");

    internal WriteBuffer WriteBuffer => _writeBuffer ?? throw new InvalidOperationException("The connection is not open.");

    public bool IsBroken => State == ConnectorState.Broken;

    /// <summary>
    /// The next message that is not asynchronous, when it is already buffered; false when I/O is needed
    /// (then call <see cref="ReadMessageAsync"/>). Never blocks, never allocates.
    /// </summary>
    internal bool TryReadBufferedMessage(out byte code)
    {
        var buffer = ReadBuffer;
        while (buffer.TryReadBufferedMessage())
        {
            code = buffer.MessageCode;
            if (!HandleAsynchronousMessage(code))
            {
                if (code == BackendMessageCode.ReadyForQuery) _syncsInFlight--;
                return true;
            }
        }
        code = 0;
        return false;
    }

    /// <summary>Handles a message the server may send at any time; false for any other message.</summary>
    private bool HandleAsynchronousMessage(byte code)
    {
        switch (code)
        {
            case BackendMessageCode.NoticeResponse:
                HandleNotice();
                return true;
            case BackendMessageCode.ParameterStatus:
                var status = Guard(static body => ParameterStatus.Parse(body));
                ServerParameters[status.Name] = status.Value;
                return true;
            case BackendMessageCode.NotificationResponse:
                // LISTEN/NOTIFY is not surfaced yet; the message is checked and dropped.
                Guard(static body => NotificationResponse.Parse(body));
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// Reads the next message that is not asynchronous: NoticeResponse and ParameterStatus can arrive at any time
    /// and are handled here. A failure of the transport or of framing breaks the connector.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    internal async ValueTask<byte> ReadMessageAsync(bool async, CancellationToken cancellationToken)
    {
        // The answer to the reset sent when the connection went back to the pool comes first. It is read in this loop,
        // not by a helper, so that waiting for it suspends no extra state machines.
        bool readingReset = _resetPending;
        _resetPending = false;
        PgException? resetError = null;
        while (true)
        {
            try
            {
                var task = ReadBuffer.ReadMessageAsync(async, cancellationToken);
                if (!task.IsCompletedSuccessfully)
                    await task.ConfigureAwait(false);
            }
            catch (Exception e) when (e is PgException or OperationCanceledException or ObjectDisposedException)
            {
                Break();
                if (_cancelAbandoned) throw AbandonedCancel(e);
                if (e is ObjectDisposedException)
                    throw new PgConnectionException("The connection was closed while a command was reading from it.", e);
                throw;
            }
            byte code = ReadBuffer.MessageCode;
            if (HandleAsynchronousMessage(code)) continue;
            if (code == BackendMessageCode.ReadyForQuery) _syncsInFlight--;
            if (readingReset)
            {
                bool complete = ReadResetMessage(code, ref resetError);
                // A FATAL error in the reset has closed the connection: nothing more can be read.
                if (resetError is not null && (complete || IsBroken)) throw ResetFailed(resetError);
                readingReset = !complete;
                continue;
            }
            return code;
        }
    }

    private void HandleNotice()
    {
        var fields = Guard(static body => ErrorOrNoticeFields.Parse(body, BackendMessageCode.NoticeResponse));
        try
        {
            NoticeHandler?.OnNotice(new PgNotice(fields));
        }
        catch
        {
            // A user's notice handler that throws must not corrupt the protocol state.
        }
    }

    /// <summary>Parses the current message; a malformed one breaks the connector.</summary>
    internal T Guard<T>(ReadOnlySpanFunc<T> parse)
    {
        try
        {
            return parse(ReadBuffer.MessageBody);
        }
        catch (PgProtocolException)
        {
            Break();
            throw;
        }
    }

    internal delegate T ReadOnlySpanFunc<out T>(ReadOnlySpan<byte> body);

    /// <summary>The ErrorResponse just read, as an exception. A FATAL one means the server is closing the session.</summary>
    internal PgException ReadError()
    {
        var error = new PgServerException(Guard(static body => ErrorOrNoticeFields.Parse(body, BackendMessageCode.ErrorResponse)));
        if (error.IsFatal) Break();
        return TranslateCancel(error);
    }

    internal PgProtocolException Unexpected(byte code, string expected)
    {
        Break();
        return new PgProtocolException(
            $"The server sent a '{(char)code}' message where {expected} was expected; the connection was closed.");
    }

    internal void SetTransactionStatus(TransactionStatus status) => TransactionStatus = status;

    /// <summary>The command's ReadyForQuery arrived: the connection is idle again and its cancellation disarmed.</summary>
    internal void FinishCommand()
    {
        DisarmCancellation();
        if (State == ConnectorState.Executing) State = ConnectorState.Ready;
    }

    /// <summary>Marks the connector unusable and closes the socket: nothing that follows on it can be trusted.</summary>
    internal void Break()
    {
        if (State == ConnectorState.Closed) return;
        State = ConnectorState.Broken;
        DisarmCancellation();
        CloseTransport();
    }

    private void CloseTransport()
    {
        _commandTimer?.Dispose();
        _commandTimer = null;
        _timerArmed = 0;
        try { _stream?.Dispose(); } catch { /* already failing; nothing more to do */ }
        _stream = null;
        _socket = null;
        _readBuffer?.Dispose();
        _writeBuffer?.Dispose();
        _readBuffer = null;
        _writeBuffer = null;
    }

    // Sync and Query each earn one ReadyForQuery: counting them tells whether, after a failure, the connection
    // is still in step (every ReadyForQuery read) or not (a reply is still on its way: the connection must go).
    private int _syncsBuffered;
    private int _syncsInFlight;

    /// <summary>Writes Sync, which ends the cycle and earns a ReadyForQuery.</summary>
    internal void WriteSync()
    {
        Protocol.Frontend.Sync.Write(WriteBuffer);
        _syncsBuffered++;
    }

    /// <summary>Writes a simple Query, which also ends in ReadyForQuery.</summary>
    internal void WriteSimpleQuery(string sql)
    {
        Protocol.Frontend.Query.Write(WriteBuffer, sql);
        _syncsBuffered++;
    }

    /// <summary>
    /// After a command failed: drop whatever was not sent, and keep the connection only if every ReadyForQuery
    /// it was owed has been read; otherwise a late reply would be taken for the next command's, so close it.
    /// </summary>
    internal void RecoverAfterFailure()
    {
        _writeBuffer?.Clear();
        _syncsBuffered = 0;
        RestoreUnsentReset();
        if (State != ConnectorState.Executing) return;
        if (_syncsInFlight == 0) FinishCommand();
        else Break();
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    internal async ValueTask FlushAsync(bool async, CancellationToken cancellationToken)
    {
        try
        {
            if (async) await WriteBuffer.FlushAsync(_stream!, cancellationToken).ConfigureAwait(false);
            else WriteBuffer.Flush(_stream!);
            _syncsInFlight += _syncsBuffered;
            _syncsBuffered = 0;
            _resetUnflushed = false;
            WriteBuffer.ShrinkIfLarge();
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or OperationCanceledException)
        {
            Break();
            if (e is OperationCanceledException) throw;
            throw new PgConnectionException($"Sending to the server at {Host} failed: {e.Message}. The connection was closed.", e);
        }
    }

    /// <summary>Sends Terminate and closes the socket.</summary>
    public async ValueTask CloseAsync(bool async)
    {
        if (State is ConnectorState.Ready && _writeBuffer is not null && _stream is not null)
        {
            try
            {
                _writeBuffer.Clear();
                Protocol.Frontend.Terminate.Write(_writeBuffer);
                await FlushAsync(async, CancellationToken.None).ConfigureAwait(false);
            }
            catch (PgException)
            {
                // The server is gone already; closing is all that is left to do.
            }
        }
        CloseTransport();
        State = ConnectorState.Closed;
    }

    public ValueTask DisposeAsync() => CloseAsync(async: true);
}
