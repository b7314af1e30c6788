using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace PgWire.Tests.Connectivity;

/// <summary>
/// Opening a connection fails fast when nothing listens, and within Timeout when something accepts the TCP
/// connection but never answers (a "blackhole": a listening socket whose backlog completes the handshake while
/// nobody calls accept).
/// </summary>
public sealed class ConnectTimeoutTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(10);

    private readonly TcpListener _blackhole = new(IPAddress.Loopback, 0);

    public ConnectTimeoutTests() => _blackhole.Start(backlog: 16);

    public void Dispose() => _blackhole.Dispose();

    private int BlackholePort => ((IPEndPoint)_blackhole.LocalEndpoint).Port;

    private static string To(int port, string extra) =>
        $"Host=127.0.0.1;Port={port};Username=postgres;Password=postgres;Database=postgres;Pooling=false;{extra}";

    [Fact]
    public async Task A_port_where_nothing_listens_fails_quickly_with_PgConnectionException()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        await using var conn = new PgConnection(To(port, "Timeout=30"));
        var elapsed = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<PgConnectionException>(() => conn.OpenAsync());

        Assert.True(elapsed.Elapsed < Generous, $"took {elapsed.Elapsed}");
        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
        Assert.Equal(System.Data.ConnectionState.Closed, conn.State);
    }

    [Theory]
    [InlineData("SSL Mode=Prefer")]
    [InlineData("SSL Mode=Disable")]
    public async Task A_server_that_never_answers_fails_within_Timeout_with_PgConnectionException_mentioning_the_timeout(string sslMode)
    {
        await using var conn = new PgConnection(To(BlackholePort, $"Timeout=2;{sslMode}"));
        var elapsed = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<PgConnectionException>(() => conn.OpenAsync());

        Assert.True(elapsed.Elapsed < Generous, $"took {elapsed.Elapsed}");
        Assert.Matches(new Regex("time(d)?[ -]?out", RegexOptions.IgnoreCase), e.Message);
        Assert.Equal(System.Data.ConnectionState.Closed, conn.State);
    }

    [Fact]
    public void The_synchronous_Open_to_a_server_that_never_answers_also_gives_up_within_Timeout()
    {
        using var conn = new PgConnection(To(BlackholePort, "Timeout=2"));
        var elapsed = Stopwatch.StartNew();

        Assert.Throws<PgConnectionException>(() => conn.Open());

        Assert.True(elapsed.Elapsed < Generous, $"took {elapsed.Elapsed}");
    }

    [Fact]
    public async Task A_CancellationToken_ends_an_open_to_a_server_that_never_answers()
    {
        await using var conn = new PgConnection(To(BlackholePort, "Timeout=60"));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var elapsed = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<OperationCanceledException>(() => conn.OpenAsync(cts.Token));

        Assert.Equal(cts.Token, e.CancellationToken);
        Assert.True(elapsed.Elapsed < Generous, $"took {elapsed.Elapsed}");
        Assert.Equal(System.Data.ConnectionState.Closed, conn.State);
    }
}
