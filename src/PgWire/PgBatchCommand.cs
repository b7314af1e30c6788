using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace PgWire;

/// <summary>
/// One statement of a <see cref="PgBatch"/>, with its own parameters: positional ($1, $2, ... from
/// <see cref="Parameters"/> in order) or named (@name or :name, bound by <see cref="PgParameter.ParameterName"/>).
/// </summary>
public sealed class PgBatchCommand : DbBatchCommand
{
    private string _commandText = "";

    public PgBatchCommand() { }

    public PgBatchCommand(string commandText) => _commandText = commandText;

    [AllowNull]
    public override string CommandText
    {
        get => _commandText;
        set => _commandText = value ?? "";
    }

    /// <summary>Only <see cref="CommandType.Text"/>: call a function with SELECT or a procedure with CALL.</summary>
    public override CommandType CommandType
    {
        get => CommandType.Text;
        set
        {
            if (value != CommandType.Text)
                throw new NotSupportedException("PgWire supports CommandType.Text only: write \"SELECT f($1)\" or \"CALL p($1)\".");
        }
    }

    /// <summary>Rows the statement inserted, updated, deleted or returned as its command tag said; -1 until it ran, or when the tag says nothing.</summary>
    public override int RecordsAffected => _recordsAffected < 0 ? -1 : (int)Math.Min(_recordsAffected, int.MaxValue);

    /// <summary><see cref="RecordsAffected"/> without the narrowing to int.</summary>
    public long Rows => _recordsAffected;

    private long _recordsAffected = -1;

    internal void SetRecordsAffected(long rows) => _recordsAffected = rows;

    public new PgParameterCollection Parameters { get; } = new();

    /// <summary>The command text read and matched with the parameters, kept while neither changes.</summary>
    internal CommandTextBinding Binding { get; } = new(Sql.ParsedSqlCache.BatchCommands);

    protected override DbParameterCollection DbParameterCollection => Parameters;

    public override bool CanCreateParameter => true;

    public override DbParameter CreateParameter() => new PgParameter();

    public override string ToString() => _commandText;
}
