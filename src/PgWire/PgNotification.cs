namespace PgWire;

/// <summary>
/// One item of <see cref="PgDataSource.ListenAsync(string, CancellationToken)"/>: a notification, or the mark that the
/// listener lost its connection and is listening again on a new one (<see cref="Reconnected"/>).
/// </summary>
public sealed class PgNotification
{
    internal PgNotification(string channel, string payload, int processId, bool reconnected = false)
    {
        Channel = channel;
        Payload = payload;
        ProcessId = processId;
        Reconnected = reconnected;
    }

    /// <summary>The channel the notification was sent on ("" for the <see cref="Reconnected"/> mark).</summary>
    public string Channel { get; }

    /// <summary>The payload ("" when NOTIFY gave none, and for the <see cref="Reconnected"/> mark).</summary>
    public string Payload { get; }

    /// <summary>The process ID of the backend that sent the notification (0 for the <see cref="Reconnected"/> mark).</summary>
    public int ProcessId { get; }

    /// <summary>
    /// True for the mark the listener yields once it has connected and LISTENed again after losing its connection:
    /// notifications sent while it was disconnected were missed (re-read whatever state they announce).
    /// </summary>
    public bool Reconnected { get; }

    public override string ToString() => Reconnected ? "(reconnected: notifications may have been missed)" : $"{Channel}: {Payload}";
}
