using System.Globalization;

namespace PgWire.Types;

/// <summary>bytea as Byte[]; parameters also from ReadOnlyMemory&lt;byte&gt;, Memory&lt;byte&gt; and ArraySegment&lt;byte&gt;.</summary>
internal sealed class ByteaCodec() : PgTypeCodec<byte[]>(PgOids.Bytea, "bytea"), IPgReader<ReadOnlyMemory<byte>>
{
    public override byte[] Read(ReadOnlySpan<byte> data, bool binary) => binary ? data.ToArray() : ParseHex(data);

    ReadOnlyMemory<byte> IPgReader<ReadOnlyMemory<byte>>.Read(ReadOnlySpan<byte> data, bool binary) => Read(data, binary);

    public override int GetLength(object value) => AsMemory(value).Length;

    public override void Write(object value, Span<byte> destination) => AsMemory(value).Span.CopyTo(destination);

    public override int GetLength(byte[] value) => value.Length;

    public override void Write(byte[] value, Span<byte> destination) => value.CopyTo(destination);

    private ReadOnlyMemory<byte> AsMemory(object value) => value switch
    {
        byte[] bytes => bytes,
        ReadOnlyMemory<byte> m => m,
        Memory<byte> m => m,
        ArraySegment<byte> s => s,
        _ => throw Conversion.CannotWrite(value, DataTypeName),
    };

    /// <summary>The text form PostgreSQL sends with bytea_output = hex: \x followed by two hex digits a byte.</summary>
    private byte[] ParseHex(ReadOnlySpan<byte> text)
    {
        if (text.Length < 2 || text[0] != '\\' || text[1] != 'x' || text.Length % 2 != 0)
            throw Conversion.BadText(DataTypeName, text);
        var result = new byte[(text.Length - 2) / 2];
        for (int i = 0; i < result.Length; i++)
        {
            if (!byte.TryParse(text.Slice(2 + 2 * i, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out result[i]))
                throw Conversion.BadText(DataTypeName, text);
        }
        return result;
    }
}
