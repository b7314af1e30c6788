namespace PgWire;

/// <summary>
/// Whether and how a connection uses TLS (the connection-string keyword <c>SSL Mode</c>), with libpq's meanings.
/// </summary>
public enum SslMode
{
    /// <summary>Never TLS.</summary>
    Disable,

    /// <summary>Plain first; TLS only when the server refuses a plain connection.</summary>
    Allow,

    /// <summary>TLS when the server supports it, plain otherwise (the default). The certificate is not checked.</summary>
    Prefer,

    /// <summary>
    /// TLS or no connection. The certificate is not checked, unless a root certificate is given (<c>Root Certificate</c>,
    /// PGSSLROOTCERT or ~/.postgresql/root.crt exists): then it is checked as with <see cref="VerifyCA"/>, as libpq does.
    /// </summary>
    Require,

    /// <summary>TLS, and the server's certificate must chain to a trusted root (<c>Root Certificate</c>, else the system's).</summary>
    VerifyCA,

    /// <summary><see cref="VerifyCA"/>, and the certificate must name the host connected to.</summary>
    VerifyFull,
}

/// <summary>Whether SCRAM authentication binds to the TLS channel (<c>Channel Binding</c>), with libpq's meanings.</summary>
public enum ChannelBinding
{
    /// <summary>Never bind (plain SCRAM-SHA-256 even when PLUS is offered).</summary>
    Disable,

    /// <summary>SCRAM-SHA-256-PLUS when the connection is TLS and the server offers it (the default).</summary>
    Prefer,

    /// <summary>
    /// Only SCRAM-SHA-256-PLUS: any other authentication (trust, a password, plain SCRAM, certificate only) is refused,
    /// so the client knows the server it authenticated to holds the certificate's key and knows the password.
    /// </summary>
    Require,
}

/// <summary>What kind of server a connection must reach among its hosts (<c>Target Session Attributes</c>).</summary>
public enum TargetSessionAttributes
{
    /// <summary>The first server that accepts the connection.</summary>
    Any,

    /// <summary>A server whose sessions can write (not a standby, default_transaction_read_only off).</summary>
    ReadWrite,

    /// <summary>A server whose sessions are read-only (a standby, or default_transaction_read_only on).</summary>
    ReadOnly,

    /// <summary>A server that is not in recovery.</summary>
    Primary,

    /// <summary>A server in recovery (a hot standby).</summary>
    Standby,

    /// <summary>A standby when one is reachable, else any server.</summary>
    PreferStandby,
}
