namespace PgWire.Connection;

/// <summary>
/// What one frontend message earns back from the server (PostgreSQL documentation, "Message Flow", Extended Query):
/// the engine queues one of these for each message written and routes every backend message to the head of the queue.
/// </summary>
internal enum ReplyKind : byte
{
    /// <summary>Parse: ParseComplete.</summary>
    ParseComplete,

    /// <summary>Bind: BindComplete.</summary>
    BindComplete,

    /// <summary>Close: CloseComplete.</summary>
    CloseComplete,

    /// <summary>Describe of a statement: ParameterDescription, then RowDescription or NoData.</summary>
    StatementDescription,

    /// <summary>Describe of a portal: RowDescription or NoData.</summary>
    PortalDescription,

    /// <summary>Execute: DataRows, then CommandComplete, EmptyQueryResponse or PortalSuspended.</summary>
    ExecuteResult,

    /// <summary>A simple Query: each statement's RowDescription, DataRows and CommandComplete, then ReadyForQuery.</summary>
    SimpleQuery,

    /// <summary>Sync: ReadyForQuery.</summary>
    Sync,

    /// <summary>The startup message: authentication requests, BackendKeyData, then ReadyForQuery.</summary>
    Startup,

    /// <summary>
    /// A simple Query that runs COPY: CopyInResponse or CopyOutResponse, the CopyData and CopyDone of COPY TO STDOUT,
    /// CommandComplete, then ReadyForQuery (PostgreSQL documentation, "Message Flow", COPY Operations). Read by
    /// <see cref="CopyOperation"/>, which also takes a statement that turns out not to be a COPY to its end.
    /// </summary>
    Copy,
}
