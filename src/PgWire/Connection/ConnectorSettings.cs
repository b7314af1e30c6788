namespace PgWire.Connection;

/// <summary>The connection settings a connector uses, read once from the connection string.</summary>
internal sealed class ConnectorSettings
{
    /// <summary>The servers to try, in the order given (shuffled per open with Load Balance Hosts).</summary>
    public required IReadOnlyList<PgHost> Hosts { get; init; }
    public required string Username { get; init; }
    public required string Database { get; init; }
    public string? Password { get; init; }
    /// <summary>The password file to consult when <see cref="Password"/> is null and the server asks for one.</summary>
    public string? Passfile { get; init; }
    public string? ApplicationName { get; init; }
    public required int ConnectTimeoutSeconds { get; init; }
    public required int CommandTimeoutSeconds { get; init; }
    public int CancellationTimeoutMilliseconds { get; init; } = 2000;
    public int KeepaliveSeconds { get; init; }
    public bool Pooling { get; init; } = true;
    public int MinPoolSize { get; init; }
    public int MaxPoolSize { get; init; } = 100;
    public int ConnectionIdleLifetimeSeconds { get; init; } = 300;
    public int ConnectionPruningIntervalSeconds { get; init; } = 10;
    public int ConnectionLifetimeSeconds { get; init; }
    public bool NoResetOnClose { get; init; }
    public SslMode SslMode { get; init; } = SslMode.Prefer;
    public string? RootCertificate { get; init; }
    public string? SslCertificate { get; init; }
    public string? SslKey { get; init; }
    public string? SslPassword { get; init; }
    public ChannelBinding ChannelBinding { get; init; } = ChannelBinding.Prefer;
    public TargetSessionAttributes TargetSessionAttributes { get; init; }
    public bool LoadBalanceHosts { get; init; }
    public string? SearchPath { get; init; }
    public string? Timezone { get; init; }
    public string? Options { get; init; }
    /// <summary>0 when statements are never prepared by name on the server (automatic preparation off, or Prepared Statements=false).</summary>
    public int MaxAutoPrepare { get; init; } = 100;
    public int AutoPrepareMinUsages { get; init; } = 2;
    public bool PreparedStatements { get; init; } = true;

    /// <summary>Include Error Detail: the server's Detail of errors and notices is kept (else withheld, as it can hold row values).</summary>
    public bool IncludeErrorDetail { get; init; }

    /// <summary>Log Parameters or Include Error Detail: parameter values may appear in exception messages.</summary>
    public bool ParameterValuesInErrors { get; init; }

    /// <summary>Trust Server Certificate: with SSL Mode=Require, the certificate is not checked even when a root file is present.</summary>
    public bool TrustServerCertificate { get; init; }

    public bool CheckCertificateRevocation { get; init; }

    /// <summary>The authentication requests the server may make (Require Auth); all by default.</summary>
    public AuthenticationMethods AllowedAuthentication { get; init; } = AuthenticationMethods.All;

    /// <summary>Require Auth as given, for messages.</summary>
    public string? RequireAuth { get; init; }

    /// <summary>Tcp Keepalive: keepalive on with the system's timings even without Keepalive.</summary>
    public bool TcpKeepalive { get; init; }

    /// <summary>Tcp Keepalive Interval: seconds between unanswered probes; 0 leaves PgWire's choice.</summary>
    public int TcpKeepaliveIntervalSeconds { get; init; }

    public int ReadBufferSize { get; init; } = Protocol.ReadBuffer.DefaultSize;
    public int WriteBufferSize { get; init; } = Protocol.WriteBuffer.DefaultSize;

    /// <summary>SO_RCVBUF and SO_SNDBUF; 0 leaves the system's.</summary>
    public int SocketReceiveBufferSize { get; init; }
    public int SocketSendBufferSize { get; init; }

    /// <summary>Persist Security Info: the connection string keeps its password after the connection opened.</summary>
    public bool PersistSecurityInfo { get; init; }

    /// <summary>The database's types are read from pg_type (false with Server Compatibility Mode=NoTypeLoading).</summary>
    public bool LoadTypes { get; init; } = true;

    /// <summary>Which hosts were recently down, primaries or standbys; shared by the connections of one data source.</summary>
    public HostStatusCache HostStatus { get; init; } = new(10);

    public static ConnectorSettings From(PgConnectionStringBuilder given) => From(given, Environment.GetEnvironmentVariable);

    /// <summary>
    /// Settings from a connection string, with libpq's environment variables (PGHOST, PGUSER, ...) filling in the
    /// keywords it does not give.
    /// </summary>
    public static ConnectorSettings From(PgConnectionStringBuilder given, Func<string, string?> environment)
    {
        var builder = new PgConnectionStringBuilder(given.ConnectionString);
        foreach (var (keyword, value) in LibpqEnvironment.Defaults(environment))
            if (!builder.ContainsKey(keyword)) builder[keyword] = value;

        if (builder.Timeout < 0) throw new ArgumentException("Timeout must be 0 (no limit) or a positive number of seconds.");
        if (builder.CommandTimeout < 0) throw new ArgumentException("Command Timeout must be 0 (no limit) or a positive number of seconds.");
        if (builder.CancellationTimeout < -1)
            throw new ArgumentException("Cancellation Timeout must be -1 (do not wait), 0 (wait without limit) or a positive number of milliseconds.");
        if (builder.MaxAutoPrepare < 0) throw new ArgumentException("Max Auto Prepare must be 0 (off) or more.");
        if (builder.AutoPrepareMinUsages < 1) throw new ArgumentException("Auto Prepare Min Usages must be at least 1.");
        if (builder.Keepalive < 0) throw new ArgumentException("Keepalive must be 0 (off) or a positive number of seconds.");
        if (builder.TcpKeepaliveInterval < 0) throw new ArgumentException("Tcp Keepalive Interval must be 0 or a positive number of seconds.");
        if (builder.TcpKeepaliveInterval > 0 && builder.Keepalive == 0)
            throw new ArgumentException("Tcp Keepalive Interval needs Keepalive (or Tcp Keepalive Time): the seconds of idleness before the first probe.");
        if (builder.ReadBufferSize < MinimumBufferSize || builder.WriteBufferSize < MinimumBufferSize)
            throw new ArgumentException($"Read Buffer Size and Write Buffer Size must be at least {MinimumBufferSize} bytes.");
        if (builder.SocketReceiveBufferSize < 0 || builder.SocketSendBufferSize < 0)
            throw new ArgumentException("Socket Receive Buffer Size and Socket Send Buffer Size must be 0 (the system's) or a positive number of bytes.");
        CompatibilityKeywords.Check(builder);
        string user = string.IsNullOrEmpty(builder.Username) ? Environment.UserName : builder.Username;
        if (builder.MaxPoolSize < 1) throw new ArgumentException("Maximum Pool Size must be at least 1.");
        if (builder.MinPoolSize < 0 || builder.MinPoolSize > builder.MaxPoolSize)
            throw new ArgumentException("Minimum Pool Size must be between 0 and Maximum Pool Size.");
        if (builder.ConnectionIdleLifetime < 1 || builder.ConnectionPruningInterval < 1 || builder.ConnectionLifetime < 0)
            throw new ArgumentException("Connection Idle Lifetime and Connection Pruning Interval must be at least 1 second; Connection Lifetime 0 or more.");
        var sslMode = builder.SslMode;
        var channelBinding = builder.ChannelBinding;
        if (channelBinding == ChannelBinding.Require && sslMode == SslMode.Disable)
            throw new ArgumentException("Channel Binding=Require needs TLS, but SSL Mode=Disable turns it off.");
        string hosts = string.IsNullOrEmpty(builder.Host) ? "localhost" : builder.Host;
        string ports = builder.TryGetValue("Port", out var p) ? Convert.ToString(p, System.Globalization.CultureInfo.InvariantCulture) ?? "" : "5432";
        return new ConnectorSettings
        {
            Hosts = PgHost.ParseList(hosts, ports),
            Username = user,
            Database = string.IsNullOrEmpty(builder.Database) ? user : builder.Database,
            Password = builder.Password,
            Passfile = builder.Passfile ?? PgPassFile.DefaultPath(),
            ApplicationName = builder.ApplicationName,
            ConnectTimeoutSeconds = builder.Timeout,
            CommandTimeoutSeconds = builder.CommandTimeout,
            CancellationTimeoutMilliseconds = builder.CancellationTimeout,
            KeepaliveSeconds = builder.Keepalive,
            Pooling = builder.Pooling,
            MinPoolSize = builder.MinPoolSize,
            MaxPoolSize = builder.MaxPoolSize,
            ConnectionIdleLifetimeSeconds = builder.ConnectionIdleLifetime,
            ConnectionPruningIntervalSeconds = builder.ConnectionPruningInterval,
            ConnectionLifetimeSeconds = builder.ConnectionLifetime,
            NoResetOnClose = builder.NoResetOnClose,
            SslMode = sslMode,
            RootCertificate = builder.RootCertificate,
            SslCertificate = builder.SslCertificate,
            SslKey = builder.SslKey,
            SslPassword = builder.SslPassword,
            ChannelBinding = channelBinding,
            TargetSessionAttributes = builder.TargetSessionAttributes,
            LoadBalanceHosts = builder.LoadBalanceHosts,
            SearchPath = builder.SearchPath,
            Timezone = builder.Timezone,
            Options = builder.Options,
            HostStatus = new HostStatusCache(builder.HostRecheckSeconds),
            PreparedStatements = builder.PreparedStatements,
            MaxAutoPrepare = builder.PreparedStatements ? builder.MaxAutoPrepare : 0,
            AutoPrepareMinUsages = Math.Max(2, builder.AutoPrepareMinUsages),
            LoadTypes = ParseCompatibilityMode(builder.ServerCompatibilityMode),
            IncludeErrorDetail = builder.IncludeErrorDetail,
            ParameterValuesInErrors = builder.IncludeErrorDetail || builder.LogParameters,
            TrustServerCertificate = builder.TrustServerCertificate,
            CheckCertificateRevocation = builder.CheckCertificateRevocation,
            AllowedAuthentication = AuthenticationMethodsParser.Parse(builder.RequireAuth),
            RequireAuth = builder.RequireAuth,
            TcpKeepalive = builder.TcpKeepalive,
            TcpKeepaliveIntervalSeconds = builder.TcpKeepaliveInterval,
            ReadBufferSize = builder.ReadBufferSize,
            WriteBufferSize = builder.WriteBufferSize,
            SocketReceiveBufferSize = builder.SocketReceiveBufferSize,
            SocketSendBufferSize = builder.SocketSendBufferSize,
            PersistSecurityInfo = builder.PersistSecurityInfo,
        };
    }

    /// <summary>A read or write buffer smaller than this would grow for nearly every message.</summary>
    private const int MinimumBufferSize = 1024;

    /// <summary>Where connections go, for messages and DbConnection.DataSource: the host list.</summary>
    public string Endpoint => string.Join(",", Hosts);

    /// <summary>Server Compatibility Mode: true when types are loaded (None), false for NoTypeLoading (or Redshift).</summary>
    private static bool ParseCompatibilityMode(string mode) =>
        mode.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant() switch
        {
            "none" or "" => true,
            "notypeloading" or "redshift" => false,
            _ => throw new ArgumentException(
                $"Server Compatibility Mode={mode} is not one PgWire knows; use None or NoTypeLoading."),
        };
}
