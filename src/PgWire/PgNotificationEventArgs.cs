namespace PgWire;

/// <summary>
/// The arguments of <see cref="PgConnection.Notification"/>: a NOTIFY (or pg_notify) delivered to this session
/// because it LISTENs on the channel. The shape of Npgsql's NpgsqlNotificationEventArgs.
/// </summary>
public sealed class PgNotificationEventArgs : EventArgs
{
    internal PgNotificationEventArgs(int processId, string channel, string payload)
    {
        ProcessId = processId;
        Channel = channel;
        Payload = payload;
    }

    /// <summary>The process ID of the backend that sent the notification (its pg_backend_pid()).</summary>
    public int ProcessId { get; }

    /// <summary>The same as <see cref="ProcessId"/>, under Npgsql's name.</summary>
    public int PID => ProcessId;

    /// <summary>The channel the notification was sent on.</summary>
    public string Channel { get; }

    /// <summary>The payload ("" when NOTIFY gave none); at most 7,999 bytes in the server's encoding.</summary>
    public string Payload { get; }
}
