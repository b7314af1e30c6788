using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PgWire.LocalServer;

/// <summary>
/// Writes postgresql.conf and pg_hba.conf. Each file is built from plain data (a settings dictionary, a list of
/// lines) so later features (TLS, a streaming standby) only add entries.
/// </summary>
internal static partial class ServerConfig
{
    public const string Host = "127.0.0.1";

    /// <summary>
    /// A second loopback address a TLS cluster also listens on, which its certificate does not name, so a client
    /// that checks host names has something to refuse. Linux routes all of 127.0.0.0/8 to the loopback; other
    /// systems need an alias, so there the cluster does without it.
    /// </summary>
    public const string UncertifiedHost = "127.0.0.2";

    public static bool HasUncertifiedHost => OperatingSystem.IsLinux();

    /// <summary>Settings that make a throwaway test cluster fast and roomy; durability is worth nothing here.</summary>
    public static Dictionary<string, string> DefaultSettings(int port, string socketDirectory) => new(StringComparer.OrdinalIgnoreCase)
    {
        ["listen_addresses"] = Host,
        ["port"] = port.ToString(CultureInfo.InvariantCulture),
        ["unix_socket_directories"] = socketDirectory,
        ["fsync"] = "off",
        ["synchronous_commit"] = "off",
        ["full_page_writes"] = "off",
        ["max_connections"] = "200",
        ["shared_buffers"] = "128MB",
        ["log_min_messages"] = "warning",
    };

    /// <summary>TLS with the files <see cref="LocalPostgresCertificates.Create"/> put in the data directory.</summary>
    public static Dictionary<string, string> TlsSettings() => new(StringComparer.OrdinalIgnoreCase)
    {
        ["listen_addresses"] = HasUncertifiedHost ? Host + "," + UncertifiedHost : Host,
        ["ssl"] = "on",
        // Relative to the data directory, so a standby made by pg_basebackup finds its copies.
        ["ssl_cert_file"] = LocalPostgresCertificates.ServerCertificateName,
        ["ssl_key_file"] = LocalPostgresCertificates.ServerKeyName,
        ["ssl_ca_file"] = LocalPostgresCertificates.ClientAuthorityName,
    };

    /// <summary>
    /// initdb's own file, then our settings appended: the last occurrence of a setting wins, and rewriting from
    /// the original keeps a port retry from piling up blocks.
    /// </summary>
    public static void WritePostgresqlConf(string path, string initdbContents, IEnumerable<KeyValuePair<string, string>> settings)
    {
        var text = new StringBuilder(initdbContents);
        text.Append("\n# Added by PgWire.LocalServer\n");
        foreach (var (name, value) in settings)
            text.Append(name).Append(" = ").Append(Quote(name, value)).Append('\n');
        // Truncating rather than replacing keeps the file's owner (the cluster user, when we run as root).
        File.WriteAllText(path, text.ToString());
    }

    public static void WritePgHba(string path, IEnumerable<string> lines) =>
        File.WriteAllText(path, "# TYPE  DATABASE  USER  [ADDRESS]  METHOD\n" + string.Join('\n', lines) + "\n");

    /// <summary>
    /// One host and one local line per role, with the role's method, so every authentication method is reachable
    /// over both transports (a <c>host</c> line matches with and without TLS); roles a test creates later fall
    /// through to SCRAM. The TLS-only roles get <c>hostssl</c> lines when <paramref name="tls"/> is on and are
    /// rejected otherwise (a hostssl line is an error in a cluster without TLS).
    /// </summary>
    public static IEnumerable<string> DefaultHbaLines(bool tls)
    {
        // The fixture's own admin access (psql over the socket) must never need a password; the same for
        // pg_basebackup of a standby, which connects for replication, a separate pg_hba database.
        yield return $"local all {LocalPostgresRoles.SuperuserName} trust";
        yield return $"local replication {LocalPostgresRoles.SuperuserName} trust";
        yield return $"host  all {LocalPostgresRoles.SuperuserName} {Host}/32 scram-sha-256";
        foreach (var role in LocalPostgresRoles.All.Where(r => r != LocalPostgresRole.Superuser))
        {
            var name = LocalPostgresRoles.UserName(role);
            if (role is LocalPostgresRole.Cert or LocalPostgresRole.ScramTls)
            {
                if (tls)
                {
                    yield return $"hostssl   all {name} {Host}/32 {LocalPostgresRoles.HostAuthMethod(role)}";
                    yield return $"hostnossl all {name} {Host}/32 reject";
                }
                else
                {
                    yield return $"host  all {name} {Host}/32 reject";
                }
                yield return $"local all {name} reject";
                continue;
            }
            var method = LocalPostgresRoles.HostAuthMethod(role);
            yield return $"host  all {name} {Host}/32 {method}";
            yield return $"local all {name} {method}";
        }
        yield return $"host  all all {Host}/32 scram-sha-256";
        // The uncertified address exists for host-name checks; a client that skips them gets in with a password.
        if (tls && HasUncertifiedHost)
            yield return $"host  all all {UncertifiedHost}/32 scram-sha-256";
        yield return "local all all scram-sha-256";
    }

    public static void Validate(string name, string value)
    {
        if (!SettingName().IsMatch(name))
            throw new ArgumentException($"'{name}' is not a PostgreSQL setting name.", nameof(LocalPostgresOptions.ServerSettings));
        if (value.Contains('\n') || value.Contains('\r'))
            throw new ArgumentException($"The value of setting '{name}' contains a line break.", nameof(LocalPostgresOptions.ServerSettings));
    }

    /// <summary>Every value quoted: postgresql.conf accepts that for any type, and it keeps paths and lists intact.</summary>
    private static string Quote(string name, string value)
    {
        Validate(name, value);
        return "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.]*$")]
    private static partial Regex SettingName();
}
