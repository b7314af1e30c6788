using System.Globalization;
using PgWire.Protocol;
using PgWire.Protocol.Backend;
using PgWire.Types.Dynamic;

namespace PgWire.Connection;

internal sealed partial class PgConnector
{
    private int _catalogVersion;

    /// <summary>Statement descriptions made with an older set of types are dropped when the data source's types change.</summary>
    private void CheckCatalogVersion()
    {
        int version = Types.Version;
        if (version == _catalogVersion) return;
        Statements.Clear();
        _catalogVersion = version;
    }

    /// <summary>Reads this database's enums, composites, domains and extension types into the data source's catalog.</summary>
    internal async ValueTask LoadTypesAsync(bool async, CancellationToken cancellationToken)
    {
        var rows = await QueryTextAsync(PgTypeCatalog.Query, async, cancellationToken).ConfigureAwait(false);
        var parsed = new List<DynamicTypeRow>(rows.Count);
        foreach (var r in rows)
        {
            parsed.Add(new DynamicTypeRow(
                Kind: r[0]![0], Oid: ParseOid(r[1]), Name: r[2] ?? "", Schema: r[3] ?? "", TypType: r[4]![0],
                BaseType: ParseOid(r[5]), ArrayType: ParseOid(r[6]), Member: r[7], MemberType: ParseOid(r[8])));
        }
        Types.Apply(parsed);
    }

    private static uint ParseOid(string? text) => text is null ? 0 : uint.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>
    /// Runs SQL that PgWire writes itself, carrying no values, through the simple query protocol and returns its rows
    /// as text. Leaves the command's parameters and the statement cache alone, so it can run in the middle of preparing
    /// a user's command.
    /// </summary>
    private async ValueTask<List<string?[]>> QueryTextAsync(string sql, bool async, CancellationToken cancellationToken)
    {
        WriteOwedReset(beforeExtendedQuery: false);
        WriteSimpleQuery(sql);
        await FlushAsync(async, cancellationToken).ConfigureAwait(false);
        var rows = new List<string?[]>();
        int columns = 0;
        PgException? error = null;
        var offsets = new int[16];
        var lengths = new int[16];
        while (true)
        {
            byte code = await ReadMessageAsync(async, cancellationToken).ConfigureAwait(false);
            switch (code)
            {
                case BackendMessageCode.RowDescription:
                    columns = Guard(static body => RowDescription.Parse(body)).Count;
                    if (offsets.Length < columns)
                    {
                        offsets = new int[columns];
                        lengths = new int[columns];
                    }
                    break;
                case BackendMessageCode.DataRow:
                    try
                    {
                        DataRow.Parse(ReadBuffer.MessageBody, columns, offsets, lengths);
                    }
                    catch (PgProtocolException)
                    {
                        Break();
                        throw;
                    }
                    var row = new string?[columns];
                    for (int i = 0; i < columns; i++)
                        row[i] = lengths[i] < 0 ? null : System.Text.Encoding.UTF8.GetString(ReadBuffer.MessageBody.Slice(offsets[i], lengths[i]));
                    rows.Add(row);
                    break;
                case BackendMessageCode.CommandComplete:
                case BackendMessageCode.EmptyQueryResponse:
                    break;
                case BackendMessageCode.ErrorResponse:
                    error = ReadError();
                    if (IsBroken) throw error;
                    break;
                case BackendMessageCode.ReadyForQuery:
                    TransactionStatus = Guard(static body => ReadyForQuery.Parse(body));
                    if (error is not null) throw error;
                    return rows;
                default:
                    throw Unexpected(code, "the rows of an internal query");
            }
        }
    }
}
