using System.Text;
using PgWire.Auth;
using PgWire.Protocol;
using PgWire.Protocol.Backend;
using PgWire.Protocol.Frontend;

namespace PgWire.Connection;

/// <summary>
/// The authentication exchange of a connection's startup: answers the server's requests (cleartext, MD5, SCRAM-SHA-256
/// with or without channel binding) until AuthenticationOk, reading through the connector's engine, and remembers the
/// method the server used. The Auth folder holds the pure functions; this holds the conversation.
/// </summary>
internal sealed class Authenticator(PgConnector connector)
{
    /// <summary>How the server authenticated the connection: SCRAM-SHA-256-PLUS, SCRAM-SHA-256, MD5, cleartext, cert or trust.</summary>
    public string? Mechanism { get; private set; }

    /// <summary>
    /// Answers the server's authentication requests until AuthenticationOk. Whatever the method, the client
    /// refuses to go on when the server skips a step it must take (SCRAM's final signature).
    /// </summary>
    public async ValueTask AuthenticateAsync(bool async, CancellationToken cancellationToken)
    {
        Mechanism = null;
        ScramSha256Client? scram = null;
        bool scramVerified = false;
        while (true)
        {
            byte code = await connector.Engine.ReadAsync(async, cancellationToken).ConfigureAwait(false);
            switch (code)
            {
                case BackendMessageCode.Authentication:
                    break;
                case BackendMessageCode.NegotiateProtocolVersion:
                    // Only sent when we ask for options or a newer minor version; we ask for neither.
                    continue;
                default:
                    throw connector.Unexpected(code, "an authentication request");
            }

            var request = connector.Guard(static body => AuthenticationRequest.Parse(body).Type);
            switch (request)
            {
                case AuthenticationRequestType.Ok:
                    if (scram is not null && !scramVerified)
                        throw AuthFailed("The server ended SCRAM authentication without proving it knows the password " +
                                         "(no server signature was sent); refusing the connection.");
                    if (Mechanism is null)
                    {
                        // The server asked for nothing: trust, or the TLS client certificate was all it needed (cert).
                        RefuseWithoutChannelBinding(connector.Transport.ClientCertificateSent ? "certificate authentication (no password exchange)" : "trust authentication (no password exchange)");
                        RefuseUnlessRequired(AuthenticationMethods.NoExchange, "no authentication at all (trust, or a client certificate alone)");
                        Mechanism = connector.IsSecure && connector.Transport.ClientCertificateSent ? "cert" : "trust";
                    }
                    return;

                case AuthenticationRequestType.CleartextPassword:
                    RefuseWithoutChannelBinding("a cleartext password");
                    RefuseUnlessRequired(AuthenticationMethods.Password, "a cleartext password");
                    Mechanism = "cleartext";
                    PasswordMessage.Write(connector.WriteBuffer, Encoding.UTF8.GetBytes(RequirePassword("password")));
                    break;

                case AuthenticationRequestType.MD5Password:
                {
                    RefuseWithoutChannelBinding("MD5 password authentication");
                    RefuseUnlessRequired(AuthenticationMethods.MD5, "MD5 password authentication");
                    Mechanism = "MD5";
                    byte[] salt = connector.ReadBuffer.MessageBody.Slice(4, 4).ToArray();
                    PasswordMessage.Write(connector.WriteBuffer, Md5Password.Compute(connector.Settings.Username, RequirePassword("md5"), salt));
                    break;
                }

                case AuthenticationRequestType.SASL:
                {
                    if (scram is not null) throw connector.Unexpected(code, "SASLContinue");
                    RefuseUnlessRequired(AuthenticationMethods.ScramSha256, "SCRAM-SHA-256 authentication");
                    var mechanisms = connector.Guard(static body => AuthenticationRequest.ParseMechanisms(body[4..]));
                    bool canBind = connector.Transport.ServerCertificateHash is not null && connector.Settings.ChannelBinding != ChannelBinding.Disable;
                    string mechanism = SaslMechanisms.Choose(mechanisms, canBind)
                        ?? throw AuthFailed($"The server offered only the SASL mechanism(s) {string.Join(", ", mechanisms)}, " +
                                            "none of which PgWire supports (it supports SCRAM-SHA-256 and SCRAM-SHA-256-PLUS).");
                    if (mechanism != SaslMechanisms.ScramSha256Plus)
                        RefuseWithoutChannelBinding(connector.IsSecure
                            ? $"SCRAM-SHA-256 without channel binding (the server offered {string.Join(", ", mechanisms)})"
                            : "SCRAM-SHA-256 without channel binding (the connection is not TLS)");
                    var binding = mechanism == SaslMechanisms.ScramSha256Plus
                        ? ScramChannelBinding.TlsServerEndPoint(connector.Transport.ServerCertificateHash!)
                        : canBind ? ScramChannelBinding.SupportedButNotUsed : ScramChannelBinding.NotSupportedByClient;
                    scram = new ScramSha256Client(RequirePassword("scram-sha-256"), channelBinding: binding);
                    Mechanism = mechanism;
                    SASLInitialResponse.Write(connector.WriteBuffer, mechanism, scram.CreateClientFirstMessage());
                    break;
                }

                case AuthenticationRequestType.SASLContinue:
                    if (scram is null) throw connector.Unexpected(code, "an authentication request (SASLContinue before SASL)");
                    try
                    {
                        SASLResponse.Write(connector.WriteBuffer, scram.HandleServerFirstMessage(connector.ReadBuffer.MessageBody[4..]));
                    }
                    catch (Exception e) when (e is PgAuthenticationException or InvalidOperationException)
                    {
                        connector.Break();
                        if (e is PgAuthenticationException) throw;
                        throw AuthFailed($"The server's SCRAM exchange was out of order: {e.Message}");
                    }
                    break;

                case AuthenticationRequestType.SASLFinal:
                    if (scram is null) throw connector.Unexpected(code, "an authentication request (SASLFinal before SASL)");
                    try
                    {
                        scram.VerifyServerFinalMessage(connector.ReadBuffer.MessageBody[4..]);
                    }
                    catch (Exception e) when (e is PgAuthenticationException or InvalidOperationException)
                    {
                        connector.Break();
                        if (e is PgAuthenticationException) throw;
                        throw AuthFailed($"The server's SCRAM exchange was out of order: {e.Message}");
                    }
                    scramVerified = true;
                    continue;

                default:
                    throw AuthFailed($"The server asked for the {request} authentication method, which PgWire does not support " +
                                     "(it supports SCRAM-SHA-256, MD5 and cleartext passwords). Change the method in pg_hba.conf.");
            }
            await connector.FlushAsync(async, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The password: the connection string's, else the password file's line for this host, port, database and user.</summary>
    private string RequirePassword(string method)
    {
        if (connector.Settings.Password is { } password) return password;
        string? passfile = connector.Settings.Passfile;
        string? warning = null;
        if (passfile is not null)
        {
            var found = PgPassFile.FindPassword(passfile, connector.Host.Name, connector.Host.Port, connector.Settings.Database, connector.Settings.Username, w => warning = w);
            if (found is not null) return found;
        }
        throw AuthFailed(
            $"The server asked for a password ({method} authentication) for user \"{connector.Settings.Username}\", but the connection " +
            "string has none" + (passfile is null ? "" : $" and the password file {passfile} has no line for it") +
            (warning is null ? "" : $" ({warning})") + ". Add Password=... to the connection string.");
    }

    /// <summary>Channel Binding=Require accepts only SCRAM-SHA-256-PLUS: anything else could be a server that has neither the password nor the certificate's key.</summary>
    private void RefuseWithoutChannelBinding(string what)
    {
        if (connector.Settings.ChannelBinding == ChannelBinding.Require)
            throw AuthFailed($"Channel Binding=Require, but the server at {connector.Host} asked for {what}; only SCRAM-SHA-256-PLUS over TLS " +
                             "proves the server holds its certificate's key and knows the password, so the connection was refused.");
    }


    /// <summary>Require Auth: a request for a method it does not allow ends the open before anything is sent in answer.</summary>
    private void RefuseUnlessRequired(AuthenticationMethods method, string what)
    {
        if ((connector.Settings.AllowedAuthentication & method) == 0)
            throw AuthFailed($"The server at {connector.Host} asked for {what}, which Require Auth={connector.Settings.RequireAuth} does not allow; " +
                             "the connection was refused.");
    }

    private PgAuthenticationException AuthFailed(string message)
    {
        connector.Break();
        return new PgAuthenticationException(message);
    }
}
