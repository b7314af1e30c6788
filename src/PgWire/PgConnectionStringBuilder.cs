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
        // Npgsql 10's keywords, with the aliases Npgsql accepts (its property names among them), then PgWire's own
        // and libpq's spellings. Squash ignores spaces, so "SSLMode" and "SSL Mode" are one keyword already.
        // Basic connection
        Keyword("Host", "Server");
        Keyword("Port");
        Keyword("Database", "DB");
        Keyword("Username", "User Name", "User Id", "User", "UID");
        Keyword("Password", "PSW", "PWD");
        Keyword("Passfile", "PassFile");
        // Security and encryption
        Keyword("SSL Mode", "SSLMode");
        Keyword("SSL Negotiation", "SslNegotiation", "sslnegotiation");
        Keyword("GSS Encryption Mode", "GssEncryptionMode", "gssencmode");
        Keyword("Trust Server Certificate", "TrustServerCertificate");
        Keyword("Root Certificate", "RootCertificate", "SSL Root Certificate", "sslrootcert");
        Keyword("SSL Certificate", "SSLCertificate", "sslcert");
        Keyword("SSL Key", "SSLKey", "sslkey");
        Keyword("SSL Password", "SSLPassword", "sslpassword");
        Keyword("Check Certificate Revocation", "CheckCertificateRevocation");
        Keyword("Channel Binding", "ChannelBinding", "channel_binding");
        Keyword("Require Auth", "RequireAuth", "require_auth");
        Keyword("Persist Security Info", "PersistSecurityInfo");
        Keyword("Kerberos Service Name", "KerberosServiceName", "Krbsrvname");
        Keyword("Include Realm", "IncludeRealm");
        Keyword("Include Error Detail", "IncludeErrorDetail");
        Keyword("Log Parameters", "LogParameters");
        // Pooling
        Keyword("Pooling");
        Keyword("Minimum Pool Size", "MinPoolSize", "Min Pool Size");
        Keyword("Maximum Pool Size", "MaxPoolSize", "Max Pool Size");
        Keyword("Connection Idle Lifetime", "ConnectionIdleLifetime");
        Keyword("Connection Pruning Interval", "ConnectionPruningInterval");
        Keyword("Connection Lifetime", "ConnectionLifetime", "Load Balance Timeout");
        // Timeouts and keepalive
        Keyword("Timeout", "Connect Timeout", "Connection Timeout");
        Keyword("Command Timeout");
        Keyword("Cancellation Timeout", "CancellationTimeout");
        Keyword("Keepalive", "Tcp Keepalive Time", "keepalives_idle");
        Keyword("Tcp Keepalive", "TcpKeepAlive");
        Keyword("Tcp Keepalive Interval", "TcpKeepAliveInterval", "keepalives_interval");
        Keyword("Internal Command Timeout", "InternalCommandTimeout");
        // Performance
        Keyword("Max Auto Prepare", "MaxAutoPrepare");
        Keyword("Auto Prepare Min Usages", "AutoPrepareMinUsages");
        Keyword("Prepared Statements", "PreparedStatements");
        Keyword("Read Buffer Size", "ReadBufferSize");
        Keyword("Write Buffer Size", "WriteBufferSize");
        Keyword("Socket Receive Buffer Size", "SocketReceiveBufferSize");
        Keyword("Socket Send Buffer Size", "SocketSendBufferSize");
        Keyword("No Reset On Close", "NoResetOnClose");
        // Failover and load balancing
        Keyword("Target Session Attributes", "TargetSessionAttributes", "target_session_attrs");
        Keyword("Load Balance Hosts", "LoadBalanceHosts", "load_balance_hosts");
        Keyword("Host Recheck Seconds", "HostRecheckSeconds");
        // Misc
        Keyword("Options");
        Keyword("Application Name");
        Keyword("Enlist");
        Keyword("Search Path", "SearchPath");
        Keyword("Client Encoding", "ClientEncoding", "client_encoding");
        Keyword("Encoding");
        Keyword("Timezone", "TimeZone");
        Keyword("Array Nullability Mode", "ArrayNullabilityMode");
        Keyword("Multiplexing");
        Keyword("Write Coalescing Buffer Threshold Bytes", "WriteCoalescingBufferThresholdBytes");
        // Compatibility, and what Npgsql keeps only so that old connection strings still open
        Keyword("Server Compatibility Mode", "ServerCompatibilityMode");
        Keyword("Load Table Composites", "LoadTableComposites");
    }

    private static string Squash(string keyword) => keyword.Replace(" ", "", StringComparison.Ordinal);

    public PgConnectionStringBuilder() { }

    public PgConnectionStringBuilder(string? connectionString)
    {
        if (connectionString is null) return;
        if (connectionString.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) ||
            connectionString.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase))
        {
            PgConnectionUri.Apply(connectionString, this);
            return;
        }
        _parsing = connectionString;
        try
        {
            ConnectionString = connectionString;
        }
        finally
        {
            _parsing = null;
        }
    }

    /// <summary>
    /// The connection string being parsed: the base class hands keywords over lower-cased, and an error should name
    /// the keyword as the user wrote it.
    /// </summary>
    private string? _parsing;

    /// <summary>Accepts any spelling Npgsql accepts; an unknown keyword is an error rather than silently ignored.</summary>
    [System.Diagnostics.CodeAnalysis.AllowNull]
    public override object this[string keyword]
    {
        get => base[CanonicalName(keyword)];
        set
        {
            string name = Canonical.TryGetValue(Squash(keyword ?? throw new ArgumentNullException(nameof(keyword))), out var known)
                ? known
                : throw UnknownKeyword(AsWritten(keyword, _parsing));
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
            : throw UnknownKeyword(keyword);

    /// <summary>The keyword with the letter case it has in <paramref name="text"/>, where it was written.</summary>
    private static string AsWritten(string keyword, string? text)
    {
        int at = text?.IndexOf(keyword, StringComparison.OrdinalIgnoreCase) ?? -1;
        return at >= 0 ? text!.Substring(at, keyword.Length) : keyword;
    }

    /// <summary>A keyword neither PgWire nor Npgsql knows: named, with the nearest known one when there is one near.</summary>
    private static ArgumentException UnknownKeyword(string keyword)
    {
        string? nearest = KeywordSuggestion.Nearest(keyword, Canonical);
        return new ArgumentException(
            $"Unknown connection string keyword '{keyword}'." +
            (nearest is null ? " PgWire's README lists the keywords it accepts." : $" Did you mean '{nearest}'?"),
            nameof(keyword));
    }

    /// <summary>The canonical name of every keyword PgWire accepts (the names its connection strings are written with).</summary>
    internal static IEnumerable<string> CanonicalKeywords => Canonical.Values.Distinct(StringComparer.Ordinal);

    internal string? GetString(string name) => base.TryGetValue(name, out var v) ? Convert.ToString(v, CultureInfo.InvariantCulture) : null;

    internal int GetInt(string name, int fallback)
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

    internal bool GetBool(string name, bool fallback)
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
    /// 0 waits without limit, -1 does not wait (the connection is closed right after the cancel is sent). Default 2000.
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

    /// <summary>
    /// When true, the server's Detail of an error or notice (which can hold row values: a unique violation names the
    /// duplicate key) is kept on <see cref="PgServerException.Detail"/> and <see cref="PgNotice.Detail"/> and shown in the
    /// exception's message, and parameter values may appear in exception messages. When false (the default) Detail
    /// holds a placeholder saying it was withheld. As Npgsql's keyword of the same name.
    /// </summary>
    public bool IncludeErrorDetail { get => GetBool("Include Error Detail", false); set => this["Include Error Detail"] = value; }

    /// <summary>
    /// When true, parameter values may appear in exception messages (a value that does not fit its type names the
    /// value). PgWire writes no log, so this is all it does; Include Error Detail allows the same. Default false.
    /// </summary>
    public bool LogParameters { get => GetBool("Log Parameters", false); set => this["Log Parameters"] = value; }

    /// <summary>
    /// With SSL Mode=Require (or Prefer, Allow), true skips checking the server's certificate even when a root
    /// certificate file is present (which otherwise makes Require check the chain, as libpq does). Refused with
    /// VerifyCA and VerifyFull, whose point is the check. Default false.
    /// </summary>
    public bool TrustServerCertificate { get => GetBool("Trust Server Certificate", false); set => this["Trust Server Certificate"] = value; }

    /// <summary>When the server's certificate is checked, also check that no certificate of its chain was revoked (online). Default false.</summary>
    public bool CheckCertificateRevocation { get => GetBool("Check Certificate Revocation", false); set => this["Check Certificate Revocation"] = value; }

    /// <summary>
    /// The authentication methods the server may ask for, comma-separated (Password, MD5, ScramSHA256, GSS, SSPI, None,
    /// or libpq's spellings such as scram-sha-256), or the ones it may not, each prefixed with '!'. Any other request
    /// fails the open. Default: any method PgWire supports.
    /// </summary>
    public string? RequireAuth { get => GetString("Require Auth"); set => this["Require Auth"] = value!; }

    /// <summary>
    /// When false (the default), <see cref="PgConnection.ConnectionString"/> leaves the password out once the connection
    /// has been opened, so code that shows or logs the connection string does not show the password.
    /// </summary>
    public bool PersistSecurityInfo { get => GetBool("Persist Security Info", false); set => this["Persist Security Info"] = value; }

    /// <summary>TCP keepalive with the system's timings (Keepalive and Tcp Keepalive Interval override them). Default false.</summary>
    public bool TcpKeepalive { get => GetBool("Tcp Keepalive", false); set => this["Tcp Keepalive"] = value; }

    /// <summary>Seconds between TCP keepalive probes that go unanswered; needs Keepalive. 0 (the default) keeps PgWire's choice.</summary>
    public int TcpKeepaliveInterval { get => GetInt("Tcp Keepalive Interval", 0); set => this["Tcp Keepalive Interval"] = value; }

    /// <summary>Bytes of the buffer messages are read into (it grows for a larger message, and shrinks back). Default 8192.</summary>
    public int ReadBufferSize { get => GetInt("Read Buffer Size", 8192); set => this["Read Buffer Size"] = value; }

    /// <summary>Bytes of the buffer messages are written into before they go out (it grows for a larger write, and shrinks back). Default 8192.</summary>
    public int WriteBufferSize { get => GetInt("Write Buffer Size", 8192); set => this["Write Buffer Size"] = value; }

    /// <summary>The socket's receive buffer (SO_RCVBUF) in bytes; 0 (the default) leaves the system's.</summary>
    public int SocketReceiveBufferSize { get => GetInt("Socket Receive Buffer Size", 0); set => this["Socket Receive Buffer Size"] = value; }

    /// <summary>The socket's send buffer (SO_SNDBUF) in bytes; 0 (the default) leaves the system's.</summary>
    public int SocketSendBufferSize { get => GetInt("Socket Send Buffer Size", 0); set => this["Socket Send Buffer Size"] = value; }

    /// <summary>
    /// Enlisting in an ambient System.Transactions TransactionScope. PgWire does not enlist yet: false is accepted,
    /// true refused when the connection string is used. Default false.
    /// </summary>
    public bool Enlist { get => GetBool("Enlist", false); set => this["Enlist"] = value; }

    /// <summary>The session's client_encoding. PgWire always speaks UTF8: UTF8 (or UNICODE) is accepted, anything else refused.</summary>
    public string? ClientEncoding { get => GetString("Client Encoding"); set => this["Client Encoding"] = value!; }

    /// <summary>The .NET encoding of strings. PgWire always uses UTF-8: UTF8 (or UTF-8, UNICODE) is accepted, anything else refused.</summary>
    public string Encoding
    {
        get => GetString("Encoding") is { Length: > 0 } s ? s : "UTF8";
        set => this["Encoding"] = value;
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

    /// <summary>The connection string without its password (what an opened connection shows, unless Persist Security Info).</summary>
    internal static string WithoutPassword(string connectionString)
    {
        var builder = new PgConnectionStringBuilder(connectionString);
        return builder.Remove("Password") ? builder.ConnectionString : connectionString;
    }
}
