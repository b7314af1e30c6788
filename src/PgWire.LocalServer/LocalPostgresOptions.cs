namespace PgWire.LocalServer;

/// <summary>How <see cref="LocalPostgres.StartAsync(LocalPostgresOptions, CancellationToken)"/> sets up its cluster.</summary>
public sealed class LocalPostgresOptions
{
    /// <summary>
    /// The folder holding initdb, pg_ctl and postgres. When null, the <c>PG_BIN</c> environment variable,
    /// then PATH, then <c>/usr/lib/postgresql/*/bin</c> (newest version first) are searched.
    /// </summary>
    public string? BinDirectory { get; set; }

    /// <summary>A fixed TCP port; null picks a free one (and picks again if another process takes it first).</summary>
    public int? Port { get; set; }

    /// <summary>
    /// postgresql.conf settings added after the defaults (which keep the cluster fast and allow 200 connections),
    /// so an entry here overrides a default of the same name. Names are case-insensitive, as in PostgreSQL.
    /// </summary>
    public IDictionary<string, string> ServerSettings { get; set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long pg_ctl waits for the server to accept connections.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Turns TLS on: the cluster gets a test certificate authority, a server certificate it signed (CN=localhost,
    /// SAN DNS:localhost and IP:127.0.0.1) and a client certificate for <see cref="LocalPostgresRole.Cert"/>, all in
    /// <see cref="LocalPostgres.Certificates"/>. Every other role connects with or without TLS, as before;
    /// <see cref="LocalPostgresRole.Cert"/> and <see cref="LocalPostgresRole.ScramTls"/> only with it.
    /// </summary>
    public bool Tls { get; set; }

    /// <summary>Receives a line for each step and each tool run; nothing is written to the console otherwise.</summary>
    public Action<string>? Log { get; set; }
}
