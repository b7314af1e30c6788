namespace PgWire.Connection;

/// <summary>What was written for one statement of a command, and what its answer has shown so far.</summary>
internal struct BatchEntry
{
    /// <summary>The statement as this connection knows it; for a first run, set when its description arrives.</summary>
    public CachedStatement? Statement;

    /// <summary>For a statement described in this command: its SQL and the parameter types sent in Parse.</summary>
    public string? Sql;
    public uint[]? ParameterOids;

    /// <summary>A Describe of the (unnamed) statement was written: its ParameterDescription and RowDescription come first.</summary>
    public bool DescribeStatement;

    /// <summary>An Execute was written (false for a description only).</summary>
    public bool Execute;

    /// <summary>Another statement of this batch wrote the Parse and Describe this one binds again: its columns are these.</summary>
    public int ColumnsFrom;

    public ResultColumns? Columns;

    /// <summary>The statement is created under a name by this command's Parse.</summary>
    public bool NewlyPrepared;
    public bool ParseCompleted;

    /// <summary>Run under a statement name (prepared): its errors may mean the server lost the statement.</summary>
    public bool Named;

    public long RowsAffected;
}
