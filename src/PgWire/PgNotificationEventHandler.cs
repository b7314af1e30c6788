namespace PgWire;

/// <summary>Handles <see cref="PgConnection.Notification"/> (the shape of Npgsql's NotificationEventHandler).</summary>
public delegate void PgNotificationEventHandler(object sender, PgNotificationEventArgs e);
