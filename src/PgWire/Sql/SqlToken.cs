namespace PgWire.Sql;

/// <summary>One token of command text: its kind and where it lies, as [<see cref="Start"/>, <see cref="End"/>) of the text.</summary>
internal readonly record struct SqlToken(SqlTokenKind Kind, int Start, int End)
{
    public int Length => End - Start;
}
