namespace PgWire.Protocol.Backend;

/// <summary>
/// CopyInResponse ('G') and CopyOutResponse ('H'): the server entered COPY FROM STDIN or COPY TO STDOUT. The overall
/// format (0 text, 1 binary) and one format code per column (PostgreSQL documentation, "Message Formats").
/// </summary>
internal readonly record struct CopyResponse(bool Binary, int ColumnCount)
{
    public static CopyResponse Parse(ReadOnlySpan<byte> body, byte code)
    {
        var reader = new MessageReader(body, code);
        byte format = reader.ReadByte();
        if (format > 1) throw reader.Violation($"an unknown COPY format {format}");
        short columns = reader.ReadInt16();
        if (columns < 0) throw reader.Violation($"a negative column count ({columns})");
        for (int i = 0; i < columns; i++)
        {
            short columnFormat = reader.ReadInt16();
            // In a binary COPY every column is binary, in a text one every column is text.
            if (columnFormat != format) throw reader.Violation($"column {i + 1} in format {columnFormat} of a COPY in format {format}");
        }
        reader.ExpectEnd();
        return new CopyResponse(format == 1, columns);
    }
}
