using System.Text;
using PgWire.Auth;
using PgWire.Protocol;
using PgWire.Protocol.Backend;
using PgWire.Protocol.Frontend;

namespace PgWire.Connection;

internal sealed partial class PgConnector
{
    /// <summary>
    /// Connects to the first suitable host: hosts are tried in order (shuffled with Load Balance Hosts, those
    /// recently found down last), each within the connect timeout, until one accepts the connection and is of the
    /// kind Target Session Attributes asks for. With prefer-standby, a second pass takes any server.
    /// </summary>
    public async ValueTask OpenAsync(bool async, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            throw new PgOperationCanceledException("Opening the connection was cancelled before it started.");
        var wanted = Settings.TargetSessionAttributes;
        var hosts = OrderHosts(wanted);
        List<(PgHost Host, Exception Error)>? failures = null;
        var passes = wanted == TargetSessionAttributes.PreferStandby
            ? new[] { TargetSessionAttributes.Standby, TargetSessionAttributes.Any }
            : new[] { wanted };
        foreach (var pass in passes)
        {
            foreach (var host in hosts)
            {
                try
                {
                    await OpenHostAsync(host, pass, async, cancellationToken).ConfigureAwait(false);
                    return;
                }
                catch (PgException e) when (!cancellationToken.IsCancellationRequested)
                {
                    (failures ??= new()).Add((host, e));
                }
            }
        }
        if (failures!.Count == 1) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failures[0].Error);
        string tried = string.Join("; ", failures.Select(f => $"{f.Host}: {f.Error.Message}"));
        string what = wanted == TargetSessionAttributes.Any ? "any" : $"a suitable (Target Session Attributes={wanted})";
        throw new PgConnectionException(
            $"Could not connect to {what} server among the {Settings.Hosts.Count} hosts {Settings.Endpoint}. {tried}",
            new AggregateException(failures.Select(f => f.Error)));
    }

    /// <summary>The hosts in the order to try: as given or shuffled, with those known down (or of the wrong kind) moved last.</summary>
    private List<PgHost> OrderHosts(TargetSessionAttributes wanted)
    {
        var hosts = Settings.Hosts.ToList();
        if (Settings.LoadBalanceHosts)
            for (int i = hosts.Count - 1; i > 0; i--)
            {
                int j = Random.Shared.Next(i + 1);
                (hosts[i], hosts[j]) = (hosts[j], hosts[i]);
            }
        if (hosts.Count == 1) return hosts;
        // A stable sort: hosts known to suit first, unknown next, known unsuitable or down last.
        return hosts.Select((h, i) => (h, i)).OrderBy(x => Rank(Settings.HostStatus.Get(x.h), wanted)).ThenBy(x => x.i).Select(x => x.h).ToList();

        static int Rank(HostStatus status, TargetSessionAttributes wanted) => status switch
        {
            HostStatus.Offline => 3,
            HostStatus.Unknown => 1,
            HostStatus.Primary => wanted is TargetSessionAttributes.Standby or TargetSessionAttributes.PreferStandby or TargetSessionAttributes.ReadOnly ? 2 : 0,
            HostStatus.Standby => wanted is TargetSessionAttributes.Primary or TargetSessionAttributes.ReadWrite ? 2 : 0,
            _ => 1,
        };
    }

    /// <summary>Connects to one host, negotiates TLS as SSL Mode says, authenticates, and checks the server's kind.</summary>
    private async ValueTask OpenHostAsync(PgHost host, TargetSessionAttributes wanted, bool async, CancellationToken cancellationToken)
    {
        var mode = Settings.SslMode;
        // libpq: TLS is never used over Unix-domain sockets, whatever the mode.
        bool tryTls = !host.IsUnixSocket && mode != SslMode.Disable && mode != SslMode.Allow;
        try
        {
            await OpenOnceAsync(host, tryTls, async, cancellationToken).ConfigureAwait(false);
        }
        catch (PgServerException e) when (!host.IsUnixSocket && !cancellationToken.IsCancellationRequested &&
                                          ((mode == SslMode.Allow && !Transport.IsSecure) || (mode == SslMode.Prefer && Transport.IsSecure)) &&
                                          e.SqlState is PgErrorCodes.InvalidAuthorizationSpecification or PgErrorCodes.InvalidPassword)
        {
            // The server refused the session over this transport (pg_hba.conf's hostssl or hostnossl):
            // Allow tries again with TLS, Prefer without it, as libpq does.
            await OpenOnceAsync(host, !tryTls, async, cancellationToken).ConfigureAwait(false);
        }
        catch (TlsAnsweredWithErrorException)
        {
            await OpenOnceAsync(host, tls: false, async, cancellationToken).ConfigureAwait(false);
        }
        if (wanted == TargetSessionAttributes.Any) return;
        string? mismatch;
        try
        {
            mismatch = await CheckSessionAttributesAsync(wanted, async, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await CloseAsync(async).ConfigureAwait(false);
            throw;
        }
        if (mismatch is null) return;
        await CloseAsync(async).ConfigureAwait(false);
        throw new PgConnectionException(mismatch);
    }

    /// <summary>The server answered SSLRequest with an error and closed the socket: SSL Mode=Prefer connects again without TLS.</summary>
    private sealed class TlsAnsweredWithErrorException(string message) : PgConnectionException(message);

    private async ValueTask OpenOnceAsync(PgHost host, bool tls, bool async, CancellationToken cancellationToken)
    {
        Transport.BeginConnect(host);
        State = ConnectorState.Connecting;
        AuthenticationMechanism = null;
        Session.Opened();
        Engine.Clear();
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        int timeout = Settings.ConnectTimeoutSeconds;
        if (timeout > 0) timeoutSource.CancelAfter(TimeSpan.FromSeconds(timeout));
        try
        {
            try
            {
                await Transport.ConnectAsync(async, cancellationToken).ConfigureAwait(false);
            }
            catch (PgConnectionException)
            {
                Settings.HostStatus.Set(host, HostStatus.Offline);
                throw;
            }
            if (!async && timeout > 0) Transport.SetReceiveTimeout(timeout * 1000);

            if (tls && await Transport.NegotiateTlsAsync(async, timeoutSource.Token).ConfigureAwait(false) == Transport.TlsOutcome.ReconnectPlain)
                throw new TlsAnsweredWithErrorException($"The server at {host} refused the request for TLS.");
            Transport.StartReading();

            StartupMessage.Write(WriteBuffer, StartupParameters());
            Engine.Expect(ReplyKind.Startup);
            await FlushAsync(async, timeoutSource.Token).ConfigureAwait(false);
            await AuthenticateAsync(async, timeoutSource.Token).ConfigureAwait(false);
            await ReadUntilReadyAsync(async, timeoutSource.Token).ConfigureAwait(false);

            if (!async) Transport.SetReceiveTimeout(0);
            State = ConnectorState.Ready;
            OpenedAt = Environment.TickCount64;
        }
        catch (Exception e)
        {
            CloseTransport();
            State = ConnectorState.Closed;
            if (cancellationToken.IsCancellationRequested && e is not PgServerException)
                throw new PgOperationCanceledException($"Opening the connection to {host} was cancelled.", e);
            if (e is OperationCanceledException && !cancellationToken.IsCancellationRequested || IsReceiveTimeout(e))
            {
                Settings.HostStatus.Set(host, HostStatus.Offline);
                throw new PgConnectionException(
                    $"Connecting to the server at {host} did not finish within the connect timeout of {timeout} s.", e);
            }
            throw;
        }
    }

    private static bool IsReceiveTimeout(Exception e) =>
        e is PgConnectionException { InnerException: IOException { InnerException: System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.TimedOut } } };

    /// <summary>
    /// Null when the server is of the kind asked for; else why not. PostgreSQL 14 and later report in_hot_standby and
    /// default_transaction_read_only at startup; older servers are asked.
    /// </summary>
    private async ValueTask<string?> CheckSessionAttributesAsync(TargetSessionAttributes wanted, bool async, CancellationToken cancellationToken)
    {
        bool standby, readOnly;
        if (ServerParameters.TryGetValue("in_hot_standby", out var hot) &&
            ServerParameters.TryGetValue("default_transaction_read_only", out var ro))
        {
            standby = hot == "on";
            readOnly = standby || ro == "on";
        }
        else
        {
            var rows = await QueryTextAsync("SELECT pg_catalog.pg_is_in_recovery(), pg_catalog.current_setting('transaction_read_only')",
                async, cancellationToken).ConfigureAwait(false);
            standby = rows[0][0] == "t";
            readOnly = standby || rows[0][1] == "on";
        }
        Settings.HostStatus.Set(Host, standby ? HostStatus.Standby : HostStatus.Primary);
        string kind = standby ? "a standby (in recovery)" : readOnly ? "a primary whose sessions are read-only" : "a primary";
        bool suits = wanted switch
        {
            TargetSessionAttributes.ReadWrite => !readOnly,
            TargetSessionAttributes.ReadOnly => readOnly,
            TargetSessionAttributes.Primary => !standby,
            TargetSessionAttributes.Standby => standby,
            _ => true,
        };
        return suits ? null : $"the server at {Host} is {kind}, not what Target Session Attributes={wanted} asks for";
    }

    private IEnumerable<KeyValuePair<string, string>> StartupParameters()
    {
        yield return new("user", Settings.Username);
        yield return new("database", Settings.Database);
        yield return new("client_encoding", "UTF8");
        yield return new("DateStyle", "ISO, MDY");
        if (!string.IsNullOrEmpty(Settings.ApplicationName))
            yield return new("application_name", Settings.ApplicationName);
        if (!string.IsNullOrEmpty(Settings.SearchPath))
            yield return new("search_path", Settings.SearchPath);
        if (!string.IsNullOrEmpty(Settings.Timezone))
            yield return new("TimeZone", Settings.Timezone);
        if (!string.IsNullOrEmpty(Settings.Options))
            yield return new("options", Settings.Options);
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
            byte code = await Engine.ReadAsync(async, cancellationToken).ConfigureAwait(false);
            switch (code)
            {
                case BackendMessageCode.Authentication:
                    break;
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
                    if (AuthenticationMechanism is null)
                    {
                        // The server asked for nothing: trust, or the TLS client certificate was all it needed (cert).
                        RefuseWithoutChannelBinding(Transport.ClientCertificateSent ? "certificate authentication (no password exchange)" : "trust authentication (no password exchange)");
                        RefuseUnlessRequired(AuthenticationMethods.NoExchange, "no authentication at all (trust, or a client certificate alone)");
                        AuthenticationMechanism = IsSecure && Transport.ClientCertificateSent ? "cert" : "trust";
                    }
                    return;

                case AuthenticationRequestType.CleartextPassword:
                    RefuseWithoutChannelBinding("a cleartext password");
                    RefuseUnlessRequired(AuthenticationMethods.Password, "a cleartext password");
                    AuthenticationMechanism = "cleartext";
                    PasswordMessage.Write(WriteBuffer, Encoding.UTF8.GetBytes(RequirePassword("password")));
                    break;

                case AuthenticationRequestType.MD5Password:
                {
                    RefuseWithoutChannelBinding("MD5 password authentication");
                    RefuseUnlessRequired(AuthenticationMethods.MD5, "MD5 password authentication");
                    AuthenticationMechanism = "MD5";
                    byte[] salt = ReadBuffer.MessageBody.Slice(4, 4).ToArray();
                    PasswordMessage.Write(WriteBuffer, Md5Password.Compute(Settings.Username, RequirePassword("md5"), salt));
                    break;
                }

                case AuthenticationRequestType.SASL:
                {
                    if (scram is not null) throw Unexpected(code, "SASLContinue");
                    RefuseUnlessRequired(AuthenticationMethods.ScramSha256, "SCRAM-SHA-256 authentication");
                    var mechanisms = Guard(static body => AuthenticationRequest.ParseMechanisms(body[4..]));
                    bool canBind = Transport.ServerCertificateHash is not null && Settings.ChannelBinding != ChannelBinding.Disable;
                    string mechanism = SaslMechanisms.Choose(mechanisms, canBind)
                        ?? throw AuthFailed($"The server offered only the SASL mechanism(s) {string.Join(", ", mechanisms)}, " +
                                            "none of which PgWire supports (it supports SCRAM-SHA-256 and SCRAM-SHA-256-PLUS).");
                    if (mechanism != SaslMechanisms.ScramSha256Plus)
                        RefuseWithoutChannelBinding(IsSecure
                            ? $"SCRAM-SHA-256 without channel binding (the server offered {string.Join(", ", mechanisms)})"
                            : "SCRAM-SHA-256 without channel binding (the connection is not TLS)");
                    var binding = mechanism == SaslMechanisms.ScramSha256Plus
                        ? ScramChannelBinding.TlsServerEndPoint(Transport.ServerCertificateHash!)
                        : canBind ? ScramChannelBinding.SupportedButNotUsed : ScramChannelBinding.NotSupportedByClient;
                    scram = new ScramSha256Client(RequirePassword("scram-sha-256"), channelBinding: binding);
                    AuthenticationMechanism = mechanism;
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

    /// <summary>The password: the connection string's, else the password file's line for this host, port, database and user.</summary>
    private string RequirePassword(string method)
    {
        if (Settings.Password is { } password) return password;
        string? passfile = Settings.Passfile;
        string? warning = null;
        if (passfile is not null)
        {
            var found = PgPassFile.FindPassword(passfile, Host.Name, Host.Port, Settings.Database, Settings.Username, w => warning = w);
            if (found is not null) return found;
        }
        throw AuthFailed(
            $"The server asked for a password ({method} authentication) for user \"{Settings.Username}\", but the connection " +
            "string has none" + (passfile is null ? "" : $" and the password file {passfile} has no line for it") +
            (warning is null ? "" : $" ({warning})") + ". Add Password=... to the connection string.");
    }

    /// <summary>Channel Binding=Require accepts only SCRAM-SHA-256-PLUS: anything else could be a server that has neither the password nor the certificate's key.</summary>
    private void RefuseWithoutChannelBinding(string what)
    {
        if (Settings.ChannelBinding == ChannelBinding.Require)
            throw AuthFailed($"Channel Binding=Require, but the server at {Host} asked for {what}; only SCRAM-SHA-256-PLUS over TLS " +
                             "proves the server holds its certificate's key and knows the password, so the connection was refused.");
    }

    /// <summary>Require Auth: a request for a method it does not allow ends the open before anything is sent in answer.</summary>
    private void RefuseUnlessRequired(AuthenticationMethods method, string what)
    {
        if ((Settings.AllowedAuthentication & method) == 0)
            throw AuthFailed($"The server at {Host} asked for {what}, which Require Auth={Settings.RequireAuth} does not allow; " +
                             "the connection was refused.");
    }

    /// <summary>How the server authenticated this connection: SCRAM-SHA-256-PLUS, SCRAM-SHA-256, MD5, cleartext, cert or trust.</summary>
    public string? AuthenticationMechanism { get; private set; }

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
            byte code = await Engine.ReadAsync(async, cancellationToken).ConfigureAwait(false);
            switch (code)
            {
                case BackendMessageCode.BackendKeyData:
                    Session.BackendKey = Guard(static body => BackendKeyData.Parse(body));
                    break;
                case BackendMessageCode.ReadyForQuery:
                    // The engine has read the transaction status.
                    return;
                default:
                    throw Unexpected(code, "BackendKeyData or ReadyForQuery");
            }
        }
    }
}
