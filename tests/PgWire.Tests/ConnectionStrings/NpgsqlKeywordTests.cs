using PgWire.Connection;

namespace PgWire.Tests.ConnectionStrings;

/// <summary>
/// Every keyword Npgsql 10 documents, under every spelling Npgsql accepts, opens a PgWire connection string: honoured,
/// or checked and without effect. A value asking for what PgWire cannot do is refused with a message that says so,
/// and a keyword neither driver knows is named with the nearest known one. No server: the settings are read as a
/// connection does before it connects.
/// </summary>
public sealed class NpgsqlKeywordTests
{
    private static ConnectorSettings Settings(string connectionString) =>
        ConnectorSettings.From(new PgConnectionStringBuilder(connectionString), _ => null);

    /// <summary>Npgsql 10's keywords and aliases (its connection-string page and NpgsqlConnectionStringBuilder), each with a value Npgsql accepts.</summary>
    public static TheoryData<string, string> NpgsqlKeywords => new()
    {
        // Basic connection
        { "Host", "db.example.com" }, { "Server", "db.example.com" }, { "Port", "5433" },
        { "Database", "app" }, { "DB", "app" },
        { "Username", "app" }, { "User Name", "app" }, { "UserId", "app" }, { "User Id", "app" }, { "UID", "app" },
        { "Password", "secret" }, { "PSW", "secret" }, { "PWD", "secret" },
        { "Passfile", "/nonexistent/pgpass" },
        // Security and encryption
        { "SSL Mode", "Require" }, { "SslMode", "VerifyFull" },
        { "SSL Negotiation", "Postgres" }, { "SslNegotiation", "postgres" },
        { "GSS Encryption Mode", "Prefer" }, { "GssEncryptionMode", "Disable" },
        { "Trust Server Certificate", "true" }, { "TrustServerCertificate", "false" },
        { "SSL Certificate", "/nonexistent/client.crt" }, { "SslCertificate", "/nonexistent/client.crt" },
        { "SSL Key", "/nonexistent/client.key" }, { "SslKey", "/nonexistent/client.key" },
        { "SSL Password", "keypass" }, { "SslPassword", "keypass" },
        { "Root Certificate", "/nonexistent/ca.crt" }, { "RootCertificate", "/nonexistent/ca.crt" },
        { "Check Certificate Revocation", "true" }, { "CheckCertificateRevocation", "false" },
        { "Channel Binding", "Prefer" }, { "ChannelBinding", "Disable" },
        { "Require Auth", "ScramSHA256,MD5" }, { "RequireAuth", "!Password" },
        { "Persist Security Info", "true" }, { "PersistSecurityInfo", "false" },
        { "Kerberos Service Name", "postgres" }, { "KerberosServiceName", "pg" }, { "Krbsrvname", "pg" },
        { "Include Realm", "true" }, { "IncludeRealm", "false" },
        { "Include Error Detail", "true" }, { "IncludeErrorDetail", "false" },
        { "Log Parameters", "true" }, { "LogParameters", "false" },
        // Pooling
        { "Pooling", "false" },
        { "Minimum Pool Size", "1" }, { "MinPoolSize", "1" },
        { "Maximum Pool Size", "20" }, { "MaxPoolSize", "20" },
        { "Connection Idle Lifetime", "60" }, { "ConnectionIdleLifetime", "60" },
        { "Connection Pruning Interval", "5" }, { "ConnectionPruningInterval", "5" },
        { "Connection Lifetime", "3600" }, { "ConnectionLifetime", "3600" }, { "Load Balance Timeout", "3600" },
        // Timeouts and keepalive
        { "Timeout", "20" }, { "Command Timeout", "60" }, { "CommandTimeout", "60" },
        { "Cancellation Timeout", "-1" }, { "CancellationTimeout", "0" },
        { "Keepalive", "30" }, { "KeepAlive", "30" },
        { "Tcp Keepalive", "true" }, { "TCP Keepalive", "true" }, { "TcpKeepAlive", "true" },
        { "Tcp Keepalive Time", "30" }, { "TcpKeepAliveTime", "30" },
        { "Internal Command Timeout", "-1" }, { "InternalCommandTimeout", "0" },
        // Performance
        { "Max Auto Prepare", "20" }, { "MaxAutoPrepare", "0" },
        { "Auto Prepare Min Usages", "5" }, { "AutoPrepareMinUsages", "5" },
        { "Read Buffer Size", "65536" }, { "ReadBufferSize", "16384" },
        { "Write Buffer Size", "65536" }, { "WriteBufferSize", "16384" },
        { "Socket Receive Buffer Size", "131072" }, { "SocketReceiveBufferSize", "131072" },
        { "Socket Send Buffer Size", "131072" }, { "SocketSendBufferSize", "131072" },
        { "No Reset On Close", "true" }, { "NoResetOnClose", "true" },
        // Failover and load balancing
        { "Target Session Attributes", "read-write" }, { "TargetSessionAttributes", "any" },
        { "Load Balance Hosts", "true" }, { "LoadBalanceHosts", "true" },
        { "Host Recheck Seconds", "30" }, { "HostRecheckSeconds", "30" },
        // Misc
        { "Options", "-c statement_timeout=5000" },
        { "Application Name", "billing" }, { "ApplicationName", "billing" },
        { "Enlist", "false" },
        { "Search Path", "app,public" }, { "SearchPath", "app,public" },
        { "Client Encoding", "UTF8" }, { "ClientEncoding", "UNICODE" },
        { "Encoding", "UTF8" },
        { "Timezone", "Europe/Berlin" },
        { "Array Nullability Mode", "PerInstance" }, { "ArrayNullabilityMode", "Never" },
        { "Multiplexing", "true" },
        { "Write Coalescing Buffer Threshold Bytes", "1000" }, { "WriteCoalescingBufferThresholdBytes", "1000" },
        // Compatibility and obsolete
        { "Server Compatibility Mode", "Redshift" }, { "ServerCompatibilityMode", "NoTypeLoading" },
        { "Load Table Composites", "true" }, { "LoadTableComposites", "false" },
    };

    [Theory]
    [MemberData(nameof(NpgsqlKeywords))]
    public void Every_Npgsql_keyword_and_alias_is_accepted_and_read_into_the_settings(string keyword, string value)
    {
        var builder = new PgConnectionStringBuilder($"Host=localhost;{keyword}={value}");

        Assert.True(builder.ContainsKey(keyword));
        Assert.Equal(value, builder[keyword]);
        ConnectorSettings.From(builder, _ => null);
    }

    [Fact]
    public void Tcp_Keepalive_Interval_is_accepted_beside_Keepalive_under_both_spellings()
    {
        Assert.Equal(5, Settings("Keepalive=30;Tcp Keepalive Interval=5").TcpKeepaliveIntervalSeconds);
        Assert.Equal(7, Settings("Tcp Keepalive Time=30;TcpKeepAliveInterval=7").TcpKeepaliveIntervalSeconds);
    }

    [Theory]
    [InlineData("UserId", "Username")]
    [InlineData("PWD", "Password")]
    [InlineData("Krbsrvname", "Kerberos Service Name")]
    [InlineData("Load Balance Timeout", "Connection Lifetime")]
    [InlineData("TcpKeepAlive", "Tcp Keepalive")]
    [InlineData("TCP KEEPALIVE INTERVAL", "Tcp Keepalive Interval")]
    [InlineData("includeerrordetail", "Include Error Detail")]
    public void An_alias_is_written_back_under_the_canonical_keyword(string alias, string canonical)
    {
        var builder = new PgConnectionStringBuilder($"{alias}=1");

        Assert.Equal($"{canonical}=1", builder.ConnectionString);
    }

    [Fact]
    public void The_honoured_keywords_reach_the_settings_the_connection_uses()
    {
        var settings = Settings(
            "Include Error Detail=true;Trust Server Certificate=true;SSL Mode=Require;Check Certificate Revocation=true;" +
            "Require Auth=ScramSHA256;Persist Security Info=true;Tcp Keepalive=true;Read Buffer Size=32768;" +
            "Write Buffer Size=16384;Socket Receive Buffer Size=65536;Socket Send Buffer Size=32768;Cancellation Timeout=-1");

        Assert.True(settings.IncludeErrorDetail);
        Assert.True(settings.ParameterValuesInErrors);
        Assert.True(settings.TrustServerCertificate);
        Assert.True(settings.CheckCertificateRevocation);
        Assert.Equal(AuthenticationMethods.ScramSha256, settings.AllowedAuthentication);
        Assert.True(settings.PersistSecurityInfo);
        Assert.True(settings.TcpKeepalive);
        Assert.Equal(32768, settings.ReadBufferSize);
        Assert.Equal(16384, settings.WriteBufferSize);
        Assert.Equal(65536, settings.SocketReceiveBufferSize);
        Assert.Equal(32768, settings.SocketSendBufferSize);
        Assert.Equal(-1, settings.CancellationTimeoutMilliseconds);
    }

    [Fact]
    public void Without_the_keywords_details_and_parameter_values_stay_out_and_every_authentication_method_is_allowed()
    {
        var settings = Settings("Host=localhost");

        Assert.False(settings.IncludeErrorDetail);
        Assert.False(settings.ParameterValuesInErrors);
        Assert.False(settings.PersistSecurityInfo);
        Assert.Equal(AuthenticationMethods.All, settings.AllowedAuthentication);
        Assert.Equal(8192, settings.ReadBufferSize);
        Assert.Equal(8192, settings.WriteBufferSize);
    }

    [Fact]
    public void Log_Parameters_allows_parameter_values_in_messages_but_keeps_the_servers_detail_withheld()
    {
        var settings = Settings("Log Parameters=true");

        Assert.True(settings.ParameterValuesInErrors);
        Assert.False(settings.IncludeErrorDetail);
    }

    [Fact]
    public void The_typed_properties_read_and_write_the_new_keywords()
    {
        var builder = new PgConnectionStringBuilder
        {
            IncludeErrorDetail = true,
            LogParameters = true,
            TrustServerCertificate = true,
            CheckCertificateRevocation = true,
            RequireAuth = "scram-sha-256",
            PersistSecurityInfo = true,
            TcpKeepalive = true,
            TcpKeepaliveInterval = 5,
            ReadBufferSize = 16384,
            WriteBufferSize = 32768,
            SocketReceiveBufferSize = 4096,
            SocketSendBufferSize = 8192,
            Enlist = false,
            ClientEncoding = "UTF8",
            Encoding = "UTF-8",
        };

        var read = new PgConnectionStringBuilder(builder.ConnectionString);
        Assert.True(read.IncludeErrorDetail);
        Assert.True(read.LogParameters);
        Assert.True(read.TrustServerCertificate);
        Assert.True(read.CheckCertificateRevocation);
        Assert.Equal("scram-sha-256", read.RequireAuth);
        Assert.True(read.PersistSecurityInfo);
        Assert.True(read.TcpKeepalive);
        Assert.Equal(5, read.TcpKeepaliveInterval);
        Assert.Equal(16384, read.ReadBufferSize);
        Assert.Equal(32768, read.WriteBufferSize);
        Assert.Equal(4096, read.SocketReceiveBufferSize);
        Assert.Equal(8192, read.SocketSendBufferSize);
        Assert.False(read.Enlist);
        Assert.Equal("UTF8", read.ClientEncoding);
        Assert.Equal("UTF-8", read.Encoding);
    }

    [Fact]
    public void The_typed_properties_default_as_PgWire_behaves_without_the_keywords()
    {
        var builder = new PgConnectionStringBuilder("Host=localhost");

        Assert.False(builder.IncludeErrorDetail);
        Assert.False(builder.LogParameters);
        Assert.False(builder.TrustServerCertificate);
        Assert.False(builder.PersistSecurityInfo);
        Assert.False(builder.Enlist);
        Assert.Null(builder.RequireAuth);
        Assert.Equal(8192, builder.ReadBufferSize);
        Assert.Equal("UTF8", builder.Encoding);
    }

    // Require Auth

    [Theory]
    [InlineData("Password", (int)AuthenticationMethods.Password)]
    [InlineData("MD5, ScramSHA256", (int)(AuthenticationMethods.MD5 | AuthenticationMethods.ScramSha256))]
    [InlineData("scram-sha-256,none", (int)(AuthenticationMethods.ScramSha256 | AuthenticationMethods.NoExchange))]
    [InlineData("gss,sspi", (int)(AuthenticationMethods.GSS | AuthenticationMethods.SSPI))]
    [InlineData("!password,!md5", (int)(AuthenticationMethods.All & ~(AuthenticationMethods.Password | AuthenticationMethods.MD5)))]
    [InlineData("!None", (int)(AuthenticationMethods.All & ~AuthenticationMethods.NoExchange))]
    public void Require_Auth_lists_the_methods_allowed_or_with_a_bang_the_methods_refused(string value, int allowed) =>
        Assert.Equal((AuthenticationMethods)allowed, Settings($"Require Auth={value}").AllowedAuthentication);

    [Fact]
    public void Require_Auth_mixing_allowed_and_refused_methods_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => Settings("Require Auth=md5,!password"));

        Assert.Contains("mixes methods allowed and methods refused", e.Message);
    }

    [Fact]
    public void Require_Auth_with_a_method_it_does_not_know_names_the_method()
    {
        var e = Assert.Throws<ArgumentException>(() => Settings("Require Auth=ScramSHA256,kerberos5"));

        Assert.Contains("'kerberos5' is not an authentication method", e.Message);
    }

    [Fact]
    public void Require_Auth_refusing_every_method_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => Settings("Require Auth=!none,!password,!md5,!gss,!sspi,!scram-sha-256"));

        Assert.Contains("refuses every authentication method", e.Message);
    }

    // Refusals: what PgWire cannot do is said, not silently skipped.

    [Fact]
    public void Enlist_true_is_refused_because_PgWire_does_not_enlist_in_System_Transactions_yet()
    {
        var e = Assert.Throws<ArgumentException>(() => Settings("Enlist=true"));

        Assert.Contains("Enlist=true", e.Message);
        Assert.Contains("does not enlist in System.Transactions", e.Message);
    }

    [Fact]
    public void Enlist_false_is_accepted() => Settings("Enlist=false");

    [Theory]
    [InlineData("Encoding", "UTF8")]
    [InlineData("Encoding", "utf-8")]
    [InlineData("Encoding", "Unicode")]
    [InlineData("Client Encoding", "UTF8")]
    [InlineData("Client Encoding", "unicode")]
    public void A_UTF8_encoding_is_accepted(string keyword, string value) => Settings($"{keyword}={value}");

    [Theory]
    [InlineData("Encoding", "windows-1252")]
    [InlineData("Client Encoding", "LATIN1")]
    [InlineData("Client Encoding", "SQL_ASCII")]
    public void Any_other_encoding_is_refused_saying_PgWire_speaks_UTF8(string keyword, string value)
    {
        var e = Assert.Throws<ArgumentException>(() => Settings($"{keyword}={value}"));

        Assert.Contains($"{keyword}={value} is not supported", e.Message);
        Assert.Contains("UTF", e.Message);
    }

    [Fact]
    public void SSL_Negotiation_Direct_is_refused_as_not_supported_yet()
    {
        var e = Assert.Throws<ArgumentException>(() => Settings("SSL Mode=Require;SSL Negotiation=Direct"));

        Assert.Contains("SSL Negotiation=Direct", e.Message);
        Assert.Contains("not supported", e.Message);
    }

    [Fact]
    public void GSS_Encryption_Mode_Require_is_refused_as_PgWire_has_no_GSSAPI()
    {
        var e = Assert.Throws<ArgumentException>(() => Settings("GSS Encryption Mode=Require"));

        Assert.Contains("no GSSAPI encryption", e.Message);
    }

    [Fact]
    public void Array_Nullability_Mode_Always_is_refused_naming_what_PgWire_returns()
    {
        var e = Assert.Throws<ArgumentException>(() => Settings("Array Nullability Mode=Always"));

        Assert.Contains("PerInstance", e.Message);
    }

    [Theory]
    [InlineData("VerifyCA")]
    [InlineData("VerifyFull")]
    public void Trust_Server_Certificate_is_refused_with_a_mode_that_exists_to_check_the_certificate(string sslMode)
    {
        var e = Assert.Throws<ArgumentException>(() => Settings($"SSL Mode={sslMode};Trust Server Certificate=true"));

        Assert.Contains($"contradicts SSL Mode={sslMode}", e.Message);
    }

    [Fact]
    public void Tcp_Keepalive_Interval_without_Keepalive_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => Settings("Tcp Keepalive Interval=5"));

        Assert.Contains("needs Keepalive", e.Message);
    }

    [Fact]
    public void A_read_buffer_too_small_to_be_useful_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => Settings("Read Buffer Size=100"));

        Assert.Contains("Read Buffer Size", e.Message);
    }

    [Theory]
    [InlineData("Multiplexing=perhaps", "not true or false")]
    [InlineData("Include Realm=sometimes", "not true or false")]
    [InlineData("Internal Command Timeout=soon", "not a whole number")]
    [InlineData("SSL Negotiation=Sideways", "not one of: Postgres, Direct")]
    [InlineData("GSS Encryption Mode=Maybe", "not one of: Disable, Prefer, Require")]
    [InlineData("Array Nullability Mode=Sometimes", "not one of: Never, Always, PerInstance")]
    public void A_keyword_without_effect_still_has_its_value_checked(string connectionString, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => Settings(connectionString));

        Assert.Contains(expected, e.Message);
    }

    // Unknown keywords

    [Fact]
    public void An_unknown_keyword_is_named_with_the_nearest_known_one()
    {
        var e = Assert.Throws<ArgumentException>(() => new PgConnectionStringBuilder("Host=localhost;Comand Timeout=5"));

        Assert.StartsWith("Unknown connection string keyword 'Comand Timeout'. Did you mean 'Command Timeout'?", e.Message);
    }

    [Theory]
    [InlineData("SslMod", "SSL Mode")]
    [InlineData("Trust Server Certficate", "Trust Server Certificate")]
    [InlineData("usernme", "Username")]
    [InlineData("Include Eror Details", "Include Error Detail")]
    [InlineData("MaxPolSize", "Maximum Pool Size")]
    [InlineData("Aplication Name", "Application Name")]
    public void The_suggestion_ignores_case_and_spaces_and_names_the_canonical_keyword(string typed, string suggested)
    {
        var e = Assert.Throws<ArgumentException>(() => new PgConnectionStringBuilder($"{typed}=1"));

        Assert.Contains($"Unknown connection string keyword '{typed}'. Did you mean '{suggested}'?", e.Message);
    }

    [Fact]
    public void A_keyword_near_nothing_known_is_named_without_a_suggestion()
    {
        var e = Assert.Throws<ArgumentException>(() => new PgConnectionStringBuilder("Frobnicate=1"));

        Assert.Contains("Unknown connection string keyword 'Frobnicate'.", e.Message);
        Assert.DoesNotContain("Did you mean", e.Message);
    }

    [Fact]
    public void Setting_an_unknown_keyword_through_the_indexer_is_refused_the_same_way()
    {
        var builder = new PgConnectionStringBuilder();

        var e = Assert.Throws<ArgumentException>(() => builder["Poolling"] = "true");

        Assert.Contains("Unknown connection string keyword 'Poolling'. Did you mean 'Pooling'?", e.Message);
    }

    [Theory]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("", "abc", 3)]
    [InlineData("same", "same", 0)]
    [InlineData("comandtimeout", "commandtimeout", 1)]
    public void Edit_distance_counts_insertions_deletions_and_substitutions(string a, string b, int distance) =>
        Assert.Equal(distance, KeywordSuggestion.EditDistance(a, b));

    [Fact]
    public void The_README_keyword_table_lists_every_keyword_PgWire_accepts()
    {
        string readme = File.ReadAllText(FindReadme());

        var missing = PgConnectionStringBuilder.CanonicalKeywords.Where(k => !readme.Contains($"`{k}`", StringComparison.Ordinal)).ToList();

        Assert.Empty(missing);
    }

    private static string FindReadme()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "README.md");
            if (File.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "PgWire.sln"))) return candidate;
        }
        throw new FileNotFoundException("PgWire's README.md was not found above the test's folder.");
    }
}
