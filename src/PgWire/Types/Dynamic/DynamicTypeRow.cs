namespace PgWire.Types.Dynamic;

/// <summary>One row of the catalog query: a type, an enum label, or a composite attribute.</summary>
internal sealed record DynamicTypeRow(
    char Kind, uint Oid, string Name, string Schema, char TypType, uint BaseType, uint ArrayType, string? Member, uint MemberType);
