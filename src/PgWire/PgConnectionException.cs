namespace PgWire;

/// <summary>
/// The connection could not be made (host unreachable, refused, name not found, timed out)
/// or was lost while in use (the server closed it mid-query). The connection is closed.
/// </summary>
public class PgConnectionException : PgException
{
    public PgConnectionException(string message) : base(message) { }

    public PgConnectionException(string message, Exception? innerException) : base(message, innerException) { }

    public override string? SqlState => PgErrorCodes.ConnectionFailure;

    /// <summary>A new connection may well succeed.</summary>
    public override bool IsTransient => true;
}
