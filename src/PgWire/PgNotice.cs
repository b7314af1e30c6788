using PgWire.Protocol.Backend;

namespace PgWire;

/// <summary>A NoticeResponse the server sent (a WARNING, NOTICE, INFO, ... from RAISE or the server itself).</summary>
public sealed class PgNotice
{
    internal PgNotice(ErrorOrNoticeFields fields)
    {
        Severity = fields.Severity;
        InvariantSeverity = fields.InvariantSeverity;
        SqlState = fields.SqlState;
        MessageText = fields.Message;
        Detail = fields.DetailWithheld ? PgServerException.WithheldDetail : fields.Detail;
        Hint = fields.Hint;
        Where = fields.Where;
    }

    public string Severity { get; }
    public string InvariantSeverity { get; }
    public string SqlState { get; }
    public string MessageText { get; }
    /// <summary>The server's detail; <see cref="PgServerException.WithheldDetail"/> unless Include Error Detail=true.</summary>
    public string? Detail { get; }
    public string? Hint { get; }
    public string? Where { get; }

    public override string ToString() => $"{Severity}: {MessageText}";
}

/// <summary>The arguments of <see cref="PgConnection.Notice"/>.</summary>
public sealed class PgNoticeEventArgs(PgNotice notice) : EventArgs
{
    public PgNotice Notice { get; } = notice;
}
