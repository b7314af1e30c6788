namespace PgWire.Protocol.Backend;

/// <summary>The fields of an ErrorResponse ('E') or NoticeResponse ('N'), by their one-byte codes
/// (PostgreSQL documentation, "Error and Notice Message Fields").</summary>
internal sealed class ErrorOrNoticeFields
{
    public string Severity { get; private set; } = "";
    public string InvariantSeverity { get; private set; } = "";
    public string SqlState { get; private set; } = "";
    public string Message { get; private set; } = "";
    public string? Detail { get; private set; }

    /// <summary>True when the server sent a Detail that was dropped by <see cref="WithholdDetail"/>.</summary>
    public bool DetailWithheld { get; private set; }
    public string? Hint { get; private set; }
    public int Position { get; private set; }
    public int InternalPosition { get; private set; }
    public string? InternalQuery { get; private set; }
    public string? Where { get; private set; }
    public string? SchemaName { get; private set; }
    public string? TableName { get; private set; }
    public string? ColumnName { get; private set; }
    public string? DataTypeName { get; private set; }
    public string? ConstraintName { get; private set; }
    public string? File { get; private set; }
    public string? Line { get; private set; }
    public string? Routine { get; private set; }

    /// <summary>Drops the Detail, which can hold row values (a unique violation names the duplicate key), remembering that there was one.</summary>
    public void WithholdDetail()
    {
        if (Detail is null) return;
        Detail = null;
        DetailWithheld = true;
    }

    public static ErrorOrNoticeFields Parse(ReadOnlySpan<byte> body, byte code)
    {
        var reader = new MessageReader(body, code);
        var fields = new ErrorOrNoticeFields();
        while (true)
        {
            byte type = reader.ReadByte();
            if (type == 0) break;
            string value = reader.ReadCString();
            switch ((char)type)
            {
                case 'S': fields.Severity = value; break;
                case 'V': fields.InvariantSeverity = value; break;
                case 'C': fields.SqlState = value; break;
                case 'M': fields.Message = value; break;
                case 'D': fields.Detail = value; break;
                case 'H': fields.Hint = value; break;
                case 'P': fields.Position = int.TryParse(value, out int p) ? p : 0; break;
                case 'p': fields.InternalPosition = int.TryParse(value, out int ip) ? ip : 0; break;
                case 'q': fields.InternalQuery = value; break;
                case 'W': fields.Where = value; break;
                case 's': fields.SchemaName = value; break;
                case 't': fields.TableName = value; break;
                case 'c': fields.ColumnName = value; break;
                case 'd': fields.DataTypeName = value; break;
                case 'n': fields.ConstraintName = value; break;
                case 'F': fields.File = value; break;
                case 'L': fields.Line = value; break;
                case 'R': fields.Routine = value; break;
                // Unknown field types must be ignored: the documentation reserves the right to add more.
            }
        }
        reader.ExpectEnd();
        if (fields.InvariantSeverity.Length == 0) fields.InvariantSeverity = fields.Severity;
        return fields;
    }
}
