using System.Runtime.CompilerServices;
using PgWire.Protocol;
using PgWire.Protocol.Backend;
using PgWire.Protocol.Frontend;

namespace PgWire.Connection;

/// <summary>
/// The connection's COPY in progress (PostgreSQL documentation, "Message Flow", COPY Operations), over the simple Query
/// protocol as one engine item (<see cref="ReplyKind.Copy"/>): starting it, framing the caller's data as CopyData,
/// completing it (CopyDone) or aborting it (CopyFail, or a CancelRequest for COPY TO STDOUT), and reading the server's
/// CopyData. While it runs the connector is Executing, so no other command can start. Command Timeout bounds each wait
/// on the server (the reply to the COPY, each send, each receive, the end), not the time the caller spends between rows.
/// </summary>
internal sealed class CopyOperation(PgConnector connector)
{
    private int _timeoutSeconds;
    private bool _copyDataOpen;

    private bool _active;

    /// <summary>A COPY has started and has not yet reached its ReadyForQuery (nor broken the connection).</summary>
    public bool Active
    {
        get => _active && connector.State == ConnectorState.Executing;
        private set => _active = value;
    }

    /// <summary>The server is in COPY FROM STDIN (else COPY TO STDOUT).</summary>
    public bool IsImport { get; private set; }

    /// <summary>The statement sent is a COPY FROM STDIN, which commits only once its CopyDone arrives.</summary>
    private bool _fromStdin;

    /// <summary>The CopyDone that ends an import has been sent.</summary>
    private bool _doneSent;

    /// <summary>
    /// Whether the server may have committed this COPY (for the driver to say so when the answer is lost): an import
    /// only once its CopyDone was sent; an export's statement may have run.
    /// </summary>
    public bool MayHaveCommitted => !_fromStdin || _doneSent;

    public CopyResponse Response { get; private set; }

    /// <summary>The rows the COPY's CommandComplete reported.</summary>
    public ulong RowsCopied { get; private set; }

    private WriteBuffer Buffer => connector.WriteBuffer;

    /// <summary>
    /// How long each wait on the server may take from now on, in whole seconds, 0 for no limit: Command Timeout until the
    /// importer's or exporter's Timeout changes it.
    /// </summary>
    public int TimeoutSeconds
    {
        get => _timeoutSeconds;
        set
        {
            _timeoutSeconds = value;
            connector.Cancellation.ChangeTimeoutSeconds(value);
        }
    }

    /// <summary>
    /// <see cref="TimeoutSeconds"/> as the COPY APIs give it (Npgsql's Timeout): Timeout.InfiniteTimeSpan for no limit;
    /// set, TimeSpan.Zero is no limit too, a part of a second counts as a second, anything else negative is refused.
    /// </summary>
    public TimeSpan Timeout
    {
        get => _timeoutSeconds == 0 ? System.Threading.Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(_timeoutSeconds);
        set
        {
            if (value == TimeSpan.Zero || value == System.Threading.Timeout.InfiniteTimeSpan)
            {
                TimeoutSeconds = 0;
                return;
            }
            if (value < TimeSpan.Zero || value.TotalSeconds > int.MaxValue)
                throw new ArgumentOutOfRangeException(nameof(value), value,
                    "A COPY's timeout is positive, or TimeSpan.Zero or Timeout.InfiniteTimeSpan for no limit.");
            TimeoutSeconds = (int)Math.Ceiling(value.TotalSeconds);
        }
    }

    /// <summary>
    /// Sends <paramref name="sql"/> and reads up to CopyInResponse or CopyOutResponse. A statement that is no COPY to or
    /// from the client is read to its end and refused with the connection usable.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<CopyResponse> StartAsync(string sql, bool async, CancellationToken cancellationToken)
    {
        connector.CheckReady();
        // What the server sent while the connection was idle (a FATAL fails the COPY unsent).
        connector.RouteIdleMessages();
        await connector.Cancellation.WaitForCancelDeliveryAsync(async).ConfigureAwait(false);
        _timeoutSeconds = connector.Settings.CommandTimeoutSeconds;
        connector.Cancellation.ArmCancellation(cancellationToken, _timeoutSeconds);
        connector.State = ConnectorState.Executing;
        connector.Session.Used = true;
        RowsCopied = 0;
        _copyDataOpen = false;
        _fromStdin = Sql.CopyStatement.IsFromStdin(sql);
        _doneSent = false;
        try
        {
            connector.Session.WriteOwedReset(Buffer, connector.Engine, connector.Prepared, beforeExtendedQuery: false);
            Query.Write(Buffer, sql);
            connector.Engine.Expect(ReplyKind.Copy);
            await connector.FlushAsync(async, CancellationToken.None).ConfigureAwait(false);
            while (true)
            {
                byte code = await connector.Engine.ReadAsync(async, CancellationToken.None).ConfigureAwait(false);
                switch (code)
                {
                    case BackendMessageCode.CopyInResponse:
                    case BackendMessageCode.CopyOutResponse:
                        Response = code == BackendMessageCode.CopyInResponse
                            ? connector.Guard(static body => CopyResponse.Parse(body, BackendMessageCode.CopyInResponse))
                            : connector.Guard(static body => CopyResponse.Parse(body, BackendMessageCode.CopyOutResponse));
                        IsImport = code == BackendMessageCode.CopyInResponse;
                        Active = true;
                        // From here each wait arms the timeout and its own token.
                        connector.Cancellation.DisarmCancellation();
                        return Response;
                    case BackendMessageCode.CopyBothResponse:
                        connector.Break();
                        throw new PgProtocolException("The server started a COPY BOTH (streaming replication), which PgWire does not support; the connection was closed.");
                    case BackendMessageCode.ReadyForQuery:
                        throw new PgException(
                            "The command is not a COPY ... FROM STDIN or COPY ... TO STDOUT, so it moved no data through the COPY API; " +
                            "it ran to its end and the connection is still usable.");
                    default:
                        // The rows or CommandComplete of a statement that is not a COPY: read to its end.
                        continue;
                }
            }
        }
        catch (Exception) when (connector.State == ConnectorState.Executing)
        {
            connector.RecoverAfterFailure();
            throw;
        }
    }

    // ---- COPY FROM STDIN ----

    /// <summary>Begins the CopyData message that the caller's bytes go into (they are framed into it as written).</summary>
    public void OpenCopyData()
    {
        if (_copyDataOpen) return;
        CopyMessages.StartCopyData(Buffer);
        _copyDataOpen = true;
    }

    /// <summary>The write buffer holding the open CopyData message.</summary>
    public WriteBuffer Data => Buffer;

    /// <summary>
    /// Whether <paramref name="bytes"/> more would take the open CopyData past the buffer's size: then it is sent
    /// first, so a COPY of any size holds one buffer of memory (a single larger value gets a message of its own).
    /// </summary>
    public bool NeedsFlush(int bytes) => Buffer.Length + bytes > Buffer.Capacity && Buffer.Length > 5;

    /// <summary>Ends the open CopyData, sends what is buffered and opens the next one.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask SendAsync(bool async, CancellationToken cancellationToken)
    {
        if (_copyDataOpen)
        {
            Buffer.EndMessage();
            _copyDataOpen = false;
        }
        await SendBufferedAsync(async, cancellationToken).ConfigureAwait(false);
        Buffer.ShrinkIfLarge();
        if (connector.Cancellation.CancelRequested)
            throw await FailAsync("the COPY was cancelled", async).ConfigureAwait(false);
        OpenCopyData();
    }

    /// <summary>Flushes with Command Timeout armed and the caller's token sending a CancelRequest (never abandoning a write half-way).</summary>
    private async ValueTask SendBufferedAsync(bool async, CancellationToken cancellationToken)
    {
        var registration = connector.Cancellation.RegisterCancel(cancellationToken);
        connector.Cancellation.ArmDeadline(_timeoutSeconds);
        try
        {
            await connector.FlushAsync(async, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            connector.Cancellation.PauseDeadline();
            registration.Dispose();
        }
    }

    /// <summary>Ends the data with CopyDone and reads the server's answer: the rows copied, or the error that rolled the COPY back.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ulong> CompleteAsync(bool async, CancellationToken cancellationToken)
    {
        try
        {
            if (_copyDataOpen)
            {
                Buffer.EndMessage();
                _copyDataOpen = false;
            }
            CopyMessages.WriteCopyDone(Buffer);
            await SendBufferedAsync(async, cancellationToken).ConfigureAwait(false);
            _doneSent = true;
            await ReadToEndAsync(async, cancellationToken).ConfigureAwait(false);
            return RowsCopied;
        }
        catch (Exception) when (connector.State == ConnectorState.Executing)
        {
            connector.RecoverAfterFailure();
            throw;
        }
        finally
        {
            Active = connector.State == ConnectorState.Executing;
        }
    }

    /// <summary>
    /// Aborts COPY FROM STDIN with CopyFail so that nothing of it is committed, and reads the server's answer (its
    /// error 57014, which is expected). Returns the exception the caller should see when the COPY was stopped by a
    /// CancelRequest (the caller's token, Command Timeout), else a PgException saying the COPY was aborted.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<Exception> FailAsync(string reason, bool async)
    {
        if (!Active || connector.State != ConnectorState.Executing)
        {
            Active = false;
            return new PgException($"The COPY was aborted ({reason}); nothing of it was committed.");
        }
        _copyDataOpen = false;
        Buffer.Clear();
        try
        {
            CopyMessages.WriteCopyFail(Buffer, reason);
            await SendBufferedAsync(async, CancellationToken.None).ConfigureAwait(false);
            await ReadToEndAsync(async, CancellationToken.None).ConfigureAwait(false);
            return new PgException($"The COPY was aborted ({reason}), but the server reported it complete.");
        }
        catch (Exception e) when (e is PgServerException { SqlState: PgErrorCodes.QueryCanceled } && connector.State == ConnectorState.Ready)
        {
            return new PgException($"The COPY was aborted ({reason}); nothing of it was committed and the connection is still usable.", e);
        }
        catch (Exception e) when (e is PgException or OperationCanceledException)
        {
            // The server's own error (a bad value it met before the CopyFail), a cancel's, or a broken connection.
            if (connector.State == ConnectorState.Executing) connector.RecoverAfterFailure();
            return e;
        }
        finally
        {
            Active = false;
        }
    }

    /// <summary>
    /// The engine met CopyInResponse under a plain command: answers CopyFail (and Sync, see the engine) at once.
    /// Nothing else is in the write buffer while a reply is read.
    /// </summary>
    public void RefuseCopyIn(bool sync)
    {
        CopyMessages.WriteCopyFail(Buffer, "COPY FROM STDIN through a plain command; PgWire sends COPY data through its COPY API");
        if (sync) Sync.Write(Buffer);
        var flush = connector.FlushAsync(async: false, CancellationToken.None);
        if (!flush.IsCompletedSuccessfully) flush.AsTask().GetAwaiter().GetResult();
    }

    // ---- COPY TO STDOUT ----

    /// <summary>The CopyData read last.</summary>
    public ReadOnlySpan<byte> MessageBody => connector.ReadBuffer.MessageBody;

    /// <inheritdoc cref="MessageBody"/>
    public ArraySegment<byte> MessageSegment => connector.ReadBuffer.MessageSegment;

    /// <summary>COPY data the server sent that breaks its own format: nothing after it can be trusted.</summary>
    public PgProtocolException Violation(string what)
    {
        connector.Break();
        return new PgProtocolException($"The server sent COPY data with {what}; the connection was closed.");
    }

    /// <summary>
    /// Reads the next CopyData of COPY TO STDOUT (its bytes then are <see cref="ReadBuffer.MessageBody"/> until the next
    /// read); false at the end of the data, once the COPY's CommandComplete and ReadyForQuery have been read.
    /// </summary>
    public ValueTask<bool> ReadCopyDataAsync(bool async, CancellationToken cancellationToken)
    {
        if (!Active) return new ValueTask<bool>(false);
        try
        {
            if (connector.Engine.TryReadBuffered(out byte code) && code == BackendMessageCode.CopyData)
                return new ValueTask<bool>(true);
            if (code != 0 && Take(code)) return new ValueTask<bool>(false);
        }
        catch (Exception)
        {
            ReadFailed();
            throw;
        }
        return ReadCopyDataSlowAsync(async, cancellationToken);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> ReadCopyDataSlowAsync(bool async, CancellationToken cancellationToken)
    {
        var registration = connector.Cancellation.RegisterCancel(cancellationToken);
        try
        {
            while (true)
            {
                connector.Cancellation.ArmDeadline(_timeoutSeconds);
                byte code = await connector.Engine.ReadAsync(async, CancellationToken.None).ConfigureAwait(false);
                connector.Cancellation.PauseDeadline();
                if (code == BackendMessageCode.CopyData) return true;
                if (Take(code)) return false;
            }
        }
        catch (Exception)
        {
            ReadFailed();
            throw;
        }
        finally
        {
            connector.Cancellation.PauseDeadline();
            registration.Dispose();
        }
    }

    /// <summary>
    /// A read of the COPY's data failed: the COPY is over. The server's error was read up to its ReadyForQuery (the
    /// connection is in step and stays); anything else broke the connection.
    /// </summary>
    private void ReadFailed()
    {
        if (connector.State == ConnectorState.Executing) connector.RecoverAfterFailure();
        Active = false;
    }

    /// <summary>A message of the COPY other than CopyData: true at its ReadyForQuery, which ends it.</summary>
    private bool Take(byte code)
    {
        switch (code)
        {
            case BackendMessageCode.CommandComplete:
                long rows = connector.Guard(static body => CommandComplete.ParseRowCount(body));
                if (rows >= 0) RowsCopied = (ulong)rows;
                return false;
            case BackendMessageCode.ReadyForQuery:
                Active = false;
                return true;
            case BackendMessageCode.CopyData when IsImport:
                connector.Break();
                throw new PgProtocolException("The server sent CopyData during COPY FROM STDIN; the connection was closed.");
            case BackendMessageCode.CopyBothResponse:
            case BackendMessageCode.CopyInResponse:
            case BackendMessageCode.CopyOutResponse:
                // A second COPY in the same text: refuse it like a COPY through a plain command would be.
                connector.Break();
                throw new PgProtocolException("The COPY command text started a second COPY; run one COPY per call. The connection was closed.");
            default:
                // CopyDone, and the results of statements after the COPY in the same text.
                return false;
        }
    }

    /// <summary>Reads the rest of the COPY (its remaining data dropped) up to its ReadyForQuery, within Command Timeout.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask ReadToEndAsync(bool async, CancellationToken cancellationToken)
    {
        while (await ReadCopyDataAsync(async, cancellationToken).ConfigureAwait(false)) { }
    }

    /// <summary>
    /// Stops COPY TO STDOUT before its end: a CancelRequest asks the server to stop, and what it had sent is read and
    /// dropped up to ReadyForQuery (the Cancellation Timeout bounds a server that does not stop). The server's 57014 is
    /// the expected answer; the connection stays usable.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask CancelExportAsync(bool async)
    {
        if (!Active) return;
        connector.Cancellation.CancelFromCaller();
        try
        {
            await ReadToEndAsync(async, CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (connector.State == ConnectorState.Ready)
        {
            // The server stopped the COPY as asked.
        }
    }
}
