namespace PgWire.Sql;

/// <summary>
/// One statement of a multi-statement command text (or of a text with named placeholders): its SQL with placeholders
/// renumbered $1..$k in order of first appearance, and for each, what it stands for.
/// </summary>
/// <remarks>
/// Renumbered because each statement goes in a Parse of its own, and the server takes a statement's highest $n as
/// its parameter count: a statement that uses only the command's $3 would otherwise declare $1 and $2 as well, which
/// it never uses and whose types the server cannot infer.
/// </remarks>
internal sealed class SqlStatement(string sql, int[] parameterIndexes)
{
    /// <summary>The statement's text, trimmed of surrounding white space, without its terminating ';'.</summary>
    public string Sql { get; } = sql;

    /// <summary>
    /// <c>ParameterIndexes[j - 1]</c> is the zero-based index of the command parameter that <c>$j</c> of
    /// <see cref="Sql"/> stands for (for a text with named placeholders, the index of its name in
    /// <see cref="ParsedSql.Names"/>); empty (one shared array) when the statement has no placeholders.
    /// </summary>
    public int[] ParameterIndexes { get; } = parameterIndexes;

    public override string ToString() => Sql;
}
