using System.Buffers.Binary;
using PgWire.Types.Arrays;

namespace PgWire.Types.Ranges;

/// <summary>
/// A range type (int4range, numrange, tstzrange, ...) over its element type's codec, as <see cref="PgRange{T}"/>.
/// Binary form (range_send in src/backend/utils/adt/rangetypes.c): a flags byte, then for each finite bound of a
/// non-empty range its length and bytes. The server canonicalizes what it receives ([1,5] becomes [1,6)).
/// </summary>
internal sealed class RangeCodec<T> : PgTypeCodec<PgRange<T>> where T : notnull
{
    private readonly IPgReader<T> _reader;
    private readonly PgTypeCodec<T>? _typed;

    public RangeCodec(PgTypeCodec element, uint oid, string dataTypeName) : base(oid, dataTypeName)
    {
        Element = element;
        _typed = element as PgTypeCodec<T>;
        _reader = element as IPgReader<T> ?? new ObjectElementReader<T>(element);
    }

    public PgTypeCodec Element { get; }

    // Bounds travel in the format of their element type, so an element codec that reads or writes text gets text.
    public override bool BinaryResults => Element.BinaryResults;

    public override short ParameterFormat => Element.ParameterFormat;

    public override PgRange<T> Read(ReadOnlySpan<byte> data, bool binary)
    {
        if (!binary) return ReadText(data);
        if (data.IsEmpty) throw Malformed("it is empty");
        var flags = (RangeFlags)data[0];
        if ((flags & RangeFlags.Empty) != 0)
            return data.Length == 1 ? PgRange<T>.Empty : throw Malformed("an empty range carries bounds");
        int position = 1;
        T lower = HasBound(flags, RangeFlags.LowerInfinite | RangeFlags.LowerNull) ? ReadBound(data, ref position) : default!;
        T upper = HasBound(flags, RangeFlags.UpperInfinite | RangeFlags.UpperNull) ? ReadBound(data, ref position) : default!;
        if (position != data.Length) throw Malformed($"{data.Length - position} byte(s) follow its bounds");
        return new PgRange<T>(lower, (flags & RangeFlags.LowerInclusive) != 0, (flags & RangeFlags.LowerInfinite) != 0,
            upper, (flags & RangeFlags.UpperInclusive) != 0, (flags & RangeFlags.UpperInfinite) != 0);
    }

    private static bool HasBound(RangeFlags flags, RangeFlags absent) => (flags & absent) == 0;

    private T ReadBound(ReadOnlySpan<byte> data, ref int position)
    {
        if (data.Length - position < 4) throw Malformed("it ends inside a bound length");
        int length = BinaryPrimitives.ReadInt32BigEndian(data[position..]);
        position += 4;
        if (length < 0 || length > data.Length - position) throw Malformed($"a bound claims {length} bytes");
        var bound = _reader.Read(data.Slice(position, length), binary: true);
        position += length;
        return bound;
    }

    private PgRange<T> ReadText(ReadOnlySpan<byte> data)
    {
        var text = RangeText.Parse(data, DataTypeName);
        if (text.IsEmpty) return PgRange<T>.Empty;
        T lower = text.Lower is null ? default! : _reader.Read(text.Lower, binary: false);
        T upper = text.Upper is null ? default! : _reader.Read(text.Upper, binary: false);
        return new PgRange<T>(lower, text.LowerInclusive, text.Lower is null, upper, text.UpperInclusive, text.Upper is null);
    }

    private PgProtocolException Malformed(string why) => new($"The server sent a binary {DataTypeName} value PgWire cannot read: {why}.");

    public override int GetLength(PgRange<T> value) => _typed is null ? GetLength((object)value) : Measure(value, _typed);

    public override void Write(PgRange<T> value, Span<byte> destination)
    {
        if (_typed is null) Write((object)value, destination);
        else WriteTyped(value, _typed, destination);
    }

    public override int GetLength(object value)
    {
        if (value is PgRange<T> range && _typed is not null) return Measure(range, _typed);
        var other = AsRange(value);
        if (ParameterFormat == 0) return FormatText(other).Length;
        int length = 1;
        if (HasFiniteLower(other)) length = checked(length + 4 + Element.GetLength(other.LowerBoundObject!));
        if (HasFiniteUpper(other)) length = checked(length + 4 + Element.GetLength(other.UpperBoundObject!));
        return length;
    }

    public override void Write(object value, Span<byte> destination)
    {
        if (value is PgRange<T> range && _typed is not null)
        {
            WriteTyped(range, _typed, destination);
            return;
        }
        var other = AsRange(value);
        if (ParameterFormat == 0)
        {
            FormatText(other).CopyTo(destination);
            return;
        }
        destination[0] = (byte)Flags(other);
        int position = 1;
        if (HasFiniteLower(other)) WriteBound(other.LowerBoundObject!, destination, ref position);
        if (HasFiniteUpper(other)) WriteBound(other.UpperBoundObject!, destination, ref position);
    }

    private int Measure(PgRange<T> range, PgTypeCodec<T> typed)
    {
        if (ParameterFormat == 0) return FormatText(range).Length;
        int length = 1;
        if (HasFiniteLower(range)) length = checked(length + 4 + typed.GetLength(range.LowerBound));
        if (HasFiniteUpper(range)) length = checked(length + 4 + typed.GetLength(range.UpperBound));
        return length;
    }

    private void WriteTyped(PgRange<T> range, PgTypeCodec<T> typed, Span<byte> destination)
    {
        if (ParameterFormat == 0)
        {
            FormatText(range).CopyTo(destination);
            return;
        }
        destination[0] = (byte)Flags(range);
        int position = 1;
        if (HasFiniteLower(range))
        {
            int length = typed.GetLength(range.LowerBound);
            BinaryPrimitives.WriteInt32BigEndian(destination[position..], length);
            typed.Write(range.LowerBound, destination.Slice(position + 4, length));
            position += 4 + length;
        }
        if (HasFiniteUpper(range))
        {
            int length = typed.GetLength(range.UpperBound);
            BinaryPrimitives.WriteInt32BigEndian(destination[position..], length);
            typed.Write(range.UpperBound, destination.Slice(position + 4, length));
        }
    }

    private void WriteBound(object bound, Span<byte> destination, ref int position)
    {
        int length = Element.GetLength(bound);
        BinaryPrimitives.WriteInt32BigEndian(destination[position..], length);
        Element.Write(bound, destination.Slice(position + 4, length));
        position += 4 + length;
    }

    /// <summary>Only the flags range_recv accepts (it masks the rest); an infinite bound is never inclusive.</summary>
    private static RangeFlags Flags<TRange>(TRange range) where TRange : IPgRange
    {
        if (range.IsEmpty) return RangeFlags.Empty;
        var flags = RangeFlags.None;
        if (range.LowerBoundInfinite) flags |= RangeFlags.LowerInfinite;
        else if (range.LowerBoundIsInclusive) flags |= RangeFlags.LowerInclusive;
        if (range.UpperBoundInfinite) flags |= RangeFlags.UpperInfinite;
        else if (range.UpperBoundIsInclusive) flags |= RangeFlags.UpperInclusive;
        return flags;
    }

    private static bool HasFiniteLower<TRange>(TRange range) where TRange : IPgRange => !range.IsEmpty && !range.LowerBoundInfinite;

    private static bool HasFiniteUpper<TRange>(TRange range) where TRange : IPgRange => !range.IsEmpty && !range.UpperBoundInfinite;

    private IPgRange AsRange(object value) => value as IPgRange ?? throw Conversion.CannotWrite(value, DataTypeName);

    /// <summary>The text form, for an element codec that writes text: each bound as its codec writes it, quoted.</summary>
    internal byte[] FormatText(IPgRange range)
    {
        byte[] lower = HasFiniteLower(range) ? BoundText(range.LowerBoundObject!) : [];
        byte[] upper = HasFiniteUpper(range) ? BoundText(range.UpperBoundObject!) : [];
        return RangeText.Format(range, lower, upper);
    }

    private byte[] BoundText(object bound)
    {
        var text = new byte[Element.GetLength(bound)];
        Element.Write(bound, text);
        return text;
    }
}
