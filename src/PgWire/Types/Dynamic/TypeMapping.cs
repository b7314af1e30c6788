namespace PgWire.Types.Dynamic;

/// <summary>A .NET type mapped by the user to a PostgreSQL enum or composite type, by name.</summary>
internal sealed record TypeMapping(Type ClrType, string PgName, bool IsEnum, Func<string, string> Translate);
