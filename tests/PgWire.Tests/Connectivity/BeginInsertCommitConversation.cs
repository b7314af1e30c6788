namespace PgWire.Tests.Connectivity;

/// <summary>
/// The conversation the network-fault tests fault at each of its messages: open, BEGIN, an INSERT of
/// <paramref name="row"/> with a parameter, COMMIT, then dispose the transaction and the connection. Remembers the
/// step it is in, so that a failure says where the driver was when it hung or threw. With a pool,
/// <see cref="UseAndReturnToPoolAsync"/> first makes the connection the conversation gets one that comes back from the
/// pool owing a session reset, which then goes out with BEGIN.
/// </summary>
internal sealed class BeginInsertCommitConversation(string connectionString, string table, int row)
{
    private readonly string _insert = "INSERT INTO " + table + " VALUES ($1)";

    public PgConnection Connection { get; } = new(connectionString);

    public PgTransaction? Transaction { get; private set; }

    /// <summary>The backend's process id, once the open succeeded.</summary>
    public int? ProcessId { get; private set; }

    /// <summary>The call the conversation is in (or "finished").</summary>
    public string Step { get; private set; } = "not started";

    /// <summary>Opens a connection of the same connection string, runs a query on it and closes it (back to the pool).</summary>
    public async Task UseAndReturnToPoolAsync()
    {
        Step = "using a connection before the conversation";
        await using var earlier = new PgConnection(connectionString);
        await earlier.OpenAsync();
        await earlier.QueryScalarAsync<int>("SELECT 1");
    }

    public async Task RunAsync()
    {
        Step = "OpenAsync";
        await Connection.OpenAsync();
        ProcessId = Connection.ProcessId;
        Step = "BeginTransactionAsync (BEGIN)";
        Transaction = await Connection.BeginTransactionAsync();
        Step = "ExecuteAsync (INSERT)";
        await Connection.ExecuteAsync(_insert, row);
        Step = "CommitAsync (COMMIT)";
        await Transaction.CommitAsync();
        Step = "the transaction's DisposeAsync";
        await Transaction.DisposeAsync();
        Step = "the connection's DisposeAsync";
        await Connection.DisposeAsync();
        Step = "finished";
    }
}
