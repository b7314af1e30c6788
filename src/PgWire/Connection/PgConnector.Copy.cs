namespace PgWire.Connection;

internal sealed partial class PgConnector
{
    private CopyOperation? _copy;

    /// <summary>The connection's COPY operation, made once (see <see cref="CopyOperation"/>).</summary>
    internal CopyOperation Copy => _copy ??= new CopyOperation(this);

    /// <summary>A COPY holds the connection.</summary>
    internal bool CopyInProgress => _copy is { Active: true };
}
