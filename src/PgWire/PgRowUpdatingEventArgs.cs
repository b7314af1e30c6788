using System.Data;
using System.Data.Common;

namespace PgWire;

/// <summary>Raised by <see cref="PgDataAdapter.RowUpdating"/> before the command that saves a changed row runs.</summary>
public sealed class PgRowUpdatingEventArgs(DataRow dataRow, IDbCommand? command, StatementType statementType, DataTableMapping tableMapping)
    : RowUpdatingEventArgs(dataRow, command, statementType, tableMapping)
{
    /// <summary>The command that will save the row (one the <see cref="PgCommandBuilder"/> made, or the adapter's own).</summary>
    public new PgCommand? Command
    {
        get => (PgCommand?)base.Command;
        set => base.Command = value;
    }
}
