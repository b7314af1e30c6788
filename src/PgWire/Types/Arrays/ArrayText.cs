using System.Buffers;
using System.Text;

namespace PgWire.Types.Arrays;

/// <summary>
/// An array in PostgreSQL's text form (<c>{1,2,NULL}</c>, <c>{{"a b",c},{d,e}}</c>, <c>[0:2]={1,2,3}</c>) split into its
/// elements, unescaped. The fallback for arrays whose elements are read as text; the rules are array_in's
/// (src/backend/utils/adt/arrayfuncs.c). Cold path: it allocates freely.
/// </summary>
internal sealed class ArrayText
{
    private readonly byte[] _bytes;
    private readonly List<(int Start, int Length)> _elements;

    private ArrayText(byte[] bytes, List<(int Start, int Length)> elements, ArrayShape shape)
    {
        _bytes = bytes;
        _elements = elements;
        Shape = shape;
    }

    public ArrayShape Shape { get; }

    /// <summary>Element <paramref name="index"/> in storage order; false for NULL.</summary>
    public bool TryGetElement(int index, out ReadOnlySpan<byte> element)
    {
        var (start, length) = _elements[index];
        element = start < 0 ? default : _bytes.AsSpan(start, length);
        return start >= 0;
    }

    public bool HasNulls
    {
        get
        {
            foreach (var e in _elements)
                if (e.Start < 0) return true;
            return false;
        }
    }

    public static ArrayText Parse(ReadOnlySpan<byte> text, string dataTypeName)
    {
        var parser = new Parser(text, dataTypeName);
        return parser.Run();
    }

    private ref struct Parser(ReadOnlySpan<byte> text, string dataTypeName)
    {
        private readonly ReadOnlySpan<byte> _text = text;
        private int _pos;
        private readonly ArrayBufferWriter<byte> _bytes = new();
        private readonly List<(int Start, int Length)> _elements = new();

        public ArrayText Run()
        {
            SkipSpace();
            Span<int> explicitLower = stackalloc int[ArrayShape.MaxRank];
            Span<int> explicitUpper = stackalloc int[ArrayShape.MaxRank];
            int explicitRank = 0;
            while (Peek() == '[')
            {
                if (explicitRank == ArrayShape.MaxRank) throw Bad();
                _pos++;
                int a = ReadInt();
                int lower = 1, upper = a;
                if (Peek() == ':')
                {
                    _pos++;
                    lower = a;
                    upper = ReadInt();
                }
                Expect((byte)']');
                explicitLower[explicitRank] = lower;
                explicitUpper[explicitRank] = upper;
                explicitRank++;
                SkipSpace();
            }
            if (explicitRank > 0)
            {
                Expect((byte)'=');
                SkipSpace();
            }
            Expect((byte)'{');

            Span<int> counts = stackalloc int[ArrayShape.MaxRank];
            Span<int> lengths = stackalloc int[ArrayShape.MaxRank];
            lengths.Fill(-1);
            int depth = 1, rank = -1;
            counts[0] = 0;
            bool expectItem = true;
            while (true)
            {
                SkipSpace();
                byte c = Peek();
                if (c == '}')
                {
                    // An empty level is only valid as the whole array: {}.
                    if (counts[depth - 1] == 0 && !(depth == 1 && rank == -1)) throw Bad();
                    if (counts[depth - 1] > 0 && expectItem) throw Bad();
                    _pos++;
                    int d = depth - 1;
                    if (rank != -1)
                    {
                        if (lengths[d] == -1) lengths[d] = counts[d];
                        else if (lengths[d] != counts[d]) throw Bad("its sub-arrays differ in length");
                    }
                    depth--;
                    if (depth == 0) break;
                    counts[depth - 1]++;
                    expectItem = false;
                    continue;
                }
                if (c == ',')
                {
                    if (expectItem) throw Bad();
                    _pos++;
                    expectItem = true;
                    continue;
                }
                if (!expectItem) throw Bad();
                if (c == '{')
                {
                    if (depth == ArrayShape.MaxRank || (rank != -1 && depth >= rank)) throw Bad();
                    _pos++;
                    counts[depth] = 0;
                    depth++;
                    continue;
                }
                if (rank == -1) rank = depth;
                else if (rank != depth) throw Bad("its elements are at different depths");
                ReadElement();
                counts[depth - 1]++;
                expectItem = false;
            }
            SkipSpace();
            if (_pos != _text.Length) throw Bad();

            var shape = new ArrayShape { Rank = rank == -1 ? 0 : rank, Count = _elements.Count };
            for (int d = 0; d < shape.Rank; d++)
            {
                shape.Lengths[d] = lengths[d];
                shape.LowerBounds[d] = 1;
            }
            if (explicitRank > 0 && shape.Rank > 0)
            {
                if (explicitRank != shape.Rank) throw Bad("its dimension decoration does not match its elements");
                for (int d = 0; d < shape.Rank; d++)
                {
                    if ((long)explicitUpper[d] - explicitLower[d] + 1 != lengths[d])
                        throw Bad("its dimension decoration does not match its elements");
                    shape.LowerBounds[d] = explicitLower[d];
                }
            }
            return new ArrayText(_bytes.WrittenSpan.ToArray(), _elements, shape);
        }

        private void ReadElement()
        {
            int start = _bytes.WrittenCount;
            if (Peek() == '"')
            {
                _pos++;
                while (true)
                {
                    byte c = Next();
                    if (c == '"') break;
                    Append(c == '\\' ? Next() : c);
                }
                _elements.Add((start, _bytes.WrittenCount - start));
                return;
            }
            // Unquoted: up to the next unescaped delimiter; trailing white space is not part of the value.
            int significant = start;
            bool escaped = false;
            while (true)
            {
                if (_pos == _text.Length) throw Bad();
                byte c = _text[_pos];
                if (c is (byte)',' or (byte)'}') break;
                if (c is (byte)'{' or (byte)'"') throw Bad();
                _pos++;
                if (c == '\\')
                {
                    Append(Next());
                    escaped = true;
                    significant = _bytes.WrittenCount;
                    continue;
                }
                Append(c);
                if (!IsSpace(c)) significant = _bytes.WrittenCount;
            }
            int length = significant - start;
            var value = _bytes.WrittenSpan.Slice(start, length);
            if (!escaped && length == 4 && Ascii.EqualsIgnoreCase(value, "NULL"u8))
            {
                _elements.Add((-1, 0));
                return;
            }
            _elements.Add((start, length));
        }

        private readonly void Append(byte b)
        {
            _bytes.GetSpan(1)[0] = b;
            _bytes.Advance(1);
        }

        private int ReadInt()
        {
            SkipSpace();
            int start = _pos;
            if (Peek() is (byte)'-' or (byte)'+') _pos++;
            while (_pos < _text.Length && char.IsAsciiDigit((char)_text[_pos])) _pos++;
            if (!int.TryParse(_text[start.._pos], System.Globalization.NumberStyles.AllowLeadingSign,
                    System.Globalization.CultureInfo.InvariantCulture, out int value)) throw Bad();
            SkipSpace();
            return value;
        }

        private void Expect(byte b)
        {
            if (Peek() != b) throw Bad();
            _pos++;
        }

        private readonly byte Peek() => _pos < _text.Length ? _text[_pos] : (byte)0;

        private byte Next() => _pos < _text.Length ? _text[_pos++] : throw Bad();

        private void SkipSpace()
        {
            while (_pos < _text.Length && IsSpace(_text[_pos])) _pos++;
        }

        private readonly PgProtocolException Bad(string? why = null) =>
            new($"The server sent a text {dataTypeName} value PgWire cannot parse{(why is null ? "" : ": " + why)}: " +
                $"'{Encoding.UTF8.GetString(_text.Length > 200 ? _text[..200] : _text)}'.");
    }

    /// <summary>array_isspace: the white space array_in skips around elements.</summary>
    internal static bool IsSpace(byte c) => c is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\v' or (byte)'\f';
}
