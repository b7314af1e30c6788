using System.Buffers.Binary;

namespace PgWire.Protocol.Backend;

/// <summary>
/// DataRow ('D'): locates each column's bytes inside the message body without copying them.
/// The offsets array is reused row after row, so reading a row allocates nothing.
/// </summary>
internal static class DataRow
{
    /// <summary>
    /// Fills <paramref name="offsets"/> and <paramref name="lengths"/> (length -1 for NULL) for each column.
    /// Every length is checked against the message's end.
    /// </summary>
    public static void Parse(ReadOnlySpan<byte> body, int expectedColumns, Span<int> offsets, Span<int> lengths)
    {
        if (body.Length < 2)
            throw Malformed("a message too short to hold its column count");
        int count = BinaryPrimitives.ReadUInt16BigEndian(body);
        if (count != expectedColumns)
            throw Malformed($"{count} column(s) where the RowDescription announced {expectedColumns}");
        int position = 2;
        for (int i = 0; i < count; i++)
        {
            if (body.Length - position < 4)
                throw Malformed($"column {i}'s length runs past the end of the message");
            int length = BinaryPrimitives.ReadInt32BigEndian(body.Slice(position));
            position += 4;
            if (length < -1 || length > body.Length - position)
                throw Malformed($"column {i} claims {length} byte(s) but only {body.Length - position} remain in the message");
            offsets[i] = position;
            lengths[i] = length;
            if (length > 0) position += length;
        }
        if (position != body.Length)
            throw Malformed($"{body.Length - position} unexpected trailing byte(s)");
    }

    private static PgProtocolException Malformed(string what) =>
        new($"The server sent a malformed 'D' (DataRow) message: {what}. The connection was closed.");
}
