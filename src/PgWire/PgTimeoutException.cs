namespace PgWire;

/// <summary>
/// A command ran longer than its Command Timeout: PgWire sent a CancelRequest and the server stopped it
/// (SqlState 57014). The connection is still usable.
/// </summary>
public class PgTimeoutException : PgException
{
    public PgTimeoutException(string message, Exception? innerException = null) : base(message, innerException) { }

    public override string? SqlState => PgErrorCodes.QueryCanceled;

    public override bool IsTransient => true;
}
