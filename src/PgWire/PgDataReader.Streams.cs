using System.Data;
using System.Text;
using PgWire.Connection;
using PgWire.Types;

namespace PgWire;

/// <summary>
/// Values read in parts: GetStream, GetTextReader, GetBytes and GetChars. With CommandBehavior.SequentialAccess a row
/// larger than the receive buffer is read from the socket as its columns are consumed, so a 1 GiB bytea needs the
/// buffer, not 1 GiB; columns are then read in order, each once. Without it they read the buffered row in place.
/// </summary>
public sealed partial class PgDataReader
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The bytes of a column as a read-only stream. It reads the current row in place (from the socket for a large value
    /// under SequentialAccess) and is valid until the reader moves to another row or column.
    /// </summary>
    public override Stream GetStream(int ordinal)
    {
        if (IsDBNull(ordinal)) throw NullColumn(ordinal);
        var result = Result;
        // A buffered first run's hex bytea is decoded once here, not again for each read of the stream.
        if (result.Streamed is null && result.Columns!.IsTextBytea(ordinal))
            return new MemoryStream(GetFieldValue<byte[]>(ordinal), writable: false);
        return new ColumnStream(result, ordinal, result.RowVersion, result.ValueLength(ordinal));
    }

    /// <summary>
    /// A text column (text, varchar, json, jsonb, xml, ...) as a reader. A large one under SequentialAccess is decoded
    /// from the socket as it is read; otherwise the value is read as a string.
    /// </summary>
    public override TextReader GetTextReader(int ordinal)
    {
        if (IsDBNull(ordinal)) throw NullColumn(ordinal);
        var result = Result;
        if (result.Streamed?.IsStreamedFromSocket(ordinal) is true && Columns.Codecs[ordinal] is TextCodec or JsonCodec)
        {
            var stream = new ColumnStream(result, ordinal, result.RowVersion, result.GetLength(ordinal));
            // Binary jsonb is a version byte and the text; every other text type's binary form is its text.
            if (Columns.Binary[ordinal] && Columns.Fields[ordinal].TypeOid == MiscOids.Jsonb && stream.ReadByte() != 1)
                throw new PgConversionException($"Column \"{GetName(ordinal)}\" holds a binary jsonb value of a format version PgWire does not read.");
            return new StreamReader(stream, Utf8, detectEncodingFromByteOrderMarks: false, bufferSize: 4096, leaveOpen: false);
        }
        return new StringReader(GetString(ordinal));
    }

    /// <summary>
    /// Copies bytes of a column (bytea, or the binary form of any column) from <paramref name="dataOffset"/> into
    /// <paramref name="buffer"/>; with a null buffer, returns the value's length in bytes. Under SequentialAccess a large
    /// value is read forward: each call continues at or after where the last one ended.
    /// </summary>
    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length)
    {
        if (IsDBNull(ordinal)) throw NullColumn(ordinal);
        var result = Result;
        // ColumnStream.ReadColumnAsync serves every form: the buffered row, a streamed column, and a first run's hex bytea.
        long total = result.ValueLength(ordinal);
        if (buffer is null) return total;
        if (dataOffset < 0 || dataOffset > total) throw new ArgumentOutOfRangeException(nameof(dataOffset));
        if (bufferOffset < 0 || length < 0 || bufferOffset > buffer.Length - length) throw new ArgumentOutOfRangeException(nameof(length));
        int filled = 0;
        while (filled < length)
        {
            int n = ColumnStream.ReadColumnAsync(result, ordinal, result.RowVersion, dataOffset + filled,
                buffer.AsMemory(bufferOffset + filled, length - filled), async: false, CancellationToken.None).GetAwaiter().GetResult();
            if (n == 0) break;
            filled += n;
        }
        return filled;
    }

    /// <summary>The characters of a text column, read by GetChars: the decoded string, or under SequentialAccess a decoder.</summary>
    private sealed class CharsState
    {
        public int Version = -1;
        public int Ordinal = -1;
        public string? Text;
        public TextReader? Reader;
        public long Position;
    }

    /// <summary>Made on the first GetChars only: a reader per command stays small.</summary>
    private CharsState? _charsState;

    /// <summary>
    /// Copies characters of a text column from <paramref name="dataOffset"/> into <paramref name="buffer"/>; with a null
    /// buffer, returns the length in characters. Under SequentialAccess a large value is decoded forward from the
    /// socket (each call continues at or after where the last ended), and its length is not known before it is read.
    /// </summary>
    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length)
    {
        if (IsDBNull(ordinal)) throw NullColumn(ordinal);
        var result = Result;
        var chars = _charsState ??= new CharsState();
        if (chars.Version != result.RowVersion || chars.Ordinal != ordinal)
        {
            chars.Reader?.Dispose();
            (chars.Version, chars.Ordinal, chars.Text, chars.Reader, chars.Position) = (result.RowVersion, ordinal, null, null, 0);
            if (result.Streamed?.IsStreamedFromSocket(ordinal) is true && Columns.Codecs[ordinal] is TextCodec or JsonCodec)
                chars.Reader = GetTextReader(ordinal);
            else
                chars.Text = GetString(ordinal);
        }
        if (chars.Text is { } text)
        {
            if (buffer is null) return text.Length;
            if (dataOffset < 0 || dataOffset > text.Length) throw new ArgumentOutOfRangeException(nameof(dataOffset));
            int count = (int)Math.Min(length, text.Length - dataOffset);
            text.CopyTo((int)dataOffset, buffer, bufferOffset, count);
            return count;
        }
        if (buffer is null)
            throw new InvalidOperationException(
                $"The length in characters of column \"{GetName(ordinal)}\" is not known before it is read (CommandBehavior.SequentialAccess " +
                "streams it from the server): read it in chunks until GetChars returns 0.");
        if (dataOffset < chars.Position)
            throw new InvalidOperationException(
                $"With CommandBehavior.SequentialAccess a column is read forward only: character {dataOffset} was asked for, the next is {chars.Position}.");
        var reader = chars.Reader!;
        if (dataOffset > chars.Position)
        {
            var skip = new char[(int)Math.Min(4096, dataOffset - chars.Position)];
            while (chars.Position < dataOffset)
            {
                int n = reader.Read(skip, 0, (int)Math.Min(skip.Length, dataOffset - chars.Position));
                if (n == 0) return 0;
                chars.Position += n;
            }
        }
        int copied = 0;
        while (copied < length)
        {
            int n = reader.Read(buffer, bufferOffset + copied, length - copied);
            if (n == 0) break;
            copied += n;
        }
        chars.Position += copied;
        return copied;
    }

    /// <summary>
    /// Under SequentialAccess, reads the column from the socket asynchronously first, so the getter does no blocking
    /// I/O; otherwise the value is already buffered.
    /// </summary>
    public override async Task<T> GetFieldValueAsync<T>(int ordinal, CancellationToken cancellationToken)
    {
        var result = Result;
        if (result.Streamed is { } row)
        {
            if (typeof(T) == typeof(Stream) || typeof(T) == typeof(TextReader))
                await row.SeekAsync(ordinal, async: true, cancellationToken).ConfigureAwait(false);
            else
                await row.LoadAsync(ordinal, async: true, cancellationToken).ConfigureAwait(false);
        }
        return GetFieldValue<T>(ordinal);
    }

    public override async Task<bool> IsDBNullAsync(int ordinal, CancellationToken cancellationToken)
    {
        var result = Result;
        if (result.Streamed is { } row && result.IsOnRow && (uint)ordinal < (uint)FieldCount)
            await row.SeekAsync(ordinal, async: true, cancellationToken).ConfigureAwait(false);
        return IsDBNull(ordinal);
    }

    private InvalidCastException NullColumn(int ordinal) => new($"Column \"{GetName(ordinal)}\" is NULL.");
}
