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
    /// over both transports; roles a test creates later fall through to SCRAM.
    /// </summary>
    public static IEnumerable<string> DefaultHbaLines()
    {
        // The fixture's own admin access (psql over the socket) must never need a password.
        yield return $"local all {LocalPostgresRoles.SuperuserName} trust";
        yield return $"host  all {LocalPostgresRoles.SuperuserName} {Host}/32 scram-sha-256";
        foreach (var role in LocalPostgresRoles.All.Where(r => r != LocalPostgresRole.Superuser))
        {
            var name = LocalPostgresRoles.UserName(role);
            var method = LocalPostgresRoles.HostAuthMethod(role);
            yield return $"host  all {name} {Host}/32 {method}";
            yield return $"local all {name} {method}";
        }
        yield return $"host  all all {Host}/32 scram-sha-256";
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
