using System.Buffers;
using System.Buffers.Binary;

namespace PgWire.Types.Arrays;

/// <summary>
/// Writes a collection as an array parameter: binary (array_recv's format: ndim, has-null flag, element OID, per
/// dimension length and lower bound 1, then per element its length, -1 for NULL, and bytes) when the element codec
/// writes binary, otherwise the text form <c>{"a","b",NULL}</c> with every element quoted.
/// </summary>
internal static class ArrayEncoder
{
    public static int GetLength<TItem, TEncoder>(ReadOnlySpan<TItem> items, in ArrayShape shape, TEncoder encoder, PgTypeCodec element,
        string dataTypeName) where TEncoder : IElementEncoder<TItem>
    {
        if (element.ParameterFormat == 0) return WriteText(items, shape, encoder, default, measure: true, dataTypeName);
        long length = 12 + 8L * shape.Rank;
        foreach (var item in items)
        {
            length += encoder.IsNull(item) ? 4 : 4L + encoder.GetLength(item);
            if (length > int.MaxValue) throw TooLong(dataTypeName);
        }
        return (int)length;
    }

    public static void Write<TItem, TEncoder>(ReadOnlySpan<TItem> items, in ArrayShape shape, TEncoder encoder, PgTypeCodec element,
        Span<byte> destination, string dataTypeName) where TEncoder : IElementEncoder<TItem>
    {
        if (element.ParameterFormat == 0)
        {
            WriteText(items, shape, encoder, destination, measure: false, dataTypeName);
            return;
        }
        bool hasNull = false;
        foreach (var item in items)
        {
            if (!encoder.IsNull(item)) continue;
            hasNull = true;
            break;
        }
        BinaryPrimitives.WriteInt32BigEndian(destination, shape.Rank);
        BinaryPrimitives.WriteInt32BigEndian(destination[4..], hasNull ? 1 : 0);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], element.Oid);
        int position = 12;
        for (int d = 0; d < shape.Rank; d++)
        {
            BinaryPrimitives.WriteInt32BigEndian(destination[position..], shape.Lengths[d]);
            BinaryPrimitives.WriteInt32BigEndian(destination[(position + 4)..], 1);
            position += 8;
        }
        foreach (var item in items)
        {
            if (encoder.IsNull(item))
            {
                BinaryPrimitives.WriteInt32BigEndian(destination[position..], -1);
                position += 4;
                continue;
            }
            int length = encoder.GetLength(item);
            BinaryPrimitives.WriteInt32BigEndian(destination[position..], length);
            encoder.Write(item, destination.Slice(position + 4, length));
            position += 4 + length;
        }
    }

    /// <summary>The text form, measured or written; each element's text comes from its codec (which writes text).</summary>
    private static int WriteText<TItem, TEncoder>(ReadOnlySpan<TItem> items, in ArrayShape shape, TEncoder encoder, Span<byte> destination,
        bool measure, string dataTypeName) where TEncoder : IElementEncoder<TItem>
    {
        if (items.Length == 0)
        {
            if (!measure) "{}"u8.CopyTo(destination);
            return 2;
        }
        // blocks[d]: how many elements one sub-array at depth d holds; a new sub-array starts where the index divides it.
        Span<int> blocks = stackalloc int[ArrayShape.MaxRank];
        int block = 1;
        for (int d = shape.Rank - 1; d >= 0; d--)
        {
            block *= shape.Lengths[d];
            blocks[d] = block;
        }
        long position = 0;
        byte[]? scratch = null;
        try
        {
            Put(destination, ref position, (byte)'{', shape.Rank, measure);
            for (int i = 0; i < items.Length; i++)
            {
                if (i > 0)
                {
                    int levels = 0;
                    for (int d = 1; d < shape.Rank; d++)
                        if (i % blocks[d] == 0) levels++;
                    Put(destination, ref position, (byte)'}', levels, measure);
                    Put(destination, ref position, (byte)',', 1, measure);
                    Put(destination, ref position, (byte)'{', levels, measure);
                }
                var item = items[i];
                if (encoder.IsNull(item))
                {
                    if (!measure) "NULL"u8.CopyTo(destination[(int)position..]);
                    position += 4;
                    continue;
                }
                int length = encoder.GetLength(item);
                if (scratch is null || scratch.Length < length)
                {
                    if (scratch is not null) ArrayPool<byte>.Shared.Return(scratch);
                    scratch = ArrayPool<byte>.Shared.Rent(Math.Max(length, 256));
                }
                encoder.Write(item, scratch.AsSpan(0, length));
                Put(destination, ref position, (byte)'"', 1, measure);
                foreach (byte b in scratch.AsSpan(0, length))
                {
                    if (b is (byte)'"' or (byte)'\\') Put(destination, ref position, (byte)'\\', 1, measure);
                    Put(destination, ref position, b, 1, measure);
                }
                Put(destination, ref position, (byte)'"', 1, measure);
                if (position > int.MaxValue) throw TooLong(dataTypeName);
            }
            Put(destination, ref position, (byte)'}', shape.Rank, measure);
        }
        finally
        {
            if (scratch is not null) ArrayPool<byte>.Shared.Return(scratch);
        }
        return position <= int.MaxValue ? (int)position : throw TooLong(dataTypeName);
    }

    private static void Put(Span<byte> destination, ref long position, byte b, int count, bool measure)
    {
        if (!measure) destination.Slice((int)position, count).Fill(b);
        position += count;
    }

    private static PgConversionException TooLong(string dataTypeName) =>
        new($"The {dataTypeName} parameter would take more than 2 GiB, more than one protocol message can carry.",
            PgErrorCodes.ProgramLimitExceeded);
}
