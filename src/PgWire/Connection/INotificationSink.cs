namespace PgWire.Connection;

/// <summary>Where a connector delivers the notifications the server sends (the PgConnection using it).</summary>
internal interface INotificationSink
{
    void OnNotification(int processId, string channel, string payload);
}
