using System.Data;
using System.Data.Common;

namespace PgWire;

/// <summary>Raised by <see cref="PgDataAdapter.RowUpdated"/> after the command that saved a changed row ran (or failed).</summary>
public sealed class PgRowUpdatedEventArgs(DataRow dataRow, IDbCommand? command, StatementType statementType, DataTableMapping tableMapping)
    : RowUpdatedEventArgs(dataRow, command, statementType, tableMapping)
{
    /// <summary>The command that saved the row.</summary>
    public new PgCommand? Command => (PgCommand?)base.Command;
}
