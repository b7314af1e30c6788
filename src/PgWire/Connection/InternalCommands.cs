using System.Globalization;
using System.Runtime.CompilerServices;
using PgWire.Protocol.Frontend;
using PgWire.Types.Dynamic;

namespace PgWire.Connection;

/// <summary>
/// The commands PgWire writes itself and that carry no values (BEGIN, COMMIT, ROLLBACK, savepoints, the pool's
/// ROLLBACK, the catalog and server-kind queries): one statement, one round trip, within Command Timeout like any
/// command, read through the same engine and result reader as the user's commands.
/// </summary>
internal sealed class InternalCommands(PgConnector connector)
{
    /// <summary>
    /// Runs SQL that PgWire writes itself and that carries no values (BEGIN, COMMIT, SAVEPOINT, the catalog query...),
    /// one statement, through the simple query protocol (behind a pool reset, the extended one), in one round trip,
    /// within Command Timeout like any command: a server that stops answering breaks the connection instead of
    /// holding the caller.
    /// </summary>
    /// <returns>The reader, at the result's first row; its <see cref="ResultReader.CommandTag"/> is set once consumed.</returns>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ResultReader> StartAsync(string sql, bool async, CancellationToken cancellationToken)
    {
        connector.CheckReady();
        connector.RouteIdleMessages();
        await connector.Cancellation.WaitForCancelDeliveryAsync(async).ConfigureAwait(false);
        var result = connector.Result;
        connector.Cancellation.ArmCancellation(cancellationToken, connector.Settings.CommandTimeoutSeconds);
        connector.State = ConnectorState.Executing;
        connector.Session.Used = true;
        try
        {
            if (connector.Session.ResetOwed)
            {
                // The first command since the connection came back from the pool (typically BEGIN) goes in the extended
                // protocol behind the pipelined reset, so that the server answers both in one reply.
                connector.Session.WriteOwedReset(connector.WriteBuffer, connector.Engine, connector.Prepared, beforeExtendedQuery: true);
                result.Begin(wantTag: true);
                ref var entry = ref result.AddEntry();
                entry.Execute = true;
                Parse.Write(connector.WriteBuffer, "", sql, []);
                connector.Engine.Expect(ReplyKind.ParseComplete);
                Bind.Write(connector.WriteBuffer, "", "", NoBindParameters.Instance, []);
                connector.Engine.Expect(ReplyKind.BindComplete);
                // No Describe: an internal command behind the reset returns no rows (BEGIN, SAVEPOINT...).
                Execute.Write(connector.WriteBuffer, "", 0);
                connector.Engine.Expect(ReplyKind.ExecuteResult);
                connector.WriteSync();
            }
            else
            {
                Query.Write(connector.WriteBuffer, sql);
                connector.Engine.Expect(ReplyKind.SimpleQuery);
                result.BeginSimple();
            }
            await connector.FlushAsync(async, CancellationToken.None).ConfigureAwait(false);
            await result.ReadHeaderAsync(async, CancellationToken.None).ConfigureAwait(false);
            return result;
        }
        catch (Exception) when (connector.State == ConnectorState.Executing)
        {
            connector.RecoverAfterFailure();
            throw;
        }
    }

    /// <summary>Runs an internal command to its end; see <see cref="StartAsync"/>.</summary>
    /// <returns>The command tag of the statement (e.g. "COMMIT", or "ROLLBACK" when COMMIT found a failed transaction).</returns>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<string?> ExecuteAsync(string sql, bool async, CancellationToken cancellationToken)
    {
        var result = await StartAsync(sql, async, cancellationToken).ConfigureAwait(false);
        await result.ConsumeAsync(async, CancellationToken.None).ConfigureAwait(false);
        return result.CommandTag;
    }

    /// <summary>
    /// Runs SQL that PgWire writes itself, carrying no values, as an internal command (within Command Timeout) and
    /// returns its rows as text. Leaves the statement cache alone.
    /// </summary>
    public async ValueTask<List<string?[]>> QueryTextAsync(string sql, bool async, CancellationToken cancellationToken)
    {
        var result = await StartAsync(sql, async, cancellationToken).ConfigureAwait(false);
        var rows = new List<string?[]>();
        int columns = result.Columns?.Count ?? 0;
        while (await result.ReadAsync(async, CancellationToken.None).ConfigureAwait(false))
        {
            var row = new string?[columns];
            for (int i = 0; i < columns; i++)
                row[i] = result.IsNull(i) ? null : System.Text.Encoding.UTF8.GetString(result.GetBytes(i));
            rows.Add(row);
        }
        await result.ConsumeAsync(async, CancellationToken.None).ConfigureAwait(false);
        return rows;
    }

    /// <summary>Reads this database's enums, composites, domains and extension types into the data source's catalog.</summary>
    public async ValueTask LoadTypesAsync(bool async, CancellationToken cancellationToken)
    {
        var rows = await QueryTextAsync(PgTypeCatalog.Query, async, cancellationToken).ConfigureAwait(false);
        var parsed = new List<DynamicTypeRow>(rows.Count);
        foreach (var r in rows)
        {
            parsed.Add(new DynamicTypeRow(
                Kind: r[0]![0], Oid: ParseOid(r[1]), Name: r[2] ?? "", Schema: r[3] ?? "", TypType: r[4]![0],
                BaseType: ParseOid(r[5]), ArrayType: ParseOid(r[6]), Member: r[7], MemberType: ParseOid(r[8])));
        }
        connector.Types.Apply(parsed);
    }

    private static uint ParseOid(string? text) => text is null ? 0 : uint.Parse(text, CultureInfo.InvariantCulture);
}
