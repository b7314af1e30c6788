using System.Data;

namespace PgWire.Connection;

/// <summary>
/// A command as it travels from the public face to the connection: its statements (SQL and bound parameters),
/// behaviour and timeout, together. A batch is several statements; a command text of several statements is split
/// into them. The object that builds a request owns it and reuses it, with its parameter buffers, for its next run.
/// </summary>
internal sealed class CommandRequest
{
    private string[] _sql = new string[1];
    private BoundParameters[] _parameters = [new()];
    private CachedStatement?[] _statements = new CachedStatement?[1];

    public int Count { get; private set; }

    public CommandBehavior Behavior { get; set; }

    /// <summary>Seconds before the command is cancelled; 0 for no limit.</summary>
    public int TimeoutSeconds { get; set; }

    /// <summary>Prepare the statements (PgCommand.Prepare): described now, created under a name with their first run.</summary>
    public bool Prepare { get; set; }

    public string Sql(int index) => _sql[index];

    public BoundParameters Parameters(int index) => _parameters[index];

    /// <summary>What the connection running the request knows of the statement (looked up once a run), or null when it is new.</summary>
    public CachedStatement? Statement(int index) => _statements[index];

    public void SetStatement(int index, CachedStatement? statement) => _statements[index] = statement;

    /// <summary>Starts filling the request anew.</summary>
    public void Clear(CommandBehavior behavior, int timeoutSeconds, bool prepare = false)
    {
        // The parameter sets are cleared as they are handed out again (Add).
        Count = 0;
        Behavior = behavior;
        TimeoutSeconds = timeoutSeconds;
        Prepare = prepare;
    }

    /// <summary>Adds a statement; the caller binds its parameters into the returned (empty) set.</summary>
    public BoundParameters Add(string sql)
    {
        if (Count == _sql.Length)
        {
            Array.Resize(ref _sql, Count * 2);
            Array.Resize(ref _parameters, Count * 2);
            Array.Resize(ref _statements, Count * 2);
        }
        _sql[Count] = sql;
        var parameters = _parameters[Count] ??= new BoundParameters();
        parameters.Clear();
        Count++;
        return parameters;
    }

    /// <summary>Drops the values the request holds, so it keeps no user data alive between runs.</summary>
    public void Release()
    {
        for (int i = 0; i < Count; i++)
        {
            _parameters[i].Clear();
            _statements[i] = null;
        }
    }
}
