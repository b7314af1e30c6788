using System.Buffers.Binary;

namespace PgWire.Types.Arrays;

/// <summary>
/// The elements of one array value in storage order (row-major, as PostgreSQL and .NET both lay out arrays), from
/// either format: in place over the binary bytes (array_send: ndim, has-null flag, element OID, per dimension length
/// and lower bound, then per element a length, -1 for NULL, and its bytes), or over the parsed text form.
/// Every length is checked against the value's own end, so a lying length is an error, never a read past the value.
/// </summary>
internal ref struct ArrayElements
{
    private const int HeaderLength = 12;

    private readonly ReadOnlySpan<byte> _data;
    private readonly ArrayText? _text;
    private readonly string _dataTypeName;
    private int _position;

    private ArrayElements(ReadOnlySpan<byte> data, ArrayText? text, ArrayShape shape, bool mayHaveNulls, int position, string dataTypeName)
    {
        _data = data;
        _text = text;
        Shape = shape;
        MayHaveNulls = mayHaveNulls;
        _position = position;
        _dataTypeName = dataTypeName;
    }

    public readonly ArrayShape Shape;

    /// <summary>Whether the elements arrived in binary (and are read with their codec's binary path).</summary>
    public readonly bool Binary => _text is null;

    /// <summary>False when no element is NULL; true when one may be (the binary has-null flag can be set without one).</summary>
    public readonly bool MayHaveNulls;

    public static ArrayElements Open(ReadOnlySpan<byte> data, bool binary, uint elementOid, string dataTypeName)
    {
        if (!binary)
        {
            var text = ArrayText.Parse(data, dataTypeName);
            return new ArrayElements(default, text, text.Shape, text.HasNulls, 0, dataTypeName);
        }
        if (data.Length < HeaderLength) throw Malformed(dataTypeName, "it is shorter than an array header");
        int rank = BinaryPrimitives.ReadInt32BigEndian(data);
        int flags = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
        uint oid = BinaryPrimitives.ReadUInt32BigEndian(data[8..]);
        if (rank is < 0 or > ArrayShape.MaxRank) throw Malformed(dataTypeName, $"it claims {rank} dimensions");
        if (flags is not (0 or 1)) throw Malformed(dataTypeName, $"its flags are {flags}");
        if (oid != elementOid) throw Malformed(dataTypeName, $"its elements are of type OID {oid}, not {elementOid}");
        int position = HeaderLength + 8 * rank;
        if (data.Length < position) throw Malformed(dataTypeName, "its dimensions are cut short");
        var shape = new ArrayShape { Rank = rank, Count = rank == 0 ? 0 : 1 };
        long count = rank == 0 ? 0 : 1;
        for (int d = 0; d < rank; d++)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(data[(HeaderLength + 8 * d)..]);
            if (length < 0) throw Malformed(dataTypeName, $"dimension {d + 1} has length {length}");
            shape.Lengths[d] = length;
            shape.LowerBounds[d] = BinaryPrimitives.ReadInt32BigEndian(data[(HeaderLength + 8 * d + 4)..]);
            count *= length;
            // Each element takes at least its 4-byte length: a count beyond that is a lie, refused before allocating.
            if (count > (data.Length - position) / 4) throw Malformed(dataTypeName, "it claims more elements than its bytes hold");
        }
        shape.Count = (int)count;
        return new ArrayElements(data, null, shape, flags == 1, position, dataTypeName);
    }

    /// <summary>The next element's bytes; false for NULL. Call exactly <see cref="ArrayShape.Count"/> times.</summary>
    public bool Next(out ReadOnlySpan<byte> element)
    {
        if (_text is not null) return _text.TryGetElement(_position++, out element);
        if (_data.Length - _position < 4) throw Malformed(_dataTypeName, "it ends inside an element length");
        int length = BinaryPrimitives.ReadInt32BigEndian(_data[_position..]);
        _position += 4;
        if (length == -1)
        {
            // array_send sets the flag whenever the array has a NULL; GetValue relies on it to pick T[] or T?[].
            if (!MayHaveNulls) throw Malformed(_dataTypeName, "an element is NULL though its has-null flag is clear");
            element = default;
            return false;
        }
        if (length < 0 || length > _data.Length - _position) throw Malformed(_dataTypeName, $"an element claims {length} bytes");
        element = _data.Slice(_position, length);
        _position += length;
        return true;
    }

    /// <summary>Whether any element is NULL, looking ahead without moving.</summary>
    public readonly bool HasNulls()
    {
        if (!MayHaveNulls) return false;
        if (_text is not null) return _text.HasNulls;
        var copy = this;
        for (int i = 0; i < Shape.Count; i++)
            if (!copy.Next(out _)) return true;
        return false;
    }

    /// <summary>After the last element: the value must end there.</summary>
    public readonly void CheckEnd()
    {
        if (_text is null && _position != _data.Length)
            throw Malformed(_dataTypeName, $"{_data.Length - _position} byte(s) follow its last element");
    }

    public static PgProtocolException Malformed(string dataTypeName, string why) =>
        new($"The server sent a binary {dataTypeName} value PgWire cannot read: {why}.");
}
