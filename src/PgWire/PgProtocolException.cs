namespace PgWire;

/// <summary>
/// The server sent something the protocol does not allow (a lying length, an unexpected message),
/// or the client was asked to send a message the protocol cannot carry. When raised while reading,
/// the connection has been closed: after a framing error nothing that follows can be trusted.
/// </summary>
public class PgProtocolException : PgException
{
    public PgProtocolException(string message) : base(message) { }

    public PgProtocolException(string message, Exception? innerException) : base(message, innerException) { }

    public override string? SqlState => PgErrorCodes.ProtocolViolation;
}
