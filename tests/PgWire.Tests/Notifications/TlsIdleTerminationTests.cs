using System.Data;
using PgWire.LocalServer;
using PgWire.Tests.Connectivity;
using static PgWire.Tests.Notifications.NotificationTestSupport;

namespace PgWire.Tests.Notifications;

/// <summary>
/// What the server sends while a TLS connection is idle is read before the next command is written, as on a plain
/// socket: a FATAL error (pg_terminate_backend) fails the command unsent, and a pooled connection that received a
/// notification for its previous user while idle is cleaned and handed out again.
/// </summary>
[Collection("Tls cluster")]
public sealed class TlsIdleTerminationTests(TlsClusterFixture tls)
{
    private string Secure(string extra = "") => tls.ConnectionString(LocalPostgresRole.Superuser, "SSL Mode=Require;" + extra);

    [Fact]
    public async Task A_command_on_a_tls_connection_terminated_while_idle_fails_unsent_with_a_PgConnectionException()
    {
        await using var victim = await tls.OpenAsync(Secure());
        Assert.True(victim.IsSecure);
        await TerminateAsync(victim.ProcessId);

        var e = await Assert.ThrowsAsync<PgConnectionException>(() => victim.ExecuteAsync("SELECT 1").AsTask());

        Assert.Contains("not sent", e.Message);
        var fatal = Assert.IsType<PgServerException>(e.InnerException);
        Assert.Equal(PgErrorCodes.AdminShutdown, fatal.SqlState);
        Assert.Equal(ConnectionState.Broken, victim.State);
    }

    [Fact]
    public async Task A_pooled_tls_connection_whose_backend_was_terminated_is_never_handed_out()
    {
        await using var dataSource = PgDataSource.Create(Secure("Pooling=true;Maximum Pool Size=1;Application Name=tls_idle_fatal"));
        int pid;
        await using (var first = await dataSource.OpenConnectionAsync())
        {
            Assert.True(first.IsSecure);
            pid = first.ProcessId;
        }
        await TerminateAsync(pid);

        await using var next = await dataSource.OpenConnectionAsync();

        Assert.NotEqual(pid, next.ProcessId);
        Assert.Equal(1, await next.QueryScalarAsync<int>("SELECT 1"));
        Assert.Equal(1, dataSource.Statistics.Destroyed);
    }

    [Fact]
    public async Task A_pooled_tls_connection_that_received_a_notification_while_idle_is_reused_without_it()
    {
        string channel = NewChannel();
        await using var dataSource = PgDataSource.Create(Secure("Pooling=true;Maximum Pool Size=1;Application Name=tls_idle_notify"));
        await using var witness = await tls.OpenAsync(Secure());
        var witnessed = new List<PgNotificationEventArgs>();
        witness.Notification += (_, e) => witnessed.Add(e);
        await witness.ExecuteAsync("LISTEN " + channel);
        int pid;
        await using (var first = await dataSource.OpenConnectionAsync())
        {
            pid = first.ProcessId;
            await first.ExecuteAsync("LISTEN " + channel);
        }
        await using (var sender = await tls.OpenAsync(Secure()))
            await sender.ExecuteAsync("SELECT pg_notify($1, 'for the previous user')", channel);
        // The server signals every listener at the commit; once the witness has its copy, the idle backend has sent its own.
        await ReceiveAsync(witness, witnessed, 1);

        await using var next = await dataSource.OpenConnectionAsync();
        var received = new List<PgNotificationEventArgs>();
        next.Notification += (_, e) => received.Add(e);

        Assert.Equal(pid, next.ProcessId);
        Assert.Equal(1, await next.QueryScalarAsync<int>("SELECT 1"));
        Assert.False(await next.WaitAsync(100));
        Assert.Empty(received);
        Assert.Equal(0, dataSource.Statistics.Destroyed);
    }

    private async Task TerminateAsync(int pid)
    {
        await using var admin = await tls.OpenAsync(Secure());
        Assert.True(await admin.QueryScalarAsync<bool>("SELECT pg_terminate_backend($1, 30000)", pid), "The server did not end the backend.");
    }
}
