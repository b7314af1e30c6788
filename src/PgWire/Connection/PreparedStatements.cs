using PgWire.Protocol.Frontend;
using PgWire.Types.Dynamic;

namespace PgWire.Connection;

/// <summary>
/// Server-side prepared statements: SQL this connection runs often (Auto Prepare Min Usages) or was asked to
/// prepare is parsed once under a name and then only bound and executed, saving the server its parsing and planning
/// and the wire its Parse and Describe. At most Max Auto Prepare are kept, least recently used closed first.
/// </summary>
internal sealed class PreparedStatements
{
    private const int MaxCachedStatements = 256;

    private readonly ConnectorSettings _settings;
    private readonly List<string> _pendingCloses = new();

    /// <summary>Called when the session's prepared statements are all gone (DISCARD ALL, DEALLOCATE ALL).</summary>
    private readonly Action _forgotten;

    public PreparedStatements(ConnectorSettings settings, Action forgotten)
    {
        _settings = settings;
        _forgotten = forgotten;
        Statements = new StatementCache(MaxCachedStatements, OnStatementEvicted);
    }

    /// <summary>Descriptions of the statements this connection has run, so they are not described again.</summary>
    public StatementCache Statements { get; }

    private int _preparedCount;
    private int _requestedPreparedCount;

    /// <summary>True while any statement is prepared on the server under a name.</summary>
    public bool HasPreparedStatements => _preparedCount + _requestedPreparedCount > 0;

    /// <summary>Prepare was called: the statement is the user's from now on, outside Max Auto Prepare's count.</summary>
    internal void RequestPrepare(CachedStatement statement)
    {
        if (statement.PrepareRequested) return;
        if (statement.PreparedName is not null)
        {
            _preparedCount--;
            _requestedPreparedCount++;
        }
        statement.PrepareRequested = true;
    }

    /// <summary>
    /// Statement names are unique in the process and carry a random per-process part, so a session that is not this
    /// connection's own (a pooler between us and the server) never holds a statement of the same name made by
    /// someone else: running the wrong statement is impossible, the server reports the statement missing instead.
    /// </summary>
    internal static readonly string StatementNamePrefix = "_pgw" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4)).ToLowerInvariant() + "_";
    private static long s_nextStatementId;

    /// <summary>The statement name to run <paramref name="statement"/> under now, or null to run it unnamed.</summary>
    internal string? ChooseStatementName(CachedStatement statement, out bool newlyPrepared)
    {
        newlyPrepared = false;
        if (statement.PreparedName is { } name) return name;
        if (!_settings.PreparedStatements) return null;
        int max = _settings.MaxAutoPrepare;
        // Statements prepared on request are the user's: they neither count against Max Auto Prepare nor get evicted by it.
        bool automatic = !statement.PrepareRequested;
        if (automatic)
        {
            if (max == 0 || statement.Usages < _settings.AutoPrepareMinUsages) return null;
            if (_preparedCount >= max) EvictLeastRecentlyPrepared(statement);
            _preparedCount++;
        }
        else _requestedPreparedCount++;
        statement.PreparedName = StatementNamePrefix + Interlocked.Increment(ref s_nextStatementId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        newlyPrepared = true;
        return statement.PreparedName;
    }

    private void EvictLeastRecentlyPrepared(CachedStatement keep)
    {
        var victim = Statements.LeastRecentlyUsed(s => s.PreparedName is not null && !s.PrepareRequested && s != keep);
        if (victim is not null) Unprepare(victim, closeOnServer: true);
    }

    /// <summary>Forgets a statement's server-side name; with <paramref name="closeOnServer"/> a Close goes out with the next command.</summary>
    internal void Unprepare(CachedStatement statement, bool closeOnServer)
    {
        if (statement.PreparedName is not { } name) return;
        statement.PreparedName = null;
        statement.Usages = 0;
        if (statement.PrepareRequested) _requestedPreparedCount--;
        else _preparedCount--;
        if (closeOnServer) _pendingCloses.Add(name);
    }

    /// <summary>
    /// The user asked to release a statement: it loses its name (the server's copy is closed with the next command)
    /// and its usage count, so it is prepared again only if it is run often again or prepared on request.
    /// </summary>
    internal void UnprepareOnRequest(CachedStatement statement)
    {
        if (statement.PreparedName is null && !statement.PrepareRequested) return;
        Unprepare(statement, closeOnServer: true);
        statement.PrepareRequested = false;
        statement.Usages = 0;
    }

    /// <summary>Releases every statement prepared on this connection, automatically or on request.</summary>
    internal void UnprepareAll()
    {
        foreach (var statement in Statements.All) UnprepareOnRequest(statement);
    }

    /// <summary>Writes the Close messages owed for evicted statements; each earns a CloseComplete.</summary>
    internal void WritePendingCloses(Protocol.WriteBuffer buffer, ProtocolEngine engine)
    {
        if (_pendingCloses.Count == 0) return;
        foreach (var name in _pendingCloses)
        {
            Close.Write(buffer, Describe.Statement, name);
            engine.Expect(ReplyKind.CloseComplete);
        }
        _pendingCloses.Clear();
    }

    /// <summary>The server dropped every prepared statement (DISCARD ALL, DEALLOCATE ALL): forget all names.</summary>
    internal void ForgetPreparedStatements()
    {
        _forgotten();
        _pendingCloses.Clear();
        if (!HasPreparedStatements) return;
        // Usage counts stay: a statement that earned its preparation is prepared again at its next run.
        foreach (var statement in Statements.All) statement.PreparedName = null;
        _preparedCount = 0;
        _requestedPreparedCount = 0;
        _pendingCloses.Clear();
    }

    /// <summary>A command's tag: DISCARD ALL and DEALLOCATE ALL drop the session's prepared statements.</summary>
    internal void NoteCommandTag(ReadOnlySpan<byte> commandCompleteBody)
    {
        if (commandCompleteBody.Length > 0 && commandCompleteBody[0] == (byte)'D' &&
            (commandCompleteBody.StartsWith("DISCARD ALL\0"u8) || commandCompleteBody.StartsWith("DEALLOCATE ALL\0"u8)))
            ForgetPreparedStatements();
    }

    /// <summary>A statement dropped from the description cache: its server-side statement is closed too.</summary>
    private void OnStatementEvicted(CachedStatement statement) => Unprepare(statement, closeOnServer: true);

    /// <summary>
    /// After the server refused a run of a prepared statement: "cached plan must not change result type" (0A000,
    /// a table changed under it) drops the statement and its description so the next run describes and prepares it
    /// afresh; "prepared statement does not exist" (26000) means the session lost it (PgBouncer in transaction mode
    /// hands out another server connection, or someone ran DEALLOCATE); "prepared statement already exists" (42P05)
    /// on a name this connection just chose means the same, with another client's statements in that session.
    /// </summary>
    internal PgException HandlePreparedStatementError(CachedStatement statement, PgException error)
    {
        if (error is not PgServerException server) return error;
        if (server.SqlState == PgErrorCodes.FeatureNotSupported && statement.PreparedName is not null)
        {
            Unprepare(statement, closeOnServer: true);
            Statements.Invalidate(statement);
            var stale = new PgServerException(server.Fields,
                "A table or type the statement uses changed after this connection prepared it; PgWire has dropped the prepared " +
                "statement, so running the command again (outside the failed transaction) describes and prepares it afresh.", server)
            {
                StalePreparedStatement = true,
            };
            return stale;
        }
        else if (server.SqlState == PgErrorCodes.InvalidSqlStatementName && statement.PreparedName is not null)
        {
            ForgetPreparedStatements();
            return new PgServerException(server.Fields,
                "The server no longer has the statement this connection prepared. Behind PgBouncer in transaction or statement mode, " +
                "each transaction may run on another server connection: add Prepared Statements=false to the connection string. " +
                "PgWire has forgotten its prepared statements; the next run prepares again.", server);
        }
        else if (server.SqlState == PgErrorCodes.DuplicatePreparedStatement)
        {
            // Our Parse of a new name met a statement of that name we never made: the session is another client's.
            ForgetPreparedStatements();
            return new PgServerException(server.Fields,
                "The server connection already has a statement of the name this connection chose, so it is not this connection's own " +
                "session. Behind PgBouncer in transaction or statement mode, each transaction may run on another server connection: add " +
                "Prepared Statements=false to the connection string.", server);
        }
        return error;
    }

    /// <summary>The version of the data source's type catalog the descriptions were made with.</summary>
    private int _catalogVersion;

    /// <summary>
    /// When the data source's types change, the statement descriptions are made again with the new set (their columns
    /// may now have codecs). What the server holds is unchanged, so each keeps its prepared name, its request to be
    /// prepared and its usage count: dropping them would leave their server statements unclosed and forgotten.
    /// </summary>
    public void FollowCatalog(PgTypeCatalog types)
    {
        int version = types.Version;
        if (version == _catalogVersion) return;
        var statements = new List<CachedStatement>(Statements.All);
        Statements.Clear();
        // Oldest first, so the cache's order of use stays as it was.
        for (int i = statements.Count - 1; i >= 0; i--)
        {
            var old = statements[i];
            var renewed = old.WithRegistry(types.Registry);
            renewed.PreparedName = old.PreparedName;
            renewed.PrepareRequested = old.PrepareRequested;
            renewed.Usages = old.Usages;
            Statements.Add(renewed);
        }
        _catalogVersion = version;
    }
}
