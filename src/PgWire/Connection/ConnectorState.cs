namespace PgWire.Connection;

internal enum ConnectorState
{
    Closed,
    Connecting,
    /// <summary>Idle: the last exchange ended with ReadyForQuery.</summary>
    Ready,
    /// <summary>A command is in flight or its results are being read.</summary>
    Executing,
    /// <summary>The connection failed in a way that leaves its state unknown; it is closed and never reused.</summary>
    Broken,
}
