namespace PgWire.Types;

/// <summary>.NET type names as C# spells them (Int32?[], PgRange&lt;Int32&gt;[,]), for error messages that say what to read instead.</summary>
internal static class TypeNames
{
    public static string Of(Type type)
    {
        if (type.IsArray) return Of(type.GetElementType()!) + "[" + new string(',', type.GetArrayRank() - 1) + "]";
        if (Nullable.GetUnderlyingType(type) is { } underlying) return Of(underlying) + "?";
        if (!type.IsGenericType) return type.Name;
        string name = type.Name[..type.Name.IndexOf('`')];
        return name + "<" + string.Join(", ", type.GetGenericArguments().Select(Of)) + ">";
    }
}
