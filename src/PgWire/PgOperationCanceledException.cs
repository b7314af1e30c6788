namespace PgWire;

/// <summary>
/// A command was cancelled through its CancellationToken. When it had reached the server, PgWire sent a
/// CancelRequest and the server stopped it (SqlState 57014); the connection is still usable.
/// </summary>
public class PgOperationCanceledException : PgException
{
    public PgOperationCanceledException(string message, Exception? innerException = null) : base(message, innerException) { }

    public override string? SqlState => PgErrorCodes.QueryCanceled;
}
