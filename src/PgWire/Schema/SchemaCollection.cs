namespace PgWire.Schema;

/// <summary>
/// One collection of <see cref="PgConnection.GetSchema(string, string?[])"/>: its name, the restrictions it takes in
/// order (each with the result column it filters), how many parts an identifier of its objects has, and the catalog
/// query that lists them (null for the collections PgWire answers itself). The query takes each restriction as a
/// text parameter, NULL when not given.
/// </summary>
internal sealed record SchemaCollection(string Name, int IdentifierParts, SchemaRestriction[] Restrictions, string? Sql = null);

/// <summary>A restriction of a schema collection: its name, and the column of the collection it compares with.</summary>
internal sealed record SchemaRestriction(string Name, string Column);
