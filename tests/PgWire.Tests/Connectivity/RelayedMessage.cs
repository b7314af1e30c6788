namespace PgWire.Tests.Connectivity;

/// <summary>Which way a message went through the <see cref="FaultProxy"/>.</summary>
public enum MessageDirection
{
    /// <summary>Frontend to backend: from the driver to the server.</summary>
    ClientToServer,

    /// <summary>Backend to frontend: from the server to the driver.</summary>
    ServerToClient,
}

/// <summary>
/// One protocol message the <see cref="FaultProxy"/> received, numbered from 1 in the order the proxy received the
/// messages of one connection, both directions in one sequence. <paramref name="Code"/> is the type byte, or '\0'
/// for the untyped StartupMessage.
/// </summary>
public readonly record struct RelayedMessage(int Number, MessageDirection Direction, char Code)
{
    /// <summary>The message's name in the PostgreSQL documentation (Protocol, Message Formats).</summary>
    public string Name => Direction == MessageDirection.ClientToServer ? FrontendName(Code) : BackendName(Code);

    /// <summary>The point as a test failure names it, e.g. <c>#12 client->server 'Q' Query</c>.</summary>
    public override string ToString() =>
        $"#{Number} {(Direction == MessageDirection.ClientToServer ? "client->server" : "server->client")} " +
        (Code == '\0' ? Name : $"'{Code}' {Name}");

    private static string FrontendName(char code) => code switch
    {
        '\0' => "StartupMessage",
        'p' => "PasswordMessage/SASLResponse",
        'Q' => "Query",
        'P' => "Parse",
        'B' => "Bind",
        'D' => "Describe",
        'E' => "Execute",
        'S' => "Sync",
        'H' => "Flush",
        'C' => "Close",
        'F' => "FunctionCall",
        'd' => "CopyData",
        'c' => "CopyDone",
        'f' => "CopyFail",
        'X' => "Terminate",
        _ => "(unknown)",
    };

    private static string BackendName(char code) => code switch
    {
        'R' => "Authentication",
        'S' => "ParameterStatus",
        'K' => "BackendKeyData",
        'Z' => "ReadyForQuery",
        'C' => "CommandComplete",
        '1' => "ParseComplete",
        '2' => "BindComplete",
        '3' => "CloseComplete",
        't' => "ParameterDescription",
        'T' => "RowDescription",
        'n' => "NoData",
        'D' => "DataRow",
        'I' => "EmptyQueryResponse",
        's' => "PortalSuspended",
        'E' => "ErrorResponse",
        'N' => "NoticeResponse",
        'A' => "NotificationResponse",
        'v' => "NegotiateProtocolVersion",
        'G' => "CopyInResponse",
        'H' => "CopyOutResponse",
        'W' => "CopyBothResponse",
        'd' => "CopyData",
        'c' => "CopyDone",
        _ => "(unknown)",
    };
}
