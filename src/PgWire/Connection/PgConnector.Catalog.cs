using System.Globalization;
using PgWire.Protocol;
using PgWire.Protocol.Backend;
using PgWire.Types.Dynamic;

namespace PgWire.Connection;

internal sealed partial class PgConnector
{
    private int _catalogVersion;

    /// <summary>
    /// When the data source's types change, the statement descriptions are made again with the new set (their columns
    /// may now have codecs). What the server holds is unchanged, so each keeps its prepared name, its request to be
    /// prepared and its usage count: dropping them would leave their server statements unclosed and forgotten.
    /// </summary>
    private void CheckCatalogVersion()
    {
        int version = Types.Version;
        if (version == _catalogVersion) return;
        var statements = new List<CachedStatement>(Statements.All);
        Statements.Clear();
        // Oldest first, so the cache's order of use stays as it was.
        for (int i = statements.Count - 1; i >= 0; i--)
        {
            var old = statements[i];
            var renewed = old.WithRegistry(TypeRegistry);
            renewed.PreparedName = old.PreparedName;
            renewed.PrepareRequested = old.PrepareRequested;
            renewed.Usages = old.Usages;
            Statements.Add(renewed);
        }
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
