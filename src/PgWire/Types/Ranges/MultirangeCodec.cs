using System.Buffers.Binary;
using System.Collections;
using System.Runtime.InteropServices;
using PgWire.Types.Arrays;

namespace PgWire.Types.Ranges;

/// <summary>
/// A multirange type (int4multirange, ...; PostgreSQL 14+) as PgRange&lt;T&gt;[], also List&lt;PgRange&lt;T&gt;&gt;.
/// Binary form (multirange_send in src/backend/utils/adt/multirangetypes.c): the number of ranges, then per range its
/// length and its binary range value. The server sorts and merges the ranges it receives, and drops empty ones.
/// </summary>
internal sealed class MultirangeCodec<T> : PgTypeCodec<PgRange<T>[]>,
    IPgReader<List<PgRange<T>>>, IPgReader<IList<PgRange<T>>>, IPgReader<IReadOnlyList<PgRange<T>>>, IPgReader<IEnumerable<PgRange<T>>>
    where T : notnull
{
    private readonly RangeCodec<T> _range;

    public MultirangeCodec(RangeCodec<T> range, uint oid, string dataTypeName) : base(oid, dataTypeName) => _range = range;

    public override bool BinaryResults => _range.BinaryResults;

    public override short ParameterFormat => _range.ParameterFormat;

    public override PgRange<T>[] Read(ReadOnlySpan<byte> data, bool binary)
    {
        if (!binary) return [.. ReadText(data)];
        if (data.Length < 4) throw Malformed("it is shorter than its range count");
        int count = BinaryPrimitives.ReadInt32BigEndian(data);
        // Each range takes at least its 4-byte length: a larger count is a lie, refused before allocating.
        if (count < 0 || count > (data.Length - 4) / 4) throw Malformed($"it claims {count} ranges");
        var result = count == 0 ? [] : new PgRange<T>[count];
        int position = 4;
        for (int i = 0; i < count; i++)
        {
            if (data.Length - position < 4) throw Malformed("it ends inside a range length");
            int length = BinaryPrimitives.ReadInt32BigEndian(data[position..]);
            position += 4;
            if (length < 0 || length > data.Length - position) throw Malformed($"a range claims {length} bytes");
            result[i] = _range.Read(data.Slice(position, length), binary: true);
            position += length;
        }
        if (position != data.Length) throw Malformed($"{data.Length - position} byte(s) follow its last range");
        return result;
    }

    List<PgRange<T>> IPgReader<List<PgRange<T>>>.Read(ReadOnlySpan<byte> data, bool binary) => [.. Read(data, binary)];

    IList<PgRange<T>> IPgReader<IList<PgRange<T>>>.Read(ReadOnlySpan<byte> data, bool binary) => ((IPgReader<List<PgRange<T>>>)this).Read(data, binary);

    IReadOnlyList<PgRange<T>> IPgReader<IReadOnlyList<PgRange<T>>>.Read(ReadOnlySpan<byte> data, bool binary) =>
        ((IPgReader<List<PgRange<T>>>)this).Read(data, binary);

    IEnumerable<PgRange<T>> IPgReader<IEnumerable<PgRange<T>>>.Read(ReadOnlySpan<byte> data, bool binary) =>
        ((IPgReader<List<PgRange<T>>>)this).Read(data, binary);

    /// <summary>The text form <c>{[1,3),[5,7)}</c>: ranges between braces, separated by commas.</summary>
    private List<PgRange<T>> ReadText(ReadOnlySpan<byte> text)
    {
        var result = new List<PgRange<T>>();
        int pos = SkipSpace(text, 0);
        if (pos == text.Length || text[pos] != '{') throw RangeText.Bad(text, DataTypeName);
        pos = SkipSpace(text, pos + 1);
        if (pos < text.Length && text[pos] == '}') return End(text, pos, result);
        while (true)
        {
            int length = RangeText.Measure(text[pos..], DataTypeName);
            result.Add(_range.Read(text.Slice(pos, length), binary: false));
            pos = SkipSpace(text, pos + length);
            if (pos == text.Length) throw RangeText.Bad(text, DataTypeName);
            if (text[pos] == '}') return End(text, pos, result);
            if (text[pos] != ',') throw RangeText.Bad(text, DataTypeName);
            pos = SkipSpace(text, pos + 1);
        }
    }

    private List<PgRange<T>> End(ReadOnlySpan<byte> text, int closingBrace, List<PgRange<T>> result) =>
        SkipSpace(text, closingBrace + 1) == text.Length ? result : throw RangeText.Bad(text, DataTypeName);

    private static int SkipSpace(ReadOnlySpan<byte> text, int pos)
    {
        while (pos < text.Length && ArrayText.IsSpace(text[pos])) pos++;
        return pos;
    }

    private PgProtocolException Malformed(string why) => new($"The server sent a binary {DataTypeName} value PgWire cannot read: {why}.");

    public override int GetLength(PgRange<T>[] value) => Encode(value, default, measure: true);

    public override void Write(PgRange<T>[] value, Span<byte> destination) => Encode(value, destination, measure: false);

    public override int GetLength(object value) => Encode(value, default, measure: true);

    public override void Write(object value, Span<byte> destination) => Encode(value, destination, measure: false);

    private int Encode(object value, Span<byte> destination, bool measure) => value switch
    {
        PgRange<T>[] array => Encode(array, destination, measure),
        List<PgRange<T>> list => Encode(CollectionsMarshal.AsSpan(list), destination, measure),
        IEnumerable<PgRange<T>> sequence => Encode(sequence.ToArray(), destination, measure),
        // Ranges of another bound type (PgRange<long> sent as an int4multirange) go through the range codec's conversion.
        IEnumerable sequence when value is not string => EncodeObjects(sequence.Cast<object>().ToArray(), destination, measure),
        _ => throw Conversion.CannotWrite(value, DataTypeName),
    };

    private int Encode(ReadOnlySpan<PgRange<T>> ranges, Span<byte> destination, bool measure)
    {
        if (ParameterFormat == 0)
        {
            var objects = new object[ranges.Length];
            for (int i = 0; i < ranges.Length; i++) objects[i] = ranges[i];
            return EncodeObjects(objects, destination, measure);
        }
        long total = 4;
        int position = 4;
        if (!measure) BinaryPrimitives.WriteInt32BigEndian(destination, ranges.Length);
        foreach (var range in ranges)
        {
            int length = _range.GetLength(range);
            total += 4L + length;
            if (total > int.MaxValue) throw TooLong();
            if (measure) continue;
            BinaryPrimitives.WriteInt32BigEndian(destination[position..], length);
            _range.Write(range, destination.Slice(position + 4, length));
            position += 4 + length;
        }
        return (int)total;
    }

    private int EncodeObjects(object[] ranges, Span<byte> destination, bool measure)
    {
        if (ParameterFormat == 0)
        {
            var text = new List<byte> { (byte)'{' };
            for (int i = 0; i < ranges.Length; i++)
            {
                if (i > 0) text.Add((byte)',');
                text.AddRange(_range.FormatText(ranges[i] as IPgRange ?? throw Conversion.CannotWrite(ranges[i], DataTypeName)));
            }
            text.Add((byte)'}');
            if (!measure) CollectionsMarshal.AsSpan(text).CopyTo(destination);
            return text.Count;
        }
        long total = 4;
        int position = 4;
        if (!measure) BinaryPrimitives.WriteInt32BigEndian(destination, ranges.Length);
        foreach (object range in ranges)
        {
            int length = _range.GetLength(range);
            total += 4L + length;
            if (total > int.MaxValue) throw TooLong();
            if (measure) continue;
            BinaryPrimitives.WriteInt32BigEndian(destination[position..], length);
            _range.Write(range, destination.Slice(position + 4, length));
            position += 4 + length;
        }
        return (int)total;
    }

    private PgConversionException TooLong() =>
        new($"The {DataTypeName} parameter would take more than 2 GiB, more than one protocol message can carry.",
            PgErrorCodes.ProgramLimitExceeded);
}
