namespace PgWire.Types.Dynamic;

/// <summary>One attribute of a composite type, as pg_attribute describes it.</summary>
internal sealed record CompositeField(string Name, uint TypeOid);
