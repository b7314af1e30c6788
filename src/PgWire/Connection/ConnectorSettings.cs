namespace PgWire.Connection;

/// <summary>The connection settings a connector uses, read once from the connection string.</summary>
internal sealed class ConnectorSettings
{
    public required string Host { get; init; }
    public required int Port { get; init; }
    public required string Username { get; init; }
    public required string Database { get; init; }
    public string? Password { get; init; }
    public string? ApplicationName { get; init; }
    public required int ConnectTimeoutSeconds { get; init; }
    public required int CommandTimeoutSeconds { get; init; }
    public bool Pooling { get; init; } = true;
    public int MinPoolSize { get; init; }
    public int MaxPoolSize { get; init; } = 100;
    public int ConnectionIdleLifetimeSeconds { get; init; } = 300;
    public int ConnectionPruningIntervalSeconds { get; init; } = 10;
    public int ConnectionLifetimeSeconds { get; init; }
    public bool NoResetOnClose { get; init; }

    /// <summary>True when <see cref="Host"/> names a folder holding a Unix-domain socket.</summary>
    public bool IsUnixSocket => Host.StartsWith('/') || Host.StartsWith('@');

    public static ConnectorSettings From(PgConnectionStringBuilder builder)
    {
        string sslMode = builder.SslMode ?? "Prefer";
        if (!sslMode.Equals("Disable", StringComparison.OrdinalIgnoreCase) &&
            !sslMode.Equals("Allow", StringComparison.OrdinalIgnoreCase) &&
            !sslMode.Equals("Prefer", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException(
                $"SSL Mode={sslMode} needs TLS, which this version of PgWire does not support yet; use Disable, Allow or Prefer.");
        if (builder.Timeout < 0) throw new ArgumentException("Timeout must be 0 (no limit) or a positive number of seconds.");
        if (builder.CommandTimeout < 0) throw new ArgumentException("Command Timeout must be 0 (no limit) or a positive number of seconds.");
        if (builder.Port is <= 0 or > 65535) throw new ArgumentException($"Port {builder.Port} is not a TCP port number.");
        string user = string.IsNullOrEmpty(builder.Username) ? Environment.UserName : builder.Username;
        if (builder.MaxPoolSize < 1) throw new ArgumentException("Maximum Pool Size must be at least 1.");
        if (builder.MinPoolSize < 0 || builder.MinPoolSize > builder.MaxPoolSize)
            throw new ArgumentException("Minimum Pool Size must be between 0 and Maximum Pool Size.");
        if (builder.ConnectionIdleLifetime < 1 || builder.ConnectionPruningInterval < 1 || builder.ConnectionLifetime < 0)
            throw new ArgumentException("Connection Idle Lifetime and Connection Pruning Interval must be at least 1 second; Connection Lifetime 0 or more.");
        return new ConnectorSettings
        {
            Host = string.IsNullOrEmpty(builder.Host) ? "localhost" : builder.Host,
            Port = builder.Port,
            Username = user,
            Database = string.IsNullOrEmpty(builder.Database) ? user : builder.Database,
            Password = builder.Password,
            ApplicationName = builder.ApplicationName,
            ConnectTimeoutSeconds = builder.Timeout,
            CommandTimeoutSeconds = builder.CommandTimeout,
            Pooling = builder.Pooling,
            MinPoolSize = builder.MinPoolSize,
            MaxPoolSize = builder.MaxPoolSize,
            ConnectionIdleLifetimeSeconds = builder.ConnectionIdleLifetime,
            ConnectionPruningIntervalSeconds = builder.ConnectionPruningInterval,
            ConnectionLifetimeSeconds = builder.ConnectionLifetime,
            NoResetOnClose = builder.NoResetOnClose,
        };
    }

    /// <summary>Where this connector talks to, for error messages.</summary>
    public string Endpoint => IsUnixSocket ? $"{Host}/.s.PGSQL.{Port}" : $"{Host}:{Port}";
}
