namespace PgWire;

/// <summary>
/// COMMIT did not commit: the transaction had failed earlier, so the server rolled it back instead
/// (SqlState 40000, transaction_rollback). The connection is usable and no longer in a transaction.
/// </summary>
public class PgTransactionRolledBackException : PgException
{
    public PgTransactionRolledBackException(string message) : base(message) { }

    public override string? SqlState => PgErrorCodes.TransactionRollback;
}
