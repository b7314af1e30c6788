namespace PgWire.Types.Arrays;

/// <summary>Makes the array codec of an element codec, generic over the element codec's default .NET type.</summary>
internal static class ArrayCodecFactory
{
    public static PgTypeCodec Create(PgTypeCodec element, uint arrayOid)
    {
        var elementType = element.DefaultType;
        var definition = elementType.IsValueType ? typeof(StructArrayCodec<>) : typeof(ArrayCodec<>);
        return (PgTypeCodec)Activator.CreateInstance(definition.MakeGenericType(elementType), element, arrayOid)!;
    }
}
