using System.Data;
using System.Data.Common;

namespace PgWire;

/// <summary>
/// Writes the INSERT, UPDATE and DELETE commands of a <see cref="PgDataAdapter"/> from its select command, which must
/// read one table and include its primary key (or a unique column). Identifiers are quoted with "..."; parameters
/// are positional ($1, $2, ... in the order of the command's Parameters). The table's columns are read with
/// <see cref="CommandBehavior.KeyInfo"/>: keys, read-only and auto-increment columns (identity, serial) come from
/// the catalog, and auto-increment columns are left to the server.
/// </summary>
public sealed class PgCommandBuilder : DbCommandBuilder
{
    public PgCommandBuilder()
    {
        QuotePrefix = "\"";
        QuoteSuffix = "\"";
    }

    public PgCommandBuilder(PgDataAdapter adapter) : this() => DataAdapter = adapter;

    public new PgDataAdapter? DataAdapter
    {
        get => (PgDataAdapter?)base.DataAdapter;
        set => base.DataAdapter = value;
    }

    public new PgCommand GetInsertCommand() => (PgCommand)base.GetInsertCommand();

    public new PgCommand GetInsertCommand(bool useColumnsForParameterNames) => (PgCommand)base.GetInsertCommand(useColumnsForParameterNames);

    public new PgCommand GetUpdateCommand() => (PgCommand)base.GetUpdateCommand();

    public new PgCommand GetUpdateCommand(bool useColumnsForParameterNames) => (PgCommand)base.GetUpdateCommand(useColumnsForParameterNames);

    public new PgCommand GetDeleteCommand() => (PgCommand)base.GetDeleteCommand();

    public new PgCommand GetDeleteCommand(bool useColumnsForParameterNames) => (PgCommand)base.GetDeleteCommand(useColumnsForParameterNames);

    /// <summary>"name" with each embedded " doubled, as PostgreSQL reads a quoted identifier.</summary>
    public override string QuoteIdentifier(string unquotedIdentifier)
    {
        ArgumentNullException.ThrowIfNull(unquotedIdentifier);
        return "\"" + unquotedIdentifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>The identifier inside "...", with each doubled " made single; an identifier not in quotes comes back as it is.</summary>
    public override string UnquoteIdentifier(string quotedIdentifier)
    {
        ArgumentNullException.ThrowIfNull(quotedIdentifier);
        if (quotedIdentifier.Length < 2 || quotedIdentifier[0] != '"' || quotedIdentifier[^1] != '"') return quotedIdentifier;
        return quotedIdentifier[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal);
    }

    /// <summary>
    /// Nothing to add: a parameter's type follows from its value (the DataRow's, of the .NET type the column was read
    /// as), and a NULL goes untyped so the server takes the column's type.
    /// </summary>
    protected override void ApplyParameterInfo(DbParameter parameter, DataRow row, StatementType statementType, bool whereClause) { }

    /// <summary>
    /// No name: the generated SQL's placeholders are positional, and an unnamed parameter is bound by its place alone.
    /// </summary>
    protected override string GetParameterName(int parameterOrdinal) => "";

    protected override string GetParameterName(string parameterName) => parameterName;

    /// <summary>$1 for the first parameter (DbCommandBuilder counts from 1, in the order it adds them).</summary>
    protected override string GetParameterPlaceholder(int parameterOrdinal) =>
        "$" + parameterOrdinal.ToString(System.Globalization.CultureInfo.InvariantCulture);

    protected override void SetRowUpdatingHandler(DbDataAdapter adapter)
    {
        if (adapter is not PgDataAdapter pgAdapter)
            throw new ArgumentException("A PgCommandBuilder works with a PgDataAdapter.", nameof(adapter));
        // Called once to attach the builder to a new adapter and once to detach it from the old one.
        if (ReferenceEquals(adapter, base.DataAdapter)) pgAdapter.RowUpdating -= OnRowUpdating;
        else pgAdapter.RowUpdating += OnRowUpdating;
    }

    private void OnRowUpdating(object? sender, PgRowUpdatingEventArgs e) => RowUpdatingHandler(e);
}
