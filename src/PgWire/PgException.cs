using System.Data.Common;

namespace PgWire;

/// <summary>
/// The base of every failure PgWire reports for a server, network or protocol problem.
/// Derives from <see cref="DbException"/> so ADO.NET code that catches DbException sees all of them.
/// </summary>
public class PgException : DbException
{
    public PgException(string message) : base(message) { }

    public PgException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>The five-character SQLSTATE, when the failure has one (see <see cref="PgErrorCodes"/>).</summary>
    public override string? SqlState => null;

    /// <summary>True when trying the same operation again may succeed (a dropped connection, a serialization failure).</summary>
    public override bool IsTransient => false;
}
