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
        var rows = await Internal.QueryTextAsync(PgTypeCatalog.Query, async, cancellationToken).ConfigureAwait(false);
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
}
