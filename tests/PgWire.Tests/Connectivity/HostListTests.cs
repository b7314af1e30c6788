using System.Net;
using System.Net.Sockets;
using PgWire.Connection;

namespace PgWire.Tests.Connectivity;

/// <summary>The Host keyword's list (host, host:port, [v6]:port, socket folders) and the error when every host fails.</summary>
public sealed class HostListTests
{
    [Fact]
    public void Hosts_take_their_own_port_or_the_Port_keyword()
    {
        var hosts = PgHost.ParseList("a,b:5433,c", "6000");
        Assert.Equal([new PgHost("a", 6000), new PgHost("b", 5433), new PgHost("c", 6000)], hosts);
    }

    [Fact]
    public void A_Port_list_gives_each_host_its_port()
    {
        var hosts = PgHost.ParseList("a,b", "5432,5433");
        Assert.Equal([new PgHost("a", 5432), new PgHost("b", 5433)], hosts);
    }

    [Fact]
    public void IPv6_addresses_are_written_in_brackets_with_a_port_or_bare_without()
    {
        var hosts = PgHost.ParseList("[::1]:5444,::1,fe80::2", "5432");
        Assert.Equal([new PgHost("::1", 5444), new PgHost("::1", 5432), new PgHost("fe80::2", 5432)], hosts);
        Assert.Equal("[::1]:5444", hosts[0].ToString());
    }

    [Fact]
    public void A_Unix_socket_folder_is_a_host_whose_port_names_the_socket_file()
    {
        var host = Assert.Single(PgHost.ParseList("/var/run/postgresql", "5433"));
        Assert.True(host.IsUnixSocket);
        Assert.Equal("/var/run/postgresql/.s.PGSQL.5433", host.SocketPath);
    }

    [Theory]
    [InlineData("a,b,c", "1,2")]
    [InlineData("a:0", "5432")]
    [InlineData("a:x", "5432")]
    [InlineData("[::1", "5432")]
    public void A_malformed_host_list_is_refused_clearly(string hosts, string ports)
    {
        var e = Assert.Throws<ArgumentException>(() => PgHost.ParseList(hosts, ports));
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task When_every_host_fails_the_error_names_each_host_and_why()
    {
        int first = ClosedPort(), second = ClosedPort();
        await using var conn = new PgConnection($"Host=127.0.0.1:{first},127.0.0.1:{second};Username=u;Password=p;Pooling=false;Timeout=5");

        var e = await Assert.ThrowsAsync<PgConnectionException>(() => conn.OpenAsync());

        Assert.Contains($"127.0.0.1:{first}", e.Message);
        Assert.Contains($"127.0.0.1:{second}", e.Message);
        Assert.Contains("refused", e.Message);
        Assert.Equal(System.Data.ConnectionState.Closed, conn.State);
    }

    [Fact]
    public void Channel_Binding_Require_with_SSL_Mode_Disable_is_refused_as_a_contradiction()
    {
        var e = Assert.Throws<ArgumentException>(() => PgDataSource.Create("Host=localhost;SSL Mode=Disable;Channel Binding=Require"));
        Assert.Contains("Channel Binding=Require", e.Message);
    }

    [Theory]
    [InlineData("verify-full", SslMode.VerifyFull)]
    [InlineData("VerifyCA", SslMode.VerifyCA)]
    [InlineData("require", SslMode.Require)]
    public void SSL_Mode_accepts_libpq_and_Npgsql_spellings(string text, SslMode expected)
    {
        Assert.Equal(expected, new PgConnectionStringBuilder($"SSL Mode={text}").SslMode);
    }

    [Fact]
    public void An_unknown_SSL_Mode_names_the_allowed_values()
    {
        var e = Assert.Throws<ArgumentException>(() => new PgConnectionStringBuilder("SSL Mode=sometimes").SslMode);
        Assert.Contains("VerifyFull", e.Message);
    }
}
