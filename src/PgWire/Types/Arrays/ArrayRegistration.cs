namespace PgWire.Types.Arrays;

/// <summary>
/// Registers an array codec for every registered element codec of the built-in table, as the codec of its OID,
/// of <c>PgDbType.Array | element</c>, and of collection parameters (through <see cref="ArrayParameterResolver"/>).
/// Runs after every scalar family has registered, so it covers whatever element codecs exist.
/// </summary>
internal static class ArrayRegistration
{
    public static void Register(PgTypeRegistry registry)
    {
        var arraysByElementOid = new Dictionary<uint, PgTypeCodec>();
        foreach (var (elementOid, arrayOid, dbType) in BuiltInArrayTypes.All)
        {
            if (registry.Find(elementOid) is not { } element || registry.IsKnown(arrayOid)) continue;
            var array = ArrayCodecFactory.Create(element, arrayOid);
            registry.Add(array, PgDbType.Array | dbType);
            arraysByElementOid[elementOid] = array;
        }
        var resolver = new ArrayParameterResolver(new ElementCodecLookup(registry), arraysByElementOid);
        registry.AddResolver(resolver.Resolve);
    }
}
