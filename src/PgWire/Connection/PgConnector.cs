using System.Runtime.CompilerServices;
using PgWire.Protocol.Frontend;
using System.Data;
using PgWire.Protocol;
using PgWire.Protocol.Backend;
using PgWire.Types;
using PgWire.Types.Dynamic;

namespace PgWire.Connection;

/// <summary>
/// One physical connection to the server, coordinating the objects that each own a part of its state: the transport
/// (socket, TLS, buffers), the <see cref="ProtocolEngine"/> (what was written and which reply each awaits), the
/// <see cref="ServerSession"/> (what the server reported, the reset owed), <see cref="CommandCancellation"/> and the
/// <see cref="PreparedStatements"/>. The pool's upkeep is <see cref="PoolUpkeep"/>, the catalog load and
/// the driver's own commands <see cref="InternalCommands"/>. Not thread-safe: one user at a time.
/// </summary>
internal sealed class PgConnector : IAsyncDisposable
{
    public PgConnector(ConnectorSettings settings, PgTypeCatalog types)
    {
        Settings = settings;
        Types = types;
        Transport = new Transport(settings);
        Engine = new ProtocolEngine(this);
        Cancellation = new CommandCancellation(this);
        Prepared = new PreparedStatements(settings, Session.PreparedStatementsForgotten);
        _authenticator = new Authenticator(this);
        _statements = new StatementWriter(this);
        _opener = new ConnectionOpener(this);
        Internal = new InternalCommands(this);
        Notifications = new NotificationReceiver(this);
        Pool = new PoolUpkeep(this);
    }

    public ConnectorSettings Settings { get; }

    /// <summary>What the pool keeps of this connector (see <see cref="PoolUpkeep"/>).</summary>
    public PoolUpkeep Pool { get; }

    /// <summary>The data source's types: built-in ones plus those loaded from this database's pg_type.</summary>
    public PgTypeCatalog Types { get; }

    public PgTypeRegistry TypeRegistry => Types.Registry;

    public Transport Transport { get; }

    public ProtocolEngine Engine { get; }

    public ServerSession Session { get; } = new();

    public CommandCancellation Cancellation { get; }

    public PreparedStatements Prepared { get; }

    private readonly Authenticator _authenticator;

    internal Authenticator Authenticator => _authenticator;

    private readonly ConnectionOpener _opener;

    internal InternalCommands Internal { get; }

    private readonly StatementWriter _statements;

    internal StatementWriter StatementWriter => _statements;

    public ConnectorState State { get; internal set; } = ConnectorState.Closed;

    public TransactionStatus TransactionStatus => Session.TransactionStatus;

    public BackendKeyData BackendKey => Session.BackendKey;

    public Dictionary<string, string> ServerParameters => Session.ServerParameters;

    public string ServerVersion => Session.ServerVersion;

    /// <summary>Descriptions of the statements this connection has run, so they are not described again.</summary>
    internal StatementCache Statements => Prepared.Statements;

    /// <summary>Delivers the NotificationResponses the server sends (raised as PgConnection.Notification), and waits for them.</summary>
    public NotificationReceiver Notifications { get; }

    /// <summary>Receives the NoticeResponses the server sends (raised as PgConnection.Notice).</summary>
    public INoticeSink? NoticeHandler { get; set; }

    public PgHost Host => Transport.Host;

    public bool IsSecure => Transport.IsSecure;

    internal System.Net.Sockets.Socket? Socket => Transport.Socket;

    internal ReadBuffer ReadBuffer => Transport.ReadBuffer;

    internal WriteBuffer WriteBuffer => Transport.WriteBuffer;

    public bool IsBroken => State == ConnectorState.Broken;

    /// <summary>Handles a message the server may send at any time (NoticeResponse, ParameterStatus, NotificationResponse).</summary>
    internal void HandleAsynchronousMessage(byte code)
    {
        switch (code)
        {
            case BackendMessageCode.NoticeResponse:
                var fields = Guard(static body => ErrorOrNoticeFields.Parse(body, BackendMessageCode.NoticeResponse));
                if (!Settings.IncludeErrorDetail) fields.WithholdDetail();
                try
                {
                    NoticeHandler?.OnNotice(new PgNotice(fields));
                }
                catch
                {
                    // A user's notice handler that throws must not corrupt the protocol state.
                }
                break;
            case BackendMessageCode.ParameterStatus:
                var status = Guard(static body => ParameterStatus.Parse(body));
                ServerParameters[status.Name] = status.Value;
                break;
            default:
                Notifications.Receive(Guard(static body => NotificationResponse.Parse(body)));
                break;
        }
    }

    /// <summary>
    /// Before a command is written: routes what the server sent while the connection was idle (see
    /// <see cref="ProtocolEngine.RouteArrived"/>). A session the server ended meanwhile fails the command unsent.
    /// </summary>
    private long _idleSince;

    private static readonly long IdleCheckTicks = System.Diagnostics.Stopwatch.Frequency / 1000; // 1 ms

    internal void RouteIdleMessages()
    {
        // Back to back (a command right after the last one ended) the socket is not asked: a session the server ends in
        // those microseconds fails the command with the server's error as its reply instead, and saving the system call
        // matters on the hot path. What is already buffered is always routed.
        if (System.Diagnostics.Stopwatch.GetTimestamp() - _idleSince < IdleCheckTicks)
        {
            if (ReadBuffer.BufferedBytes == 0) return;
        }
        try
        {
            Engine.RouteArrived();
        }
        catch (PgException e) when (IsBroken)
        {
            throw new PgConnectionException(
                $"The server ended the session while the connection was idle ({e.Message}); the command was not sent, and the connection was closed.", e);
        }
    }

    /// <summary>A read from the transport failed: the connection is broken; the exception to throw says why.</summary>
    internal Exception ReadFailed(Exception e)
    {
        string? doubt = OutcomeUnknown();
        Break();
        Exception failure = Cancellation.Abandoned ? Cancellation.AbandonedCancel(e)
            : e is ObjectDisposedException or InvalidOperationException ? new PgConnectionException("The connection was closed while a command was reading from it.", e)
            : e;
        return doubt is null ? failure : Noting(failure, doubt);
    }

    /// <summary>
    /// What the caller must know when the connection is lost now, with a statement sent whose answer was not read (null
    /// when there is none). Asked before the connection breaks, which forgets what was sent.
    /// </summary>
    private string? OutcomeUnknown() => !Engine.OutcomeInDoubt ? null : Session.TransactionStatus == TransactionStatus.Idle
        ? "The statement was sent outside a transaction block, so the server may have run and committed it before the connection was lost: check before running it again."
        : "The transaction block it was sent in is lost (the server rolls back an open transaction when its session ends), unless the statement ended that block itself: whether a COMMIT sent then took effect is unknown.";

    /// <summary>The same failure, its message followed by <paramref name="note"/> (the exception types callers catch are kept).</summary>
    private static Exception Noting(Exception failure, string note)
    {
        string message = failure.Message + " " + note;
        if (failure.GetType() == typeof(PgTimeoutException)) return new PgTimeoutException(message, failure.InnerException);
        if (failure.GetType() == typeof(PgConnectionException)) return new PgConnectionException(message, failure.InnerException);
        if (failure.GetType() == typeof(PgProtocolException)) return new PgProtocolException(message, failure.InnerException);
        if (failure.GetType() == typeof(OperationCanceledException))
            return new OperationCanceledException(message, failure.InnerException, ((OperationCanceledException)failure).CancellationToken);
        return failure;
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

    /// <summary>
    /// The ErrorResponse just read, as an exception (the answer to our own cancel is an OperationCanceledException or a
    /// PgTimeoutException). A FATAL one means the server is closing the session.
    /// </summary>
    internal Exception ReadError()
    {
        var fields = Guard(static body => ErrorOrNoticeFields.Parse(body, BackendMessageCode.ErrorResponse));
        if (!Settings.IncludeErrorDetail) fields.WithholdDetail();
        var error = new PgServerException(fields);
        if (error.IsFatal) Break();
        return Cancellation.TranslateCancel(error);
    }

    internal PgProtocolException Unexpected(byte code, string expected)
    {
        Break();
        return new PgProtocolException(
            $"The server sent a '{(char)code}' message where {expected} was expected; the connection was closed.");
    }

    /// <summary>The command's last ReadyForQuery arrived: the connection is idle again and its cancellation disarmed.</summary>
    internal void FinishCommand()
    {
        _idleSince = System.Diagnostics.Stopwatch.GetTimestamp();
        Cancellation.DisarmCancellation();
        if (State == ConnectorState.Executing) State = ConnectorState.Ready;
    }

    /// <summary>Marks the connector unusable and closes the socket: nothing that follows on it can be trusted.</summary>
    internal void Break()
    {
        if (State == ConnectorState.Closed) return;
        State = ConnectorState.Broken;
        Cancellation.DisarmCancellation();
        CloseTransport();
    }

    internal void CloseTransport()
    {
        Cancellation.Dispose();
        Transport.Close();
        Engine.Clear();
    }

    /// <summary>
    /// After a command failed: drop whatever was not sent, and keep the connection only if every reply it was owed has
    /// been read; otherwise a late reply would be taken for the next command's, so close it.
    /// </summary>
    internal void RecoverAfterFailure()
    {
        DropUnsent();
        if (State != ConnectorState.Executing) return;
        if (Engine.InStep) FinishCommand();
        else Break();
    }

    /// <summary>Drops what was written and not sent; a reset among it is owed again.</summary>
    private void DropUnsent()
    {
        Transport.ClearWriteBuffer();
        if (Engine.DropUnsent()) Session.RestoreUnsentReset();
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    internal async ValueTask FlushAsync(bool async, CancellationToken cancellationToken)
    {
        try
        {
            await Transport.FlushAsync(async, cancellationToken).ConfigureAwait(false);
            Engine.Sent();
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // What commits (a Sync, a COPY's CopyDone, a simple Query) ends every write, so a write that did not
            // complete committed nothing of its own; an earlier request whose answer was not read is another matter.
            string note = OutcomeUnknown() ?? "Nothing of it was committed: the server did not receive all of it.";
            Break();
            if (e is OperationCanceledException) throw;
            if (Cancellation.Abandoned) throw Noting(Cancellation.AbandonedCancel(e), note);
            throw new PgConnectionException($"Sending to the server at {Host} failed: {e.Message}. The connection was closed. {note}", e);
        }
    }

    /// <summary>Sends Terminate and closes the socket. Never throws: whatever the network did, the connection is closed.</summary>
    public async ValueTask CloseAsync(bool async)
    {
        if (State is ConnectorState.Ready && Transport.IsOpen)
        {
            try
            {
                Transport.ClearWriteBuffer();
                Protocol.Frontend.Terminate.Write(WriteBuffer);
                // Terminate is sent without waiting for anything; a socket that does not take it within a second is dropped.
                using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await Transport.FlushAsync(async, bound.Token).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The server is gone already; closing is all that is left to do.
            }
        }
        CloseTransport();
        State = ConnectorState.Closed;
    }

    public ValueTask DisposeAsync() => CloseAsync(async: true);

    /// <summary>Connects to the first suitable host and starts the session there (see <see cref="ConnectionOpener"/>).</summary>
    public ValueTask OpenAsync(bool async, CancellationToken cancellationToken) => _opener.OpenAsync(async, cancellationToken);

    /// <summary>How the server authenticated this connection: SCRAM-SHA-256-PLUS, SCRAM-SHA-256, MD5, cleartext, cert or trust.</summary>
    public string? AuthenticationMechanism => _authenticator.Mechanism;

    private CopyOperation? _copy;

    /// <summary>The connection's COPY operation, made once (see <see cref="CopyOperation"/>).</summary>
    internal CopyOperation Copy => _copy ??= new CopyOperation(this);

    /// <summary>A COPY holds the connection.</summary>
    internal bool CopyInProgress => _copy is { Active: true };

    private ResultReader? _result;

    /// <summary>The reader of every command of this connection, made once.</summary>
    internal ResultReader Result => _result ??= new ResultReader(this);

    /// <summary>Throws unless the connection is open and idle (no other command or reader in progress).</summary>
    public void CheckReady()
    {
        switch (State)
        {
            case ConnectorState.Ready:
                if (Notifications.Waiting)
                    throw new InvalidOperationException(
                        "The connection is waiting for notifications (Wait or WaitAsync); a connection runs one thing at a time.");
                return;
            case ConnectorState.Executing when CopyInProgress:
                throw new InvalidOperationException(
                    "A COPY is in progress on this connection: complete or dispose its importer, exporter, text reader or " +
                    "writer, or stream first (a connection runs one command at a time).");
            case ConnectorState.Executing:
                throw new InvalidOperationException(
                    "A command is already in progress on this connection (an open data reader?). Dispose the reader " +
                    "first, or use another connection: a connection runs one command at a time.");
            case ConnectorState.Broken:
                throw new PgConnectionException("The connection is broken (an earlier failure closed it); open a new one.");
            default:
                throw new InvalidOperationException("The connection is not open.");
        }
    }

    /// <summary>
    /// Sends a command (one statement or a batch) through the extended protocol in one write ending in one Sync, and
    /// reads up to its first row. A statement this connection has run before is sent with the result formats its
    /// description chose (binary for the types PgWire knows, text for the rest), and only bound once it is prepared. A
    /// statement new to the connection is described in the same write as its execution, its rows then arriving as
    /// text (see <see cref="StatementWriter.CanDescribeWithExecution"/> for when it is described in a round trip of its own first).
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ResultReader> ExecuteAsync(CommandRequest request, bool async, CancellationToken cancellationToken)
    {
        CheckReady();
        RouteIdleMessages();
        await Cancellation.WaitForCancelDeliveryAsync(async).ConfigureAwait(false);
        for (int i = 0; i < request.Count; i++)
        {
            var parameters = request.Parameters(i);
            Bind.CheckParameterCount(parameters.Count);
            // Refuse an oversized Bind before anything at all is sent (the exact check is repeated as Bind is written).
            Protocol.WriteBuffer.CheckMessageLength(parameters.TotalLength + 2L * parameters.Count + 16);
        }
        var result = Result;
        bool describeOnly = request.Prepare || (request.Behavior & CommandBehavior.SchemaOnly) != 0;
        Prepared.FollowCatalog(Types);
        bool anyNew = _statements.LookUp(request);
        bool oneRoundTrip = anyNew && !describeOnly && _statements.CanDescribeWithExecution(request);
        if (oneRoundTrip && !Types.IsLoaded && Settings.LoadTypes)
        {
            // The first statement new to this data source: its types that live in the database (enums, composites,
            // hstore...) are read once, so that a first run decodes them as every later run will.
            await Internal.LoadTypesAsync(async, cancellationToken).ConfigureAwait(false);
            Prepared.FollowCatalog(Types);
            _statements.LookUp(request);
        }
        var callerToken = cancellationToken;
        Cancellation.ArmCancellation(cancellationToken, request.TimeoutSeconds);
        // From here the token acts through a CancelRequest, never by abandoning a socket read half-way.
        cancellationToken = CancellationToken.None;
        State = ConnectorState.Executing;
        Session.Used = true;
        try
        {
            if (describeOnly)
            {
                bool sent = anyNew || (request.Behavior & CommandBehavior.SchemaOnly) != 0;
                if (sent) await _statements.DescribeAsync(request, async, cancellationToken).ConfigureAwait(false);
                _statements.DescribedResult(request, result);
                if (!sent) FinishCommand();
                return result;
            }
            if (anyNew && !oneRoundTrip)
            {
                await _statements.DescribeAsync(request, async, cancellationToken).ConfigureAwait(false);
                if (!Types.IsLoaded && Settings.LoadTypes && _statements.HasUnknownTypes(request))
                {
                    // First need of a type whose OID differs per database (an enum, a composite, hstore...): load them,
                    // then take the statements' columns again with the codecs now known.
                    await Internal.LoadTypesAsync(async, CancellationToken.None).ConfigureAwait(false);
                    Prepared.FollowCatalog(Types);
                    for (int i = 0; i < request.Count; i++)
                        if (request.Statement(i) is { } statement && Statements.Find(statement.Sql, statement.ParameterTypes) is null)
                            Statements.Add(statement.WithRegistry(TypeRegistry));
                    _statements.LookUp(request);
                    // The catalog query dropped the unnamed statement.
                    _statements.Unnamed = null;
                }
                CheckReady();
                Cancellation.ArmCancellation(callerToken, request.TimeoutSeconds);
                State = ConnectorState.Executing;
            }
            Session.WriteOwedReset(WriteBuffer, Engine, Prepared, beforeExtendedQuery: true);
            Prepared.WritePendingCloses(WriteBuffer, Engine);
            _statements.Write(request, result);
            WriteSync();
            await FlushAsync(async, cancellationToken).ConfigureAwait(false);
            await result.ReadHeaderAsync(async, cancellationToken).ConfigureAwait(false);
            return result;
        }
        catch (Exception) when (State == ConnectorState.Executing)
        {
            // Refused while encoding (nothing of it was sent), or the server's error read up to its ReadyForQuery:
            // the connection is in step and stays. Anything else leaves a reply unread: the connection goes.
            RecoverAfterFailure();
            throw;
        }
        finally
        {
            _statements.Unnamed = null;
        }
    }

    /// <summary>Writes Sync, which ends the pipeline and earns a ReadyForQuery.</summary>
    internal void WriteSync()
    {
        Sync.Write(WriteBuffer);
        Engine.Expect(ReplyKind.Sync);
    }

    /// <summary>Runs an internal command to its end (see <see cref="InternalCommands"/>); returns its command tag.</summary>
    public ValueTask<string?> ExecuteInternalAsync(string sql, bool async, CancellationToken cancellationToken) =>
        Internal.ExecuteAsync(sql, async, cancellationToken);
}
