namespace PgWire.Auth;

/// <summary>
/// The channel binding flag at the start of a SCRAM client-first-message (RFC 5802 section 7, gs2-cbind-flag).
/// </summary>
internal enum ScramChannelBindingMode
{
    /// <summary>"n": the client cannot bind (no TLS, or no server certificate hash to bind to).</summary>
    NotSupportedByClient,

    /// <summary>
    /// "y": the client could bind but the server did not offer SCRAM-SHA-256-PLUS. The flag is covered by the
    /// proof, so a server that does support binding (and so was stripped of -PLUS on the way) refuses the login.
    /// </summary>
    SupportedButNotUsed,

    /// <summary>"p=tls-server-end-point": the exchange is bound to the TLS server certificate (RFC 5929 section 4).</summary>
    Used,
}
