namespace PgWire;

/// <summary>The state of a data source's connection pool at one moment.</summary>
/// <param name="Idle">Open connections waiting in the pool.</param>
/// <param name="Busy">Connections handed out (or being opened) and not yet returned.</param>
/// <param name="Waiting">Opens waiting for a connection because the pool is at Maximum Pool Size.</param>
/// <param name="Created">Physical connections opened since the pool began.</param>
/// <param name="Destroyed">Physical connections closed by the pool (broken, pruned, expired, cleared).</param>
public readonly record struct PgPoolStatistics(int Idle, int Busy, int Waiting, long Created, long Destroyed);
