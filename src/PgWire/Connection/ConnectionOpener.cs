using PgWire.Protocol;
using PgWire.Protocol.Backend;
using PgWire.Protocol.Frontend;

namespace PgWire.Connection;

/// <summary>
/// Opening a connection: the hosts tried in order (failover, load balancing, the kind of server Target Session
/// Attributes asks for), and on each the socket, TLS as SSL Mode says, the StartupMessage, authentication (see
/// <see cref="Authenticator"/>) and the parameters the server reports until ReadyForQuery, all within the connect timeout.
/// </summary>
internal sealed class ConnectionOpener(PgConnector connector)
{
    /// <summary>
    /// Connects to the first suitable host: hosts are tried in order (shuffled with Load Balance Hosts, those
    /// recently found down last), each within the connect timeout, until one accepts the connection and is of the
    /// kind Target Session Attributes asks for. With prefer-standby, a second pass takes any server.
    /// </summary>
    public async ValueTask OpenAsync(bool async, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            throw new OperationCanceledException("Opening the connection was cancelled before it started.", cancellationToken);
        var wanted = connector.Settings.TargetSessionAttributes;
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
            $"Could not connect to {what} server among the {connector.Settings.Hosts.Count} hosts {connector.Settings.Endpoint}. {tried}",
            new AggregateException(failures.Select(f => f.Error)));
    }

    /// <summary>The hosts in the order to try: as given or shuffled, with those known down (or of the wrong kind) moved last.</summary>
    private List<PgHost> OrderHosts(TargetSessionAttributes wanted)
    {
        var hosts = connector.Settings.Hosts.ToList();
        if (connector.Settings.LoadBalanceHosts)
            for (int i = hosts.Count - 1; i > 0; i--)
            {
                int j = Random.Shared.Next(i + 1);
                (hosts[i], hosts[j]) = (hosts[j], hosts[i]);
            }
        if (hosts.Count == 1) return hosts;
        // A stable sort: hosts known to suit first, unknown next, known unsuitable or down last.
        return hosts.Select((h, i) => (h, i)).OrderBy(x => Rank(connector.Settings.HostStatus.Get(x.h), wanted)).ThenBy(x => x.i).Select(x => x.h).ToList();

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
        var mode = connector.Settings.SslMode;
        // libpq: TLS is never used over Unix-domain sockets, whatever the mode.
        bool tryTls = !host.IsUnixSocket && mode != SslMode.Disable && mode != SslMode.Allow;
        try
        {
            await OpenOnceAsync(host, tryTls, async, cancellationToken).ConfigureAwait(false);
        }
        catch (PgServerException e) when (!host.IsUnixSocket && !cancellationToken.IsCancellationRequested &&
                                          ((mode == SslMode.Allow && !connector.Transport.IsSecure) || (mode == SslMode.Prefer && connector.Transport.IsSecure)) &&
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
            await connector.CloseAsync(async).ConfigureAwait(false);
            throw;
        }
        if (mismatch is null) return;
        await connector.CloseAsync(async).ConfigureAwait(false);
        throw new PgConnectionException(mismatch);
    }

    /// <summary>The server answered SSLRequest with an error and closed the socket: SSL Mode=Prefer connects again without TLS.</summary>
    private sealed class TlsAnsweredWithErrorException(string message) : PgConnectionException(message);

    private async ValueTask OpenOnceAsync(PgHost host, bool tls, bool async, CancellationToken cancellationToken)
    {
        connector.Transport.BeginConnect(host);
        connector.State = ConnectorState.Connecting;
        connector.Session.Opened();
        connector.Engine.Clear();
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        int timeout = connector.Settings.ConnectTimeoutSeconds;
        if (timeout > 0) timeoutSource.CancelAfter(TimeSpan.FromSeconds(timeout));
        try
        {
            try
            {
                await connector.Transport.ConnectAsync(async, cancellationToken).ConfigureAwait(false);
            }
            catch (PgConnectionException)
            {
                connector.Settings.HostStatus.Set(host, HostStatus.Offline);
                throw;
            }
            if (!async && timeout > 0) connector.Transport.SetReceiveTimeout(timeout * 1000);

            if (tls && await connector.Transport.NegotiateTlsAsync(async, timeoutSource.Token).ConfigureAwait(false) == Transport.TlsOutcome.ReconnectPlain)
                throw new TlsAnsweredWithErrorException($"The server at {host} refused the request for TLS.");
            connector.Transport.StartReading();

            StartupMessage.Write(connector.WriteBuffer, StartupParameters());
            connector.Engine.Expect(ReplyKind.Startup);
            await connector.FlushAsync(async, timeoutSource.Token).ConfigureAwait(false);
            await connector.Authenticator.AuthenticateAsync(async, timeoutSource.Token).ConfigureAwait(false);
            await ReadUntilReadyAsync(async, timeoutSource.Token).ConfigureAwait(false);

            if (!async) connector.Transport.SetReceiveTimeout(0);
            connector.State = ConnectorState.Ready;
            connector.Pool.OpenedAt = Environment.TickCount64;
        }
        catch (Exception e)
        {
            connector.CloseTransport();
            connector.State = ConnectorState.Closed;
            if (cancellationToken.IsCancellationRequested && e is not PgServerException)
            {
                if (e is OperationCanceledException own && own.CancellationToken == cancellationToken) throw;
                throw new OperationCanceledException($"Opening the connection to {host} was cancelled.", e, cancellationToken);
            }
            if (e is OperationCanceledException && !cancellationToken.IsCancellationRequested || IsReceiveTimeout(e))
            {
                connector.Settings.HostStatus.Set(host, HostStatus.Offline);
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
        if (connector.ServerParameters.TryGetValue("in_hot_standby", out var hot) &&
            connector.ServerParameters.TryGetValue("default_transaction_read_only", out var ro))
        {
            standby = hot == "on";
            readOnly = standby || ro == "on";
        }
        else
        {
            var rows = await connector.Internal.QueryTextAsync("SELECT pg_catalog.pg_is_in_recovery(), pg_catalog.current_setting('transaction_read_only')",
                async, cancellationToken).ConfigureAwait(false);
            standby = rows[0][0] == "t";
            readOnly = standby || rows[0][1] == "on";
        }
        connector.Settings.HostStatus.Set(connector.Host, standby ? HostStatus.Standby : HostStatus.Primary);
        string kind = standby ? "a standby (in recovery)" : readOnly ? "a primary whose sessions are read-only" : "a primary";
        bool suits = wanted switch
        {
            TargetSessionAttributes.ReadWrite => !readOnly,
            TargetSessionAttributes.ReadOnly => readOnly,
            TargetSessionAttributes.Primary => !standby,
            TargetSessionAttributes.Standby => standby,
            _ => true,
        };
        return suits ? null : $"the server at {connector.Host} is {kind}, not what Target Session Attributes={wanted} asks for";
    }

    private IEnumerable<KeyValuePair<string, string>> StartupParameters()
    {
        yield return new("user", connector.Settings.Username);
        yield return new("database", connector.Settings.Database);
        yield return new("client_encoding", "UTF8");
        yield return new("DateStyle", "ISO, MDY");
        if (!string.IsNullOrEmpty(connector.Settings.ApplicationName))
            yield return new("application_name", connector.Settings.ApplicationName);
        if (!string.IsNullOrEmpty(connector.Settings.SearchPath))
            yield return new("search_path", connector.Settings.SearchPath);
        if (!string.IsNullOrEmpty(connector.Settings.Timezone))
            yield return new("TimeZone", connector.Settings.Timezone);
        if (!string.IsNullOrEmpty(connector.Settings.Options))
            yield return new("options", connector.Settings.Options);
    }

    /// <summary>After authentication: BackendKeyData and ParameterStatus until ReadyForQuery.</summary>
    private async ValueTask ReadUntilReadyAsync(bool async, CancellationToken cancellationToken)
    {
        while (true)
        {
            byte code = await connector.Engine.ReadAsync(async, cancellationToken).ConfigureAwait(false);
            switch (code)
            {
                case BackendMessageCode.BackendKeyData:
                    connector.Session.BackendKey = connector.Guard(static body => BackendKeyData.Parse(body));
                    break;
                case BackendMessageCode.ReadyForQuery:
                    // The engine has read the transaction status.
                    return;
                default:
                    throw connector.Unexpected(code, "BackendKeyData or ReadyForQuery");
            }
        }
    }
}
