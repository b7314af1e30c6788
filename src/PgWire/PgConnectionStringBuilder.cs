using System.Data.Common;
using System.Globalization;

namespace PgWire;

/// <summary>
/// Connection-string keywords, spelled as Npgsql spells them (Host, Port, Username, Password, Database,
/// Application Name, Timeout, Command Timeout, ...), so switching drivers means changing one line.
/// A <c>postgresql://user:password@host:port/database?application_name=x</c> URI is accepted too.
/// </summary>
public sealed class PgConnectionStringBuilder : DbConnectionStringBuilder
{
    private static readonly Dictionary<string, string> Canonical = new(StringComparer.OrdinalIgnoreCase);

    static PgConnectionStringBuilder()
    {
        void Keyword(string name, params string[] aliases)
        {
            Canonical[Squash(name)] = name;
            foreach (var alias in aliases) Canonical[Squash(alias)] = name;
        }
        Keyword("Host", "Server");
        Keyword("Port");
        Keyword("Database", "DB");
        Keyword("Username", "User Name", "User Id", "User", "UID");
        Keyword("Password", "PSW", "PWD");
        Keyword("Application Name");
        Keyword("Timeout", "Connect Timeout", "Connection Timeout");
        Keyword("Command Timeout");
        Keyword("SSL Mode", "SSLMode");
        Keyword("Pooling");
        Keyword("Minimum Pool Size", "MinPoolSize", "Min Pool Size");
        Keyword("Maximum Pool Size", "MaxPoolSize", "Max Pool Size");
        Keyword("Connection Idle Lifetime", "ConnectionIdleLifetime");
        Keyword("Connection Pruning Interval", "ConnectionPruningInterval");
        Keyword("Connection Lifetime", "ConnectionLifetime", "Load Balance Timeout");
        Keyword("No Reset On Close", "NoResetOnClose");
        Keyword("Root Certificate", "RootCertificate", "SSL Root Certificate", "sslrootcert");
        Keyword("SSL Certificate", "SSLCertificate", "sslcert");
        Keyword("SSL Key", "SSLKey", "sslkey");
        Keyword("SSL Password", "SSLPassword", "sslpassword");
        Keyword("Channel Binding", "ChannelBinding", "channel_binding");
        Keyword("Target Session Attributes", "TargetSessionAttributes", "target_session_attrs");
        Keyword("Load Balance Hosts", "LoadBalanceHosts", "load_balance_hosts");
        Keyword("Host Recheck Seconds", "HostRecheckSeconds");
        Keyword("Cancellation Timeout", "CancellationTimeout");
        Keyword("Keepalive", "Tcp Keepalive Time", "keepalives_idle");
        Keyword("Search Path", "SearchPath");
        Keyword("Timezone", "TimeZone");
        Keyword("Options");
        Keyword("Passfile", "PassFile");
        Keyword("Max Auto Prepare", "MaxAutoPrepare");
        Keyword("Auto Prepare Min Usages", "AutoPrepareMinUsages");
        Keyword("Prepared Statements", "PreparedStatements");
        Keyword("Server Compatibility Mode", "ServerCompatibilityMode");
    }

    private static string Squash(string keyword) => keyword.Replace(" ", "", StringComparison.Ordinal);

    public PgConnectionStringBuilder() { }

    public PgConnectionStringBuilder(string? connectionString)
    {
        if (connectionString is null) return;
        if (connectionString.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) ||
            connectionString.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase))
            PgConnectionUri.Apply(connectionString, this);
        else
            ConnectionString = connectionString;
    }

    /// <summary>Accepts any spelling Npgsql accepts; an unknown keyword is an error rather than silently ignored.</summary>
    [System.Diagnostics.CodeAnalysis.AllowNull]
    public override object this[string keyword]
    {
        get => base[CanonicalName(keyword)];
        set
        {
            string name = CanonicalName(keyword);
            if (value is null) Remove(name);
            else base[name] = value;
        }
    }

    public override bool Remove(string keyword) => base.Remove(CanonicalName(keyword));

    public override bool ContainsKey(string keyword) =>
        Canonical.TryGetValue(Squash(keyword), out var name) && base.ContainsKey(name);

    public override bool TryGetValue(string keyword, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out object? value)
    {
        value = null;
        return Canonical.TryGetValue(Squash(keyword), out var name) && base.TryGetValue(name, out value);
    }

    private static string CanonicalName(string keyword) =>
        Canonical.TryGetValue(Squash(keyword ?? throw new ArgumentNullException(nameof(keyword))), out var name)
            ? name
            : throw new ArgumentException(
                $"The connection-string keyword '{keyword}' is not supported by PgWire. Supported: {string.Join(", ", Canonical.Values.Distinct())}.",
                nameof(keyword));

    private string? GetString(string name) => base.TryGetValue(name, out var v) ? Convert.ToString(v, CultureInfo.InvariantCulture) : null;

    private int GetInt(string name, int fallback)
    {
        string? s = GetString(name);
        if (string.IsNullOrEmpty(s)) return fallback;
        return int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v)
            ? v
            : throw new ArgumentException($"The connection-string value '{name}={s}' is not a whole number.");
    }

    /// <summary>Host name, IP address, or a folder holding a Unix socket (starts with '/'). Default: localhost.</summary>
    public string? Host { get => GetString("Host"); set => this["Host"] = value!; }

    /// <summary>TCP port (also names the Unix socket file .s.PGSQL.port). Default: 5432.</summary>
    public int Port { get => GetInt("Port", 5432); set => this["Port"] = value; }

    /// <summary>Database name. Default: the user name.</summary>
    public string? Database { get => GetString("Database"); set => this["Database"] = value!; }

    /// <summary>Role to log in as. Default: the operating-system user name.</summary>
    public string? Username { get => GetString("Username"); set => this["Username"] = value!; }

    public string? Password { get => GetString("Password"); set => this["Password"] = value!; }

    /// <summary>Sent as application_name; shows in pg_stat_activity.</summary>
    public string? ApplicationName { get => GetString("Application Name"); set => this["Application Name"] = value!; }

    /// <summary>Seconds to wait while connecting (per attempt), 0 for no limit. Default: 15.</summary>
    public int Timeout { get => GetInt("Timeout", 15); set => this["Timeout"] = value; }

    /// <summary>Seconds a command may run before it is cancelled, 0 for no limit. Default: 30.</summary>
    public int CommandTimeout { get => GetInt("Command Timeout", 30); set => this["Command Timeout"] = value; }

    private bool GetBool(string name, bool fallback)
    {
        string? s = GetString(name);
        if (string.IsNullOrEmpty(s)) return fallback;
        return s.Trim().ToLowerInvariant() switch
        {
            "true" or "yes" or "1" or "on" => true,
            "false" or "no" or "0" or "off" => false,
            _ => throw new ArgumentException($"The connection-string value '{name}={s}' is not true or false."),
        };
    }

    /// <summary>Whether connections come from a pool (default true); false opens a physical connection per Open.</summary>
    public bool Pooling { get => GetBool("Pooling", true); set => this["Pooling"] = value; }

    /// <summary>Connections the pool keeps even when idle (pruning stops there). Default 0.</summary>
    public int MinPoolSize { get => GetInt("Minimum Pool Size", 0); set => this["Minimum Pool Size"] = value; }

    /// <summary>Connections the pool opens at most; further opens wait up to Timeout. Default 100.</summary>
    public int MaxPoolSize { get => GetInt("Maximum Pool Size", 100); set => this["Maximum Pool Size"] = value; }

    /// <summary>Seconds a connection may sit idle in the pool before pruning closes it. Default 300.</summary>
    public int ConnectionIdleLifetime { get => GetInt("Connection Idle Lifetime", 300); set => this["Connection Idle Lifetime"] = value; }

    /// <summary>Seconds between prunes of idle connections. Default 10.</summary>
    public int ConnectionPruningInterval { get => GetInt("Connection Pruning Interval", 10); set => this["Connection Pruning Interval"] = value; }

    /// <summary>Seconds after its opening when a connection is closed on its return to the pool; 0 for no limit. Default 0.</summary>
    public int ConnectionLifetime { get => GetInt("Connection Lifetime", 0); set => this["Connection Lifetime"] = value; }

    /// <summary>When true, a connection returned to the pool keeps its session state (no DISCARD ALL). Default false.</summary>
    public bool NoResetOnClose { get => GetBool("No Reset On Close", false); set => this["No Reset On Close"] = value; }

    /// <summary>Whether and how to use TLS (Disable, Allow, Prefer, Require, VerifyCA, VerifyFull; libpq's spellings
    /// such as verify-full work too). Default: Prefer.</summary>
    public SslMode SslMode { get => ParseEnum("SSL Mode", SslMode.Prefer); set => this["SSL Mode"] = value.ToString(); }

    /// <summary>PEM file of the certificate authorities the server's certificate must chain to.</summary>
    public string? RootCertificate { get => GetString("Root Certificate"); set => this["Root Certificate"] = value!; }

    /// <summary>PEM file of the client certificate (for the cert authentication method, or clientcert=verify-*).</summary>
    public string? SslCertificate { get => GetString("SSL Certificate"); set => this["SSL Certificate"] = value!; }

    /// <summary>PEM file of the client certificate's private key.</summary>
    public string? SslKey { get => GetString("SSL Key"); set => this["SSL Key"] = value!; }

    /// <summary>Password of an encrypted SSL Key.</summary>
    public string? SslPassword { get => GetString("SSL Password"); set => this["SSL Password"] = value!; }

    /// <summary>Disable, Prefer (default) or Require SCRAM channel binding (SCRAM-SHA-256-PLUS over TLS).</summary>
    public ChannelBinding ChannelBinding { get => ParseEnum("Channel Binding", ChannelBinding.Prefer); set => this["Channel Binding"] = value.ToString(); }

    /// <summary>Which kind of server to connect to among several hosts (any, read-write, read-only, primary, standby, prefer-standby). Default any.</summary>
    public TargetSessionAttributes TargetSessionAttributes
    {
        get => ParseEnum("Target Session Attributes", TargetSessionAttributes.Any);
        set => this["Target Session Attributes"] = value.ToString();
    }

    /// <summary>Try the hosts in a random order rather than as listed, spreading connections. Default false.</summary>
    public bool LoadBalanceHosts { get => GetBool("Load Balance Hosts", false); set => this["Load Balance Hosts"] = value; }

    /// <summary>Seconds a host found down (or of the wrong kind) is skipped by later opens of the same data source. Default 10.</summary>
    public int HostRecheckSeconds { get => GetInt("Host Recheck Seconds", 10); set => this["Host Recheck Seconds"] = value; }

    /// <summary>
    /// Milliseconds to wait for the server to stop a cancelled command before the connection is closed as broken;
    /// 0 waits without limit. Default 2000.
    /// </summary>
    public int CancellationTimeout { get => GetInt("Cancellation Timeout", 2000); set => this["Cancellation Timeout"] = value; }

    /// <summary>Seconds of idleness before TCP keepalive probes start; 0 leaves the system default (off). Default 0.</summary>
    public int Keepalive { get => GetInt("Keepalive", 0); set => this["Keepalive"] = value; }

    /// <summary>The session's search_path, set at startup.</summary>
    public string? SearchPath { get => GetString("Search Path"); set => this["Search Path"] = value!; }

    /// <summary>The session's TimeZone, set at startup.</summary>
    public string? Timezone { get => GetString("Timezone"); set => this["Timezone"] = value!; }

    /// <summary>Command-line options for the backend, as libpq's options: <c>-c name=value</c> settings, space-separated.</summary>
    public string? Options { get => GetString("Options"); set => this["Options"] = value!; }

    /// <summary>The password file to read a missing password from. Default: PGPASSFILE, else ~/.pgpass.</summary>
    public string? Passfile { get => GetString("Passfile"); set => this["Passfile"] = value!; }

    /// <summary>
    /// How many statements a connection keeps prepared on the server (named, parsed and planned once) by itself,
    /// least recently used closed first; 0 turns automatic preparation off. Default 100.
    /// </summary>
    public int MaxAutoPrepare { get => GetInt("Max Auto Prepare", 100); set => this["Max Auto Prepare"] = value; }

    /// <summary>How many runs of the same SQL on a connection make it prepared automatically (at least 2). Default 2.</summary>
    public int AutoPrepareMinUsages { get => GetInt("Auto Prepare Min Usages", 2); set => this["Auto Prepare Min Usages"] = value; }

    /// <summary>
    /// False: never create named statements on the server, neither automatically nor through Prepare (which then only
    /// describes). Needed behind PgBouncer in transaction or statement mode, where the next command may run on
    /// another server connection that does not have the statement. Default true.
    /// </summary>
    public bool PreparedStatements { get => GetBool("Prepared Statements", true); set => this["Prepared Statements"] = value; }

    /// <summary>
    /// None (the default), or NoTypeLoading: never read the database's types from pg_type (for servers and proxies
    /// without a full catalog); enums, composites, domains over them, hstore and citext then read as text, and no .NET
    /// type can be mapped. Redshift is accepted as Npgsql spells it and means the same here.
    /// </summary>
    public string ServerCompatibilityMode
    {
        get => TryGetValue("Server Compatibility Mode", out var v) && v is string s && s.Length > 0 ? s : "None";
        set => this["Server Compatibility Mode"] = value;
    }

    private T ParseEnum<T>(string name, T fallback) where T : struct, Enum
    {
        string? s = GetString(name);
        if (string.IsNullOrWhiteSpace(s)) return fallback;
        // libpq spells values with dashes (verify-full, read-write, prefer-standby).
        string squashed = s.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).Trim();
        return Enum.TryParse<T>(squashed, ignoreCase: true, out var value) && Enum.IsDefined(value) && !int.TryParse(squashed, out _)
            ? value
            : throw new ArgumentException(
                $"The connection-string value '{name}={s}' is not one of: {string.Join(", ", Enum.GetNames<T>())}.");
    }
}
