namespace PgWire;

/// <summary>
/// The PostgreSQL name of a mapped enum member or composite field, when it is not the member's name in snake_case.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class PgNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
