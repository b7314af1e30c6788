using System.Net;
using System.Net.Sockets;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Connectivity;

/// <summary>
/// A data source remembers for Host Recheck Seconds which hosts did not answer, and tries them last: the next open
/// goes straight to a host that works instead of waiting out the connect timeout on the dead one again.
/// </summary>
[Collection("Database")]
public sealed class HostMemoryTests(DatabaseFixture db) : IDisposable
{
    // A listener whose connections are accepted by the kernel and never answered: a server that hangs.
    private readonly TcpListener _silent = new(IPAddress.Loopback, 0);
    private int _accepted;
    private readonly CancellationTokenSource _stop = new();

    private int SilentPort
    {
        get
        {
            if (!_silent.Server.IsBound)
            {
                _silent.Start();
                _ = AcceptForeverAsync();
            }
            return ((IPEndPoint)_silent.LocalEndpoint).Port;
        }
    }

    private async Task AcceptForeverAsync()
    {
        var held = new List<TcpClient>();
        try
        {
            while (true)
            {
                held.Add(await _silent.AcceptTcpClientAsync(_stop.Token));
                Interlocked.Increment(ref _accepted);
            }
        }
        catch (OperationCanceledException)
        {
            foreach (var client in held) client.Dispose();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _silent.Stop();
    }

    private string TwoHosts(string extra)
    {
        var builder = new PgConnectionStringBuilder(db.ConnectionString);
        return $"{db.ConnectionString};Host=127.0.0.1:{SilentPort},{builder.Host}:{db.Server.Port};Timeout=2;Pooling=false;{extra}";
    }

    [Fact]
    public async Task After_a_host_timed_out_the_next_open_of_the_data_source_tries_the_working_host_first()
    {
        await using var dataSource = PgDataSource.Create(TwoHosts("Host Recheck Seconds=60"));

        await using (var first = await dataSource.OpenConnectionAsync())
            Assert.Equal(db.Server.Port, first.Port);
        int attemptsOnSilentHost = Volatile.Read(ref _accepted);
        await using (var second = await dataSource.OpenConnectionAsync())
            Assert.Equal(db.Server.Port, second.Port);

        Assert.Equal(1, attemptsOnSilentHost);
        Assert.Equal(1, Volatile.Read(ref _accepted));
    }

    [Fact]
    public async Task With_Host_Recheck_Seconds_0_every_open_tries_the_hosts_in_their_order_again()
    {
        await using var dataSource = PgDataSource.Create(TwoHosts("Host Recheck Seconds=0"));

        await using (await dataSource.OpenConnectionAsync()) { }
        await using (await dataSource.OpenConnectionAsync()) { }

        Assert.Equal(2, Volatile.Read(ref _accepted));
    }
}
