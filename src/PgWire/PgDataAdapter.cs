using System.Data;
using System.Data.Common;

namespace PgWire;

/// <summary>
/// Fills DataSets and DataTables with the rows of <see cref="SelectCommand"/>, and saves the rows changed in them with
/// <see cref="InsertCommand"/>, <see cref="UpdateCommand"/> and <see cref="DeleteCommand"/>, written by hand or made
/// by a <see cref="PgCommandBuilder"/> from the select command's table.
/// </summary>
public sealed class PgDataAdapter : DbDataAdapter
{
    public PgDataAdapter() { }

    public PgDataAdapter(PgCommand selectCommand) => SelectCommand = selectCommand;

    public PgDataAdapter(string selectCommandText, PgConnection connection) : this(new PgCommand(selectCommandText, connection)) { }

    /// <summary>An adapter whose select command runs on a new connection of its own (opened and closed as Fill needs it).</summary>
    public PgDataAdapter(string selectCommandText, string connectionString)
        : this(new PgCommand(selectCommandText, new PgConnection(connectionString))) { }

    /// <summary>Raised before each changed row is saved: the command can be changed, or the row skipped.</summary>
    public event EventHandler<PgRowUpdatingEventArgs>? RowUpdating;

    /// <summary>Raised after each changed row was saved, or failed to be.</summary>
    public event EventHandler<PgRowUpdatedEventArgs>? RowUpdated;

    public new PgCommand? SelectCommand
    {
        get => (PgCommand?)base.SelectCommand;
        set => base.SelectCommand = value;
    }

    public new PgCommand? InsertCommand
    {
        get => (PgCommand?)base.InsertCommand;
        set => base.InsertCommand = value;
    }

    public new PgCommand? UpdateCommand
    {
        get => (PgCommand?)base.UpdateCommand;
        set => base.UpdateCommand = value;
    }

    public new PgCommand? DeleteCommand
    {
        get => (PgCommand?)base.DeleteCommand;
        set => base.DeleteCommand = value;
    }

    protected override RowUpdatingEventArgs CreateRowUpdatingEvent(DataRow dataRow, IDbCommand? command, StatementType statementType,
        DataTableMapping tableMapping) => new PgRowUpdatingEventArgs(dataRow, command, statementType, tableMapping);

    protected override RowUpdatedEventArgs CreateRowUpdatedEvent(DataRow dataRow, IDbCommand? command, StatementType statementType,
        DataTableMapping tableMapping) => new PgRowUpdatedEventArgs(dataRow, command, statementType, tableMapping);

    protected override void OnRowUpdating(RowUpdatingEventArgs value)
    {
        if (value is PgRowUpdatingEventArgs e) RowUpdating?.Invoke(this, e);
    }

    protected override void OnRowUpdated(RowUpdatedEventArgs value)
    {
        if (value is PgRowUpdatedEventArgs e) RowUpdated?.Invoke(this, e);
    }
}
