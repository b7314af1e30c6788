namespace PgWire.LocalServer;

/// <summary>
/// A local PostgreSQL cluster could not be found, created, started or queried.
/// The message carries the tail of the tool's output or of the server log, so a failing test run says why.
/// </summary>
public class LocalPostgresException : Exception
{
    /// <summary>Creates the exception with a message that says what failed and why.</summary>
    public LocalPostgresException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the failure that caused it.</summary>
    public LocalPostgresException(string message, Exception? innerException) : base(message, innerException) { }
}
