using PgWire.Connection;

namespace PgWire.Tests.Connectivity;

public class LibpqEnvironmentTests
{
    private static Func<string, string?> Env(params (string Name, string? Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    private static string? Single(string variable, string value, string keyword)
    {
        var defaults = LibpqEnvironment.Defaults(Env((variable, value)));
        var (k, v) = Assert.Single(defaults);
        Assert.Equal(keyword, k);
        return v;
    }

    [Theory]
    [InlineData("PGHOST", "db.example", "Host")]
    [InlineData("PGPORT", "6543", "Port")]
    [InlineData("PGUSER", "alice", "Username")]
    [InlineData("PGPASSWORD", "s3cret", "Password")]
    [InlineData("PGDATABASE", "app", "Database")]
    [InlineData("PGAPPNAME", "reporting", "Application Name")]
    [InlineData("PGPASSFILE", "/etc/pgpass", "Passfile")]
    [InlineData("PGSSLROOTCERT", "/etc/ssl/root.crt", "Root Certificate")]
    [InlineData("PGSSLCERT", "/home/alice/client.crt", "SSL Certificate")]
    [InlineData("PGSSLKEY", "/home/alice/client.key", "SSL Key")]
    [InlineData("PGCONNECT_TIMEOUT", "7", "Timeout")]
    [InlineData("PGOPTIONS", "-c geqo=off", "Options")]
    [InlineData("PGTZ", "Europe/Berlin", "Timezone")]
    [InlineData("PGTARGETSESSIONATTRS", "read-write", "Target Session Attributes")]
    [InlineData("PGCHANNELBINDING", "require", "Channel Binding")]
    public void Each_variable_supplies_its_keyword_with_the_value_unchanged(string variable, string value, string keyword)
    {
        Assert.Equal(value, Single(variable, value, keyword));
    }

    [Theory]
    [InlineData("disable", "Disable")]
    [InlineData("allow", "Allow")]
    [InlineData("prefer", "Prefer")]
    [InlineData("require", "Require")]
    [InlineData("verify-ca", "VerifyCA")]
    [InlineData("verify-full", "VerifyFull")]
    public void PGSSLMODE_is_translated_to_the_SSL_Mode_spelling(string libpq, string pgwire)
    {
        Assert.Equal(pgwire, Single("PGSSLMODE", libpq, "SSL Mode"));
    }

    [Fact]
    public void An_sslmode_neither_side_knows_is_passed_on_unchanged()
    {
        Assert.Equal("paranoid", Single("PGSSLMODE", "paranoid", "SSL Mode"));
    }

    [Theory]
    [InlineData("read-only")]
    [InlineData("primary")]
    [InlineData("standby")]
    [InlineData("prefer-standby")]
    [InlineData("any")]
    public void Target_session_attributes_keep_libpq_spelling(string value)
    {
        Assert.Equal(value, Single("PGTARGETSESSIONATTRS", value, "Target Session Attributes"));
    }

    [Fact]
    public void A_negative_connect_timeout_means_no_limit_which_Timeout_spells_zero()
    {
        Assert.Equal("0", Single("PGCONNECT_TIMEOUT", "-1", "Timeout"));
    }

    [Fact]
    public void A_connect_timeout_that_is_not_a_number_is_passed_on_unchanged()
    {
        Assert.Equal("soon", Single("PGCONNECT_TIMEOUT", "soon", "Timeout"));
    }

    [Fact]
    public void Empty_variables_are_ignored()
    {
        var defaults = LibpqEnvironment.Defaults(Env(("PGHOST", ""), ("PGUSER", "alice"), ("PGPASSWORD", "")));
        Assert.Equal([("Username", "alice")], defaults);
    }

    [Fact]
    public void Unset_variables_supply_nothing()
    {
        Assert.Empty(LibpqEnvironment.Defaults(Env()));
    }

    [Fact]
    public void Variables_libpq_does_not_define_are_not_read()
    {
        var asked = new List<string>();
        LibpqEnvironment.Defaults(name => { asked.Add(name); return "x"; });
        Assert.All(asked, name => Assert.StartsWith("PG", name, StringComparison.Ordinal));
        Assert.DoesNotContain("PGHOSTADDR", asked);
        Assert.Equal(16, asked.Count);
    }

    [Fact]
    public void Several_variables_come_back_in_table_order()
    {
        var defaults = LibpqEnvironment.Defaults(Env(
            ("PGDATABASE", "app"), ("PGHOST", "/var/run/postgresql"), ("PGPORT", "5433"), ("PGSSLMODE", "verify-full")));
        Assert.Equal(
            [("Host", "/var/run/postgresql"), ("Port", "5433"), ("Database", "app"), ("SSL Mode", "VerifyFull")],
            defaults);
    }

    [Fact]
    public void Keywords_the_connection_string_builder_knows_are_spelled_its_way()
    {
        var defaults = LibpqEnvironment.Defaults(Env(
            ("PGHOST", "db.example"), ("PGPORT", "6543"), ("PGUSER", "alice"), ("PGPASSWORD", "pw"), ("PGDATABASE", "app"),
            ("PGSSLMODE", "allow"), ("PGAPPNAME", "reporting"), ("PGCONNECT_TIMEOUT", "7"), ("PGPASSFILE", "/tmp/pass"),
            ("PGSSLROOTCERT", "/tmp/root.crt"), ("PGSSLCERT", "/tmp/c.crt"), ("PGSSLKEY", "/tmp/c.key"), ("PGOPTIONS", "-c work_mem=8MB"),
            ("PGTZ", "UTC"), ("PGTARGETSESSIONATTRS", "read-write"), ("PGCHANNELBINDING", "require")));
        var builder = new PgConnectionStringBuilder();
        foreach (var (keyword, value) in defaults) builder[keyword] = value;

        Assert.Equal(("db.example", 6543, "alice", "pw", "app"), (builder.Host, builder.Port, builder.Username, builder.Password, builder.Database));
        Assert.Equal((SslMode.Allow, "reporting", 7), (builder.SslMode, builder.ApplicationName, builder.Timeout));
        Assert.Equal(("/tmp/pass", "/tmp/root.crt", "/tmp/c.crt", "/tmp/c.key"), (builder.Passfile, builder.RootCertificate, builder.SslCertificate, builder.SslKey));
        Assert.Equal(("-c work_mem=8MB", "UTC"), (builder.Options, builder.Timezone));
        Assert.Equal((TargetSessionAttributes.ReadWrite, ChannelBinding.Require), (builder.TargetSessionAttributes, builder.ChannelBinding));
    }
}
