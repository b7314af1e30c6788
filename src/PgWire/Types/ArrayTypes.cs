namespace PgWire.Types;

/// <summary>Registers the codecs of one family of types with the built-in registry.</summary>
internal static class ArrayTypes
{
    public static void Register(PgTypeRegistry registry)
    {
        Arrays.ArrayRegistration.Register(registry);
    }
}
