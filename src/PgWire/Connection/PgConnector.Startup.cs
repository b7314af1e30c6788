using System.Text;
using PgWire.Auth;
using PgWire.Protocol;
using PgWire.Protocol.Backend;
using PgWire.Protocol.Frontend;

namespace PgWire.Connection;

internal sealed partial class PgConnector
{
    /// <summary>Connects, sends the StartupMessage, authenticates and waits for the first ReadyForQuery.</summary>
    public async ValueTask OpenAsync(bool async, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            throw new PgOperationCanceledException("Opening the connection was cancelled before it started.");
        State = ConnectorState.Connecting;
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        int timeout = Settings.ConnectTimeoutSeconds;
        if (timeout > 0) timeoutSource.CancelAfter(TimeSpan.FromSeconds(timeout));
        try
        {
            await ConnectTransportAsync(async, cancellationToken).ConfigureAwait(false);
            if (!async && timeout > 0 && _stream is System.Net.Sockets.NetworkStream ns)
                ns.Socket.ReceiveTimeout = timeout * 1000;

            StartupMessage.Write(WriteBuffer, StartupParameters());
            _syncsBuffered++; // startup ends in ReadyForQuery too
            await FlushAsync(async, timeoutSource.Token).ConfigureAwait(false);
            await AuthenticateAsync(async, timeoutSource.Token).ConfigureAwait(false);
            await ReadUntilReadyAsync(async, timeoutSource.Token).ConfigureAwait(false);

            if (!async && _stream is System.Net.Sockets.NetworkStream ns2)
                ns2.Socket.ReceiveTimeout = 0;
            State = ConnectorState.Ready;
        }
        catch (Exception e)
        {
            CloseTransport();
            State = ConnectorState.Closed;
            if (cancellationToken.IsCancellationRequested && e is not PgServerException)
                throw new PgOperationCanceledException($"Opening the connection to {Settings.Endpoint} was cancelled.", e);
            if (e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
                throw new PgConnectionException(
                    $"Connecting to the server at {Settings.Endpoint} did not finish within the connect timeout of {timeout} s.", e);
            if (e is PgConnectionException { InnerException: IOException { InnerException: System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.TimedOut } } })
                throw new PgConnectionException(
                    $"Connecting to the server at {Settings.Endpoint} did not finish within the connect timeout of {timeout} s.", e);
            throw;
        }
    }

    private IEnumerable<KeyValuePair<string, string>> StartupParameters()
    {
        yield return new("user", Settings.Username);
        yield return new("database", Settings.Database);
        yield return new("client_encoding", "UTF8");
        yield return new("DateStyle", "ISO, MDY");
        if (!string.IsNullOrEmpty(Settings.ApplicationName))
            yield return new("application_name", Settings.ApplicationName);
    }

    /// <summary>
    /// Answers the server's authentication requests until AuthenticationOk. Whatever the method, the client
    /// refuses to go on when the server skips a step it must take (SCRAM's final signature).
    /// </summary>
    private async ValueTask AuthenticateAsync(bool async, CancellationToken cancellationToken)
    {
        ScramSha256Client? scram = null;
        bool scramVerified = false;
        while (true)
        {
            byte code = await ReadMessageAsync(async, cancellationToken).ConfigureAwait(false);
            switch (code)
            {
                case BackendMessageCode.Authentication:
                    break;
                case BackendMessageCode.ErrorResponse:
                    throw ReadError();
                case BackendMessageCode.NegotiateProtocolVersion:
                    // Only sent when we ask for options or a newer minor version; we ask for neither.
                    continue;
                default:
                    throw Unexpected(code, "an authentication request");
            }

            var request = Guard(static body => AuthenticationRequest.Parse(body).Type);
            switch (request)
            {
                case AuthenticationRequestType.Ok:
                    if (scram is not null && !scramVerified)
                        throw AuthFailed("The server ended SCRAM authentication without proving it knows the password " +
                                         "(no server signature was sent); refusing the connection.");
                    return;

                case AuthenticationRequestType.CleartextPassword:
                    PasswordMessage.Write(WriteBuffer, Encoding.UTF8.GetBytes(RequirePassword("password")));
                    break;

                case AuthenticationRequestType.MD5Password:
                {
                    byte[] salt = ReadBuffer.MessageBody.Slice(4, 4).ToArray();
                    PasswordMessage.Write(WriteBuffer, Md5Password.Compute(Settings.Username, RequirePassword("md5"), salt));
                    break;
                }

                case AuthenticationRequestType.SASL:
                {
                    if (scram is not null) throw Unexpected(code, "SASLContinue");
                    var mechanisms = Guard(static body => AuthenticationRequest.ParseMechanisms(body[4..]));
                    string mechanism = SaslMechanisms.Choose(mechanisms, channelBindingAvailable: false)
                        ?? throw AuthFailed($"The server offered only the SASL mechanism(s) {string.Join(", ", mechanisms)}, " +
                                            "none of which PgWire supports (it supports SCRAM-SHA-256).");
                    scram = new ScramSha256Client(RequirePassword("scram-sha-256"));
                    SASLInitialResponse.Write(WriteBuffer, mechanism, scram.CreateClientFirstMessage());
                    break;
                }

                case AuthenticationRequestType.SASLContinue:
                    if (scram is null) throw Unexpected(code, "an authentication request (SASLContinue before SASL)");
                    try
                    {
                        SASLResponse.Write(WriteBuffer, scram.HandleServerFirstMessage(ReadBuffer.MessageBody[4..]));
                    }
                    catch (Exception e) when (e is PgAuthenticationException or InvalidOperationException)
                    {
                        Break();
                        if (e is PgAuthenticationException) throw;
                        throw AuthFailed($"The server's SCRAM exchange was out of order: {e.Message}");
                    }
                    break;

                case AuthenticationRequestType.SASLFinal:
                    if (scram is null) throw Unexpected(code, "an authentication request (SASLFinal before SASL)");
                    try
                    {
                        scram.VerifyServerFinalMessage(ReadBuffer.MessageBody[4..]);
                    }
                    catch (Exception e) when (e is PgAuthenticationException or InvalidOperationException)
                    {
                        Break();
                        if (e is PgAuthenticationException) throw;
                        throw AuthFailed($"The server's SCRAM exchange was out of order: {e.Message}");
                    }
                    scramVerified = true;
                    continue;

                default:
                    throw AuthFailed($"The server asked for the {request} authentication method, which PgWire does not support " +
                                     "(it supports SCRAM-SHA-256, MD5 and cleartext passwords). Change the method in pg_hba.conf.");
            }
            await FlushAsync(async, cancellationToken).ConfigureAwait(false);
        }
    }

    private string RequirePassword(string method) =>
        Settings.Password ?? throw AuthFailed(
            $"The server asked for a password ({method} authentication) for user \"{Settings.Username}\", " +
            "but the connection string has none. Add Password=... to it.");

    private PgAuthenticationException AuthFailed(string message)
    {
        Break();
        return new PgAuthenticationException(message);
    }

    /// <summary>After authentication: BackendKeyData and ParameterStatus until ReadyForQuery.</summary>
    private async ValueTask ReadUntilReadyAsync(bool async, CancellationToken cancellationToken)
    {
        while (true)
        {
            byte code = await ReadMessageAsync(async, cancellationToken).ConfigureAwait(false);
            switch (code)
            {
                case BackendMessageCode.BackendKeyData:
                    BackendKey = Guard(static body => BackendKeyData.Parse(body));
                    break;
                case BackendMessageCode.ReadyForQuery:
                    TransactionStatus = Guard(static body => ReadyForQuery.Parse(body));
                    return;
                case BackendMessageCode.ErrorResponse:
                    throw ReadError();
                default:
                    throw Unexpected(code, "BackendKeyData or ReadyForQuery");
            }
        }
    }
}
