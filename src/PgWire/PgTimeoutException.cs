namespace PgWire;

/// <summary>
/// A wait on the server outlasted Command Timeout (SqlState 57014). When the server stopped the command on PgWire's
/// CancelRequest, the connection is still usable; when the server went silent (no answer to the cancel within
/// Cancellation Timeout, or a message begun and not finished), the connection was closed and is never reused. The
/// message says which.
/// </summary>
public class PgTimeoutException : PgException
{
    public PgTimeoutException(string message, Exception? innerException = null) : base(message, innerException) { }

    public override string? SqlState => PgErrorCodes.QueryCanceled;

    public override bool IsTransient => true;
}
