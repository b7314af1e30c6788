namespace PgWire.Connection;

/// <summary>One server a connection may go to: a host name or address and port, or a folder holding a Unix socket.</summary>
internal sealed record PgHost(string Name, int Port)
{
    /// <summary>True when <see cref="Name"/> names a folder holding a Unix-domain socket.</summary>
    public bool IsUnixSocket => Name.StartsWith('/') || Name.StartsWith('@');

    /// <summary>The socket file of a Unix-socket host.</summary>
    public string SocketPath => Path.Combine(Name, $".s.PGSQL.{Port}");

    /// <summary>Where this is, for messages: host:port, [v6]:port or the socket file.</summary>
    public override string ToString() =>
        IsUnixSocket ? SocketPath : Name.Contains(':') ? $"[{Name}]:{Port}" : $"{Name}:{Port}";

    /// <summary>
    /// Reads the Host keyword's comma-separated list: <c>a</c>, <c>b:5433</c>, <c>[::1]:5433</c>, <c>::1</c>, <c>/var/run/postgresql</c>.
    /// A host without a port takes the matching entry of the Port list (libpq allows one port per host) or its only entry.
    /// </summary>
    public static IReadOnlyList<PgHost> ParseList(string hosts, string ports)
    {
        var names = hosts.Split(',', StringSplitOptions.TrimEntries);
        var portList = ports.Split(',', StringSplitOptions.TrimEntries);
        if (portList.Length != 1 && portList.Length != names.Length)
            throw new ArgumentException($"Port lists {portList.Length} ports for {names.Length} hosts; give one port, or one per host.");
        var result = new List<PgHost>(names.Length);
        for (int i = 0; i < names.Length; i++)
        {
            string entry = names[i].Length == 0 ? "localhost" : names[i];
            string defaultPort = portList.Length == 1 ? portList[0] : portList[i];
            string name = entry;
            string? port = null;
            if (entry.StartsWith('['))
            {
                int close = entry.IndexOf(']');
                if (close < 0) throw new ArgumentException($"The host \"{entry}\" has an unterminated IPv6 address.");
                name = entry[1..close];
                string rest = entry[(close + 1)..];
                if (rest.StartsWith(':')) port = rest[1..];
                else if (rest.Length > 0) throw new ArgumentException($"The host \"{entry}\" is not host, host:port or [address]:port.");
            }
            else if (!entry.StartsWith('/') && !entry.StartsWith('@') && entry.Count(c => c == ':') == 1)
            {
                int colon = entry.IndexOf(':');
                name = entry[..colon];
                port = entry[(colon + 1)..];
            }
            result.Add(new PgHost(name, ParsePort(port ?? defaultPort, entry)));
        }
        return result;
    }

    private static int ParsePort(string text, string host)
    {
        if (text.Length == 0) return 5432;
        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int port) ||
            port is <= 0 or > 65535)
            throw new ArgumentException($"Port \"{text}\" (for host \"{host}\") is not a TCP port number.");
        return port;
    }
}
