namespace PgWire.LocalServer;

/// <summary>How <see cref="LocalPgBouncer.StartAsync(LocalPostgres, LocalPgBouncerOptions, CancellationToken)"/> sets up PgBouncer.</summary>
public sealed class LocalPgBouncerOptions
{
    /// <summary>
    /// The pgbouncer program. When null, <c>/usr/sbin/pgbouncer</c> (the Debian/Ubuntu package's place), then PATH
    /// are searched.
    /// </summary>
    public string? ExecutablePath { get; set; }

    /// <summary><c>session</c>, <c>transaction</c> (the default: what breaks named prepared statements) or <c>statement</c>.</summary>
    public string PoolMode { get; set; } = "transaction";

    /// <summary>
    /// Server connections per database and user. Small by default, so consecutive transactions of a few clients
    /// really land on different server connections.
    /// </summary>
    public int DefaultPoolSize { get; set; } = 2;

    /// <summary>How many client connections PgBouncer accepts.</summary>
    public int MaxClientConnections { get; set; } = 100;

    /// <summary>How long to wait for PgBouncer to accept connections.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Receives a line for each step; nothing is written to the console otherwise.</summary>
    public Action<string>? Log { get; set; }
}
