using PgWire.Types.Arrays;

namespace PgWire.Types.Ranges;

/// <summary>
/// Registers each built-in range type whose element codec is registered: the range as PgRange&lt;T&gt;, its multirange
/// as PgRange&lt;T&gt;[], the arrays of both, their PgDbType members, and the parameter resolver.
/// </summary>
internal static class RangeRegistration
{
    public static void Register(PgTypeRegistry registry)
    {
        var ranges = new Dictionary<uint, PgTypeCodec>();
        var multiranges = new Dictionary<uint, PgTypeCodec>();
        foreach (var type in BuiltInRangeTypes.All)
        {
            if (registry.Find(type.ElementOid) is not { } element || registry.IsKnown(type.Oid)) continue;
            var boundType = element.DefaultType;
            var range = (PgTypeCodec)Activator.CreateInstance(typeof(RangeCodec<>).MakeGenericType(boundType), element, type.Oid, type.Name)!;
            var multirange = (PgTypeCodec)Activator.CreateInstance(
                typeof(MultirangeCodec<>).MakeGenericType(boundType), range, type.MultirangeOid, type.MultirangeName)!;
            registry.Add(range, type.DbType);
            registry.Add(multirange, type.MultirangeDbType);
            registry.Add(ArrayCodecFactory.Create(range, type.ArrayOid), PgDbType.Array | type.DbType);
            registry.Add(ArrayCodecFactory.Create(multirange, type.MultirangeArrayOid), PgDbType.Array | type.MultirangeDbType);
            ranges[type.ElementOid] = range;
            multiranges[type.ElementOid] = multirange;
        }
        registry.AddResolver(new RangeParameterResolver(new ElementCodecLookup(registry), ranges, multiranges).Resolve);
    }
}
