using System.Buffers.Binary;
using System.Text;

namespace PgWire.Types.Dynamic;

/// <summary>
/// hstore (extension): Dictionary&lt;string, string?&gt;. Binary form (hstore_send): Int32 count, then per pair the key
/// (Int32 length + bytes) and the value (Int32 length, -1 for NULL, + bytes).
/// </summary>
internal sealed class HstoreCodec(uint oid) : PgTypeCodec<Dictionary<string, string?>>(oid, "hstore"),
    IPgReader<IDictionary<string, string?>>, IPgReader<IReadOnlyDictionary<string, string?>>
{
    public override Dictionary<string, string?> Read(ReadOnlySpan<byte> data, bool binary)
    {
        if (!binary) return ReadText(data);
        int count = ReadInt(data, 0);
        if (count < 0) throw Malformed();
        var result = new Dictionary<string, string?>(Math.Min(count, 1024), StringComparer.Ordinal);
        int pos = 4;
        for (int i = 0; i < count; i++)
        {
            int keyLength = ReadInt(data, pos);
            pos += 4;
            if (keyLength < 0 || keyLength > data.Length - pos) throw Malformed();
            string key = Encoding.UTF8.GetString(data.Slice(pos, keyLength));
            pos += keyLength;
            int valueLength = ReadInt(data, pos);
            pos += 4;
            string? value = null;
            if (valueLength >= 0)
            {
                if (valueLength > data.Length - pos) throw Malformed();
                value = Encoding.UTF8.GetString(data.Slice(pos, valueLength));
                pos += valueLength;
            }
            else if (valueLength != -1) throw Malformed();
            result[key] = value;
        }
        if (pos != data.Length) throw Malformed();
        return result;
    }

    /// <summary>
    /// The text form (hstore_out, a statement's first run): <c>"key"=&gt;"value", "key"=&gt;NULL</c>, keys and values
    /// quoted, quotes and backslashes inside escaped with a backslash.
    /// </summary>
    private static Dictionary<string, string?> ReadText(ReadOnlySpan<byte> data)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        int pos = 0;
        SkipSpaces(data, ref pos);
        while (pos < data.Length)
        {
            string key = Quoted(data, ref pos) ?? throw BadText(data);
            SkipSpaces(data, ref pos);
            if (pos + 1 >= data.Length || data[pos] != '=' || data[pos + 1] != '>') throw BadText(data);
            pos += 2;
            SkipSpaces(data, ref pos);
            string? value;
            if (pos < data.Length && data[pos] == '"') value = Quoted(data, ref pos);
            else if (data.Length - pos >= 4 && Ascii.EqualsIgnoreCase(data.Slice(pos, 4), "NULL"u8))
            {
                value = null;
                pos += 4;
            }
            else throw BadText(data);
            result[key] = value;
            SkipSpaces(data, ref pos);
            if (pos < data.Length)
            {
                if (data[pos] != ',') throw BadText(data);
                pos++;
                SkipSpaces(data, ref pos);
            }
        }
        return result;
    }

    private static string? Quoted(ReadOnlySpan<byte> data, ref int pos)
    {
        if (pos >= data.Length || data[pos] != '"') return null;
        var bytes = new List<byte>();
        pos++;
        while (true)
        {
            if (pos >= data.Length) throw BadText(data);
            byte c = data[pos++];
            if (c == '"') break;
            if (c == '\\')
            {
                if (pos >= data.Length) throw BadText(data);
                c = data[pos++];
            }
            bytes.Add(c);
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static void SkipSpaces(ReadOnlySpan<byte> data, ref int pos)
    {
        while (pos < data.Length && data[pos] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r') pos++;
    }

    private static PgProtocolException BadText(ReadOnlySpan<byte> data) => Conversion.BadText("hstore", data);

    IDictionary<string, string?> IPgReader<IDictionary<string, string?>>.Read(ReadOnlySpan<byte> data, bool binary) => Read(data, binary);

    IReadOnlyDictionary<string, string?> IPgReader<IReadOnlyDictionary<string, string?>>.Read(ReadOnlySpan<byte> data, bool binary) => Read(data, binary);

    private static int ReadInt(ReadOnlySpan<byte> data, int pos) =>
        data.Length - pos >= 4 ? BinaryPrimitives.ReadInt32BigEndian(data[pos..]) : throw Malformed();

    private static PgProtocolException Malformed() => new("The server sent a malformed binary hstore value.");

    public override int GetLength(object value) => GetLength(Pairs(value));

    public override void Write(object value, Span<byte> destination) => Write(Pairs(value), destination);

    public override int GetLength(Dictionary<string, string?> value) => GetLength((IEnumerable<KeyValuePair<string, string?>>)value);

    public override void Write(Dictionary<string, string?> value, Span<byte> destination) =>
        Write((IEnumerable<KeyValuePair<string, string?>>)value, destination);

    private int GetLength(IEnumerable<KeyValuePair<string, string?>> pairs)
    {
        long length = 4;
        foreach (var (key, value) in pairs)
            length += 8 + Encoding.UTF8.GetByteCount(key) + (value is null ? 0 : Encoding.UTF8.GetByteCount(value));
        return length <= int.MaxValue ? (int)length : throw Conversion.OutOfRange("an hstore of " + length + " bytes", DataTypeName);
    }

    private static void Write(IEnumerable<KeyValuePair<string, string?>> pairs, Span<byte> destination)
    {
        int count = 0, pos = 4;
        foreach (var (key, value) in pairs)
        {
            count++;
            int keyLength = Encoding.UTF8.GetBytes(key, destination[(pos + 4)..]);
            BinaryPrimitives.WriteInt32BigEndian(destination[pos..], keyLength);
            pos += 4 + keyLength;
            if (value is null)
            {
                BinaryPrimitives.WriteInt32BigEndian(destination[pos..], -1);
                pos += 4;
            }
            else
            {
                int valueLength = Encoding.UTF8.GetBytes(value, destination[(pos + 4)..]);
                BinaryPrimitives.WriteInt32BigEndian(destination[pos..], valueLength);
                pos += 4 + valueLength;
            }
        }
        BinaryPrimitives.WriteInt32BigEndian(destination, count);
    }

    private IEnumerable<KeyValuePair<string, string?>> Pairs(object value) => value switch
    {
        IEnumerable<KeyValuePair<string, string?>> p => p,
        _ => throw Conversion.CannotWrite(value, DataTypeName),
    };
}
