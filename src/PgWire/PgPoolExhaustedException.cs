namespace PgWire;

/// <summary>
/// No pooled connection became free within Timeout: every one of Maximum Pool Size connections stayed busy.
/// SqlState 53300 (too_many_connections). Trying again later may succeed.
/// </summary>
public class PgPoolExhaustedException : PgException
{
    public PgPoolExhaustedException(string message) : base(message) { }

    public override string? SqlState => PgErrorCodes.TooManyConnections;

    public override bool IsTransient => true;
}
