using System.Data;
using PgWire.Tests.Infrastructure;
using static PgWire.Tests.Notifications.NotificationTestSupport;

namespace PgWire.Tests.Notifications;

/// <summary>
/// A FATAL error the server sends while the connection is idle or waiting (pg_terminate_backend): the connection is
/// found broken before a command is written to it, the pool never hands it out, and a waiting listener is told.
/// </summary>
[Collection("Database")]
public sealed class IdleTerminationTests(DatabaseFixture db)
{
    [Fact]
    public async Task An_idle_pooled_connection_whose_backend_was_terminated_is_never_handed_out()
    {
        await using var dataSource = PgDataSource.Create(db.ConnectionString + ";Maximum Pool Size=1;Application Name=notif_idle");
        int pid;
        await using (var first = await dataSource.OpenConnectionAsync())
            pid = first.ProcessId;
        await TerminateAsync(db, pid);

        await using var next = await dataSource.OpenConnectionAsync();

        Assert.NotEqual(pid, next.ProcessId);
        Assert.Equal(1, await next.QueryScalarAsync<int>("SELECT 1"));
        Assert.Equal(1, dataSource.Statistics.Destroyed);
    }

    [Fact]
    public async Task A_pooled_connection_that_listened_and_received_notifications_while_idle_is_reused_not_dropped()
    {
        string channel = NewChannel();
        await using var dataSource = PgDataSource.Create(db.ConnectionString + ";Maximum Pool Size=1;Application Name=notif_reuse");
        await using var witness = await db.OpenAsync();
        var witnessed = new List<PgNotificationEventArgs>();
        witness.Notification += (_, e) => witnessed.Add(e);
        await witness.ExecuteAsync("LISTEN " + channel);
        int pid;
        await using (var first = await dataSource.OpenConnectionAsync())
        {
            pid = first.ProcessId;
            await first.ExecuteAsync("LISTEN " + channel);
        }
        await using (var sender = await db.OpenAsync())
            await sender.ExecuteAsync("SELECT pg_notify($1, 'for the previous user')", channel);
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

    [Fact]
    public async Task A_command_on_a_connection_terminated_while_idle_fails_unsent_with_a_PgConnectionException()
    {
        await using var victim = await db.OpenAsync(db.ConnectionString + ";Pooling=false");
        await TerminateAsync(db, victim.ProcessId);

        var e = await Assert.ThrowsAsync<PgConnectionException>(() => victim.ExecuteAsync("SELECT 1").AsTask());

        Assert.Contains("not sent", e.Message);
        var fatal = Assert.IsType<PgServerException>(e.InnerException);
        Assert.Equal(PgErrorCodes.AdminShutdown, fatal.SqlState);
        Assert.True(fatal.IsFatal);
        Assert.Equal(ConnectionState.Broken, victim.State);
    }

    [Fact]
    public async Task A_synchronous_command_on_a_connection_terminated_while_idle_fails_unsent_too()
    {
        await using var victim = await db.OpenAsync(db.ConnectionString + ";Pooling=false");
        await TerminateAsync(db, victim.ProcessId);

        var e = Assert.Throws<PgConnectionException>(() => victim.Execute("SELECT 1"));

        Assert.IsType<PgServerException>(e.InnerException);
        Assert.Equal(ConnectionState.Broken, victim.State);
    }

    [Fact]
    public async Task A_waiting_listener_whose_backend_is_terminated_gets_a_PgException()
    {
        await using var listener = await db.OpenAsync(db.ConnectionString + ";Pooling=false");
        await listener.ExecuteAsync("LISTEN " + NewChannel());
        var wait = listener.WaitAsync(Bound);

        await TerminateAsync(db, listener.ProcessId);

        var e = await Assert.ThrowsAnyAsync<PgException>(() => wait.WaitAsync(Bound));
        Assert.True(e is PgServerException { SqlState: PgErrorCodes.AdminShutdown } or PgConnectionException, $"{e.GetType().Name}: {e.Message}");
        Assert.Equal(ConnectionState.Broken, listener.State);
    }

    [Fact]
    public async Task A_synchronous_Wait_whose_backend_is_terminated_gets_a_PgException()
    {
        await using var listener = await db.OpenAsync(db.ConnectionString + ";Pooling=false");
        await listener.ExecuteAsync("LISTEN " + NewChannel());
        var wait = Task.Run(() => listener.Wait());

        await TerminateAsync(db, listener.ProcessId);

        await Assert.ThrowsAnyAsync<PgException>(() => wait.WaitAsync(Bound));
        Assert.Equal(ConnectionState.Broken, listener.State);
    }
}
