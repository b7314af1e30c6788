namespace PgWire;

/// <summary>
/// Authentication failed on the client's side: the server asked for a method PgWire will not use,
/// or its SCRAM messages did not check out (wrong nonce, wrong server signature, hostile iteration count).
/// A password the server rejects arrives as a <see cref="PgServerException"/> with SqlState 28P01 instead.
/// </summary>
public class PgAuthenticationException : PgException
{
    public PgAuthenticationException(string message) : base(message) { }

    public PgAuthenticationException(string message, Exception? innerException) : base(message, innerException) { }

    public override string? SqlState => PgErrorCodes.InvalidAuthorizationSpecification;
}
