namespace PgWire;

/// <summary>Reads <c>postgresql://[user[:password]@][host][:port][/database][?param=value&amp;...]</c> (libpq's URI form).</summary>
internal static class PgConnectionUri
{
    public static void Apply(string uri, PgConnectionStringBuilder builder)
    {
        int schemeEnd = uri.IndexOf("://", StringComparison.Ordinal) + 3;
        string rest = uri[schemeEnd..];
        string? query = null;
        int q = rest.IndexOf('?');
        if (q >= 0)
        {
            query = rest[(q + 1)..];
            rest = rest[..q];
        }
        string? path = null;
        int slash = rest.IndexOf('/');
        if (slash >= 0)
        {
            path = rest[(slash + 1)..];
            rest = rest[..slash];
        }
        int at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            string userInfo = rest[..at];
            rest = rest[(at + 1)..];
            int colon = userInfo.IndexOf(':');
            builder.Username = Decode(colon >= 0 ? userInfo[..colon] : userInfo);
            if (colon >= 0) builder.Password = Decode(userInfo[(colon + 1)..]);
        }
        if (rest.Length > 0)
        {
            string host = rest;
            if (host.StartsWith('['))
            {
                int close = host.IndexOf(']');
                if (close < 0) throw new ArgumentException($"The connection URI has an unterminated IPv6 address: {uri}");
                string port = host[(close + 1)..];
                host = host[1..close];
                if (port.StartsWith(':')) builder["Port"] = port[1..];
            }
            else
            {
                int colon = host.LastIndexOf(':');
                if (colon >= 0)
                {
                    builder["Port"] = host[(colon + 1)..];
                    host = host[..colon];
                }
            }
            builder.Host = Decode(host);
        }
        if (!string.IsNullOrEmpty(path)) builder.Database = Decode(path);
        if (query is null) return;
        foreach (string pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=');
            if (eq < 0) throw new ArgumentException($"The connection URI parameter '{pair}' has no value.");
            string key = Decode(pair[..eq]);
            string value = Decode(pair[(eq + 1)..]);
            string keyword = key switch
            {
                "host" => "Host",
                "port" => "Port",
                "dbname" => "Database",
                "user" => "Username",
                "password" => "Password",
                "application_name" => "Application Name",
                "connect_timeout" => "Timeout",
                "sslmode" => "SSL Mode",
                "sslrootcert" => "Root Certificate",
                "sslcert" => "SSL Certificate",
                "sslkey" => "SSL Key",
                "sslpassword" => "SSL Password",
                "channel_binding" => "Channel Binding",
                "target_session_attrs" => "Target Session Attributes",
                "load_balance_hosts" => "Load Balance Hosts",
                "keepalives_idle" => "Keepalive",
                "options" => "Options",
                "passfile" => "Passfile",
                _ => throw new ArgumentException($"The connection URI parameter '{key}' is not supported by PgWire."),
            };
            builder[keyword] = value;
        }
    }

    private static string Decode(string s) => Uri.UnescapeDataString(s);
}
