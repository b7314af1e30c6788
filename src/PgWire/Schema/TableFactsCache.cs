using System.Data;
using PgWire.Protocol.Backend;

namespace PgWire.Schema;

/// <summary>
/// The tables an open connection has looked up for <see cref="CommandBehavior.KeyInfo"/> readers, by table OID: one
/// catalog query for every table of a result not yet known, then none for as long as the connection stays open. A
/// table created later has a new OID (so it is looked up when first met); DDL this connection runs (a tag beginning
/// CREATE, ALTER, DROP or ROLLBACK) forgets them all; closing the connection forgets them, so DDL by other sessions is
/// seen from the next open on.
/// </summary>
internal sealed class TableFactsCache
{
    /// <summary>
    /// Every column of the given tables (system columns such as xmin included), with what makes it a key, unique,
    /// generated or read-only. The index tests read pg_index.indkey up to indnkeyatts: INCLUDE columns are not keys.
    /// A column of a NOT NULL domain is NOT NULL, as information_schema.columns says.
    /// </summary>
    internal const string Query = """
        SELECT c.oid, current_database(), n.nspname, c.relname, a.attnum, a.attname,
               a.attnotnull OR (t.typtype = 'd' AND t.typnotnull) AS not_null,
               a.attidentity <> '' AS is_identity,
               a.attidentity <> '' OR coalesce(pg_get_expr(d.adbin, d.adrelid) LIKE 'nextval(%', false) AS is_auto_increment,
               a.attnum < 0 OR a.attgenerated <> '' OR NOT pg_column_is_updatable(c.oid, a.attnum, false) AS is_read_only,
               EXISTS (SELECT FROM pg_index i
                       WHERE i.indrelid = c.oid AND i.indisprimary
                         AND a.attnum = ANY ((i.indkey::int2[])[0:i.indnkeyatts - 1])) AS is_primary_key,
               EXISTS (SELECT FROM pg_index i
                       WHERE i.indrelid = c.oid AND i.indisunique AND i.indnkeyatts = 1 AND i.indkey[0] = a.attnum
                         AND i.indpred IS NULL AND i.indexprs IS NULL) AS is_unique
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum <> 0 AND NOT a.attisdropped
        JOIN pg_type t ON t.oid = a.atttypid
        LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
        WHERE c.oid = ANY ($1)
        """;

    private readonly Dictionary<uint, TableFacts> _tables = new();
    private int _catalogChanges;

    /// <summary>How many catalog queries this cache has run (for tests that a second reader runs none).</summary>
    public int QueriesRun { get; private set; }

    public TableFacts? Find(uint tableOid) => _tables.GetValueOrDefault(tableOid);

    /// <summary>What is known of a result column that comes from a table, or null.</summary>
    public ColumnFacts? Find(FieldDescription field) =>
        field.TableOid != 0 && _tables.TryGetValue(field.TableOid, out var table) ? table.Column(field.ColumnAttributeNumber) : null;

    /// <summary>
    /// Looks up, in one query, every table the fields come from that this cache does not know (or knows without one of
    /// the fields' columns: a column added since). Runs on the connection as an ordinary command: it sees what the
    /// connection's own transaction sees (temporary tables, tables created and not yet committed).
    /// </summary>
    /// <returns>False when a table was not found: the description the fields came from names a table dropped since.</returns>
    public async ValueTask<bool> LoadAsync(PgConnection connection, IEnumerable<FieldDescription> fields, int timeoutSeconds, bool async,
        CancellationToken cancellationToken)
    {
        int changes = connection.Connector.Session.CatalogChanges;
        if (changes != _catalogChanges)
        {
            _tables.Clear();
            _catalogChanges = changes;
        }
        var missing = new HashSet<uint>();
        foreach (var field in fields)
            if (field.TableOid != 0 && Find(field) is null) missing.Add(field.TableOid);
        if (missing.Count == 0) return true;

        QueriesRun++;
        var result = await CommandStart.StartAsync(connection, Query, [missing.ToArray()], CommandBehavior.Default, timeoutSeconds, async, cancellationToken)
            .ConfigureAwait(false);
        var loaded = new Dictionary<uint, TableFacts>();
        try
        {
            while (await result.ReadAsync(async, cancellationToken).ConfigureAwait(false))
            {
                uint oid = result.GetFieldValue<uint>(0);
                if (!loaded.TryGetValue(oid, out var table))
                {
                    table = new TableFacts(oid, result.GetFieldValue<string>(1), result.GetFieldValue<string>(2), result.GetFieldValue<string>(3));
                    loaded.Add(oid, table);
                }
                table.Add(result.GetFieldValue<short>(4), new ColumnFacts(
                    Name: result.GetFieldValue<string>(5),
                    NotNull: result.GetFieldValue<bool>(6),
                    IsIdentity: result.GetFieldValue<bool>(7),
                    IsAutoIncrement: result.GetFieldValue<bool>(8),
                    IsReadOnly: result.GetFieldValue<bool>(9),
                    IsPrimaryKey: result.GetFieldValue<bool>(10),
                    IsUnique: result.GetFieldValue<bool>(11)));
            }
        }
        finally
        {
            await result.ConsumeAsync(async, CancellationToken.None).ConfigureAwait(false);
        }
        foreach (var (oid, table) in loaded) _tables[oid] = table;
        return loaded.Count == missing.Count;
    }

    /// <summary>
    /// For a command about to run with <see cref="CommandBehavior.KeyInfo"/>: looks up the tables its results come from
    /// now, while the connection is free, since its data reader will hold the connection while the caller asks for its
    /// schema (DataTable.Load, DbCommandBuilder). Tables this open connection already knows cost nothing.
    /// </summary>
    public static async ValueTask LoadForCommandAsync<TSource>(PgConnection connection, TSource source, int timeoutSeconds, bool async, CancellationToken cancellationToken)
        where TSource : ICommandSource
    {
        var (fields, kept) = await ResultFields.OfAsync(connection, source, describeAgain: false, timeoutSeconds, async, cancellationToken)
            .ConfigureAwait(false);
        if (await connection.TableFacts.LoadAsync(connection, fields, timeoutSeconds, async, cancellationToken).ConfigureAwait(false) || !kept) return;
        // A description kept from an earlier run names a table that is gone (dropped, and perhaps created again under
        // a new OID): describe the command afresh, which also renews the description its own run will use.
        (fields, _) = await ResultFields.OfAsync(connection, source, describeAgain: true, timeoutSeconds, async, cancellationToken).ConfigureAwait(false);
        await connection.TableFacts.LoadAsync(connection, fields, timeoutSeconds, async, cancellationToken).ConfigureAwait(false);
    }
}
