using System.Globalization;

namespace PgWire.Connection;

/// <summary>
/// The password file libpq reads when a connection gives no password (PostgreSQL docs, "The Password File"):
/// lines of <c>hostname:port:database:username:password</c>, first match wins.
/// </summary>
internal static class PgPassFile
{
    private const UnixFileMode GroupOrWorldAccess =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>
    /// One line of the file. A null field is the wildcard <c>*</c>; an escaped <c>\*</c> is a literal star.
    /// </summary>
    internal sealed record Entry(string? Host, string? Port, string? Database, string? Username, string Password);

    /// <summary>PGPASSFILE when set, else <c>~/.pgpass</c> (Unix) or <c>%APPDATA%\postgresql\pgpass.conf</c> (Windows).</summary>
    public static string? DefaultPath() =>
        OperatingSystem.IsWindows()
            ? DefaultPath(Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), windows: true)
            : DefaultPath(Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), windows: false);

    /// <param name="getVariable">Environment lookup (PGPASSFILE).</param>
    /// <param name="userFolder">The home directory on Unix, the roaming application-data folder on Windows.</param>
    /// <param name="windows">Which of the two default locations applies.</param>
    internal static string? DefaultPath(Func<string, string?> getVariable, string? userFolder, bool windows)
    {
        string? configured = getVariable("PGPASSFILE");
        if (!string.IsNullOrEmpty(configured)) return configured;
        if (string.IsNullOrEmpty(userFolder)) return null;
        return windows
            ? userFolder.TrimEnd('\\', '/') + @"\postgresql\pgpass.conf"
            : userFolder.TrimEnd('/') + "/.pgpass";
    }

    /// <summary>
    /// The password of the first entry in the file at <paramref name="path"/> that matches, or null when none does or
    /// the file is missing, unreadable, not a plain file, or (on Unix) open to group or others, as libpq does;
    /// <paramref name="warn"/> is told why an existing file was ignored.
    /// </summary>
    public static string? FindPassword(string path, string host, int port, string database, string user, Action<string>? warn = null)
    {
        if (string.IsNullOrEmpty(path)) return null;
        bool unix = !OperatingSystem.IsWindows();
        if (Directory.Exists(path))
        {
            if (unix) warn?.Invoke($"password file \"{path}\" is not a plain file");
            return null;
        }
        if (!File.Exists(path)) return null;

        string text;
        try
        {
            // Check the mode on the open handle, so the file we read is the file we checked.
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            if (unix && (File.GetUnixFileMode(handle) & GroupOrWorldAccess) != 0)
            {
                warn?.Invoke($"password file \"{path}\" has group or world access; permissions should be u=rw (0600) or less");
                return null;
            }
            using var stream = new FileStream(handle, FileAccess.Read);
            using var reader = new StreamReader(stream);
            text = reader.ReadToEnd();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        return FirstMatch(Parse(text), host, port, database, user);
    }

    /// <summary>The password of the first entry that matches, or null.</summary>
    public static string? FirstMatch(IEnumerable<Entry> entries, string host, int port, string database, string user)
    {
        // libpq does not search the file without a database and user name.
        if (string.IsNullOrEmpty(database) || string.IsNullOrEmpty(user)) return null;
        foreach (var entry in entries)
            if (Matches(entry, host, port, database, user))
                return entry.Password;
        return null;
    }

    /// <summary>
    /// Whether <paramref name="entry"/> applies to a connection. Fields compare exactly (case matters); a host that is a
    /// Unix-socket directory (or no host) also matches the field <c>localhost</c>, which is how libpq names socket connections.
    /// </summary>
    public static bool Matches(Entry entry, string host, int port, string database, string user)
    {
        if (string.IsNullOrEmpty(host)) host = "localhost";
        bool hostMatches = entry.Host is null || entry.Host == host || (host.StartsWith('/') && entry.Host == "localhost");
        return hostMatches &&
               (entry.Port is null || entry.Port == port.ToString(CultureInfo.InvariantCulture)) &&
               (entry.Database is null || entry.Database == database) &&
               (entry.Username is null || entry.Username == user);
    }

    /// <summary>
    /// The entries of a password file's text. Comments (<c>#</c> in the first column), empty lines and lines with fewer
    /// than five fields are skipped. A backslash makes the next character literal, in the fields and the password alike;
    /// an unescaped colon after the password ends it, as in libpq.
    /// </summary>
    public static IReadOnlyList<Entry> Parse(string text)
    {
        var entries = new List<Entry>();
        foreach (var rawLine in text.Split('\n'))
        {
            string line = rawLine.TrimEnd('\r');
            if (line.Length == 0 || line[0] == '#') continue;
            var entry = ParseLine(line);
            if (entry is not null) entries.Add(entry);
        }
        return entries;
    }

    private static Entry? ParseLine(string line)
    {
        var fields = new string?[4];
        var value = new System.Text.StringBuilder();
        bool anyEscape = false;
        int field = 0;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (c == '\\' && i + 1 < line.Length)
            {
                value.Append(line[++i]);
                anyEscape = true;
                continue;
            }
            if (c == ':')
            {
                if (field == 4) break; // the password ends at an unescaped colon; the rest is ignored
                string s = value.ToString();
                fields[field++] = s == "*" && !anyEscape ? null : s;
                value.Clear();
                anyEscape = false;
                continue;
            }
            value.Append(c);
        }
        return field < 4 ? null : new Entry(fields[0], fields[1], fields[2], fields[3], value.ToString());
    }
}
