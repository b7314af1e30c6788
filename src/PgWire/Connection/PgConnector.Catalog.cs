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
    /// Runs SQL that PgWire writes itself, carrying no values, as an internal command (within Command Timeout) and
    /// returns its rows as text. Leaves the statement cache alone.
    /// </summary>
    private async ValueTask<List<string?[]>> QueryTextAsync(string sql, bool async, CancellationToken cancellationToken)
    {
        var result = await StartInternalAsync(sql, async, cancellationToken).ConfigureAwait(false);
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
}
