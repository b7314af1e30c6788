namespace PgWire;

/// <summary>
/// <see cref="PgConnection.Wait()"/>, <see cref="PgConnection.WaitAsync(CancellationToken)"/> and their overloads: a
/// timeout in Npgsql's terms (milliseconds or a TimeSpan, 0 and -1 for no limit), and the wait on the connection's
/// receiver of notifications.
/// </summary>
internal static class NotificationWait
{
    public static ValueTask<bool> WaitAsync(PgConnection connection, int timeout, bool async, CancellationToken cancellationToken)
    {
        int milliseconds = Milliseconds(timeout);
        return connection.ConnectorForCommand.Notifications.WaitAsync(async, milliseconds, cancellationToken);
    }

    public static ValueTask<bool> WaitAsync(PgConnection connection, TimeSpan timeout, bool async, CancellationToken cancellationToken)
    {
        int milliseconds = Milliseconds(timeout);
        return connection.ConnectorForCommand.Notifications.WaitAsync(async, milliseconds, cancellationToken);
    }

    /// <summary>Npgsql's convention: 0 and -1 wait without a time limit (-1 internally).</summary>
    private static int Milliseconds(int timeout) => timeout switch
    {
        0 or Timeout.Infinite => Timeout.Infinite,
        < 0 => throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "A timeout is a number of milliseconds, or 0 or -1 for none."),
        _ => timeout,
    };

    private static int Milliseconds(TimeSpan timeout)
    {
        if (timeout == Timeout.InfiniteTimeSpan) return Timeout.Infinite;
        double milliseconds = Math.Ceiling(timeout.TotalMilliseconds);
        if (milliseconds is < 0 or > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "A timeout is between 0 and int.MaxValue milliseconds, or Timeout.InfiniteTimeSpan.");
        return Milliseconds((int)milliseconds);
    }
}
