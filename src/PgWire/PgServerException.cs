using PgWire.Protocol.Backend;

namespace PgWire;

/// <summary>
/// An error the server reported (ErrorResponse), with every field it sent. Compare <see cref="SqlState"/>
/// with the constants of <see cref="PgErrorCodes"/>.
/// </summary>
/// <remarks>
/// <see cref="Detail"/> can hold row values (a unique violation names the duplicate key), so unless the connection
/// string says Include Error Detail=true it holds <see cref="WithheldDetail"/> instead (as Npgsql does) and stays out of
/// <see cref="Exception.Message"/>, which tends to end up in logs. With Include Error Detail=true the message shows it.
/// </remarks>
public class PgServerException : PgException
{
    internal PgServerException(ErrorOrNoticeFields fields) : this(fields, null, null) { }

    /// <summary>The server's error with PgWire's explanation of what it means here appended to the message.</summary>
    internal PgServerException(ErrorOrNoticeFields fields, string? explanation, Exception? innerException)
        : base(explanation is null ? BuildMessage(fields) : BuildMessage(fields) + ". " + explanation, innerException)
    {
        Fields = fields;
        Severity = fields.Severity;
        InvariantSeverity = fields.InvariantSeverity;
        SqlState = fields.SqlState;
        MessageText = fields.Message;
        Detail = fields.DetailWithheld ? WithheldDetail : fields.Detail;
        Hint = fields.Hint;
        Position = fields.Position;
        InternalPosition = fields.InternalPosition;
        InternalQuery = fields.InternalQuery;
        Where = fields.Where;
        SchemaName = fields.SchemaName;
        TableName = fields.TableName;
        ColumnName = fields.ColumnName;
        DataTypeName = fields.DataTypeName;
        ConstraintName = fields.ConstraintName;
        File = fields.File;
        Line = fields.Line;
        Routine = fields.Routine;
    }

    internal ErrorOrNoticeFields Fields { get; }

    /// <summary>A prepared statement's tables changed under it (0A000) before it ran: outside a transaction it can simply run again.</summary>
    internal bool StalePreparedStatement { get; init; }

    /// <summary>What <see cref="Detail"/> and <see cref="PgNotice.Detail"/> hold when the server's detail was withheld.</summary>
    public const string WithheldDetail =
        "Detail withheld because it may contain row values. Add 'Include Error Detail=true' to the connection string to see it.";

    private static string BuildMessage(ErrorOrNoticeFields f) =>
        $"{f.SqlState}: {f.Message}" + (f.Detail is null ? "" : $" (detail: {f.Detail})") + (f.Hint is null ? "" : $" (hint: {f.Hint})");

    /// <summary>ERROR, FATAL or PANIC, possibly localized.</summary>
    public string Severity { get; }

    /// <summary>ERROR, FATAL or PANIC, never localized.</summary>
    public string InvariantSeverity { get; }

    public override string SqlState { get; }

    /// <summary>The server's primary message, without the SQLSTATE prefix.</summary>
    public string MessageText { get; }

    public string? Detail { get; }

    public string? Hint { get; }

    /// <summary>1-based character position in the command text where the error was found; 0 when not given.</summary>
    public int Position { get; }

    public int InternalPosition { get; }

    public string? InternalQuery { get; }

    public string? Where { get; }

    public string? SchemaName { get; }

    public string? TableName { get; }

    public string? ColumnName { get; }

    public string? DataTypeName { get; }

    public string? ConstraintName { get; }

    public string? File { get; }

    public string? Line { get; }

    public string? Routine { get; }

    /// <summary>True when the server ended the session (FATAL or PANIC): the connection is closed.</summary>
    public bool IsFatal => InvariantSeverity is "FATAL" or "PANIC";

    /// <summary>
    /// Serialization failures, deadlocks, lack of resources and an administrator's shutdown: trying again may succeed.
    /// </summary>
    public override bool IsTransient => SqlState switch
    {
        PgErrorCodes.SerializationFailure or PgErrorCodes.DeadlockDetected or PgErrorCodes.LockNotAvailable => true,
        PgErrorCodes.AdminShutdown or PgErrorCodes.CrashShutdown or PgErrorCodes.CannotConnectNow => true,
        _ => SqlState.StartsWith("08", StringComparison.Ordinal) || SqlState.StartsWith("53", StringComparison.Ordinal),
    };
}
