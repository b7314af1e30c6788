using System.Runtime.CompilerServices;
using System.Data;
using PgWire.Protocol.Backend;
using PgWire.Protocol.Frontend;

namespace PgWire.Connection;

internal sealed partial class PgConnector
{
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
        CheckCatalogVersion();
        bool anyNew = _statements.LookUp(request);
        bool oneRoundTrip = anyNew && !describeOnly && _statements.CanDescribeWithExecution(request);
        if (oneRoundTrip && !Types.IsLoaded && Settings.LoadTypes)
        {
            // The first statement new to this data source: its types that live in the database (enums, composites,
            // hstore...) are read once, so that a first run decodes them as every later run will.
            await LoadTypesAsync(async, cancellationToken).ConfigureAwait(false);
            CheckCatalogVersion();
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
                    await LoadTypesAsync(async, CancellationToken.None).ConfigureAwait(false);
                    CheckCatalogVersion();
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
