using PgWire.Protocol.Backend;

namespace PgWire.Connection;

internal sealed partial class PgConnector
{
    /// <summary>Connects to the first suitable host and starts the session there (see <see cref="ConnectionOpener"/>).</summary>
    public ValueTask OpenAsync(bool async, CancellationToken cancellationToken) => _opener.OpenAsync(async, cancellationToken);

    /// <summary>How the server authenticated this connection: SCRAM-SHA-256-PLUS, SCRAM-SHA-256, MD5, cleartext, cert or trust.</summary>
    public string? AuthenticationMechanism => _authenticator.Mechanism;
}
