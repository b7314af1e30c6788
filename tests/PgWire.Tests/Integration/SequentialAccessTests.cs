using System.Data;
using System.Security.Cryptography;
using System.Text;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Integration;

/// <summary>
/// Streamed values (CommandBehavior.SequentialAccess): a row larger than the receive buffer is read from the socket as
/// its columns are consumed, so memory stays bounded by the buffer, not the value; and Stream/TextReader parameters.
/// The server computes digests of the values it sends or stores, so every byte is checked against it.
/// </summary>
[Collection("Database")]
public sealed class SequentialAccessTests(DatabaseFixture db)
{
    internal const string Pattern = "abcdefghijklmnopqrstuvwxy"; // 25 bytes: chunk boundaries never line up with it

    internal static string LargeBytea(long bytes) =>
        $"convert_to(repeat('{Pattern}', {bytes / Pattern.Length}), 'UTF8')";

    [Fact]
    public async Task GetStream_read_asynchronously_gives_every_byte()
    {
        await using var conn = await db.OpenAsync();
        await using var cmd = new PgCommand($"SELECT {LargeBytea(3_000_000)}, md5({LargeBytea(3_000_000)})", conn);
        await using var reader = await cmd.ExecuteReaderAsync(CommandBehavior.SequentialAccess);
        Assert.True(await reader.ReadAsync());
        var copy = new MemoryStream();
        await using (var stream = await reader.GetFieldValueAsync<Stream>(0))
            await stream.CopyToAsync(copy);
        Assert.Equal(await reader.GetFieldValueAsync<string>(1), Convert.ToHexStringLower(MD5.HashData(copy.ToArray())));
    }

    [Fact]
    public async Task GetBytes_reads_a_large_value_in_chunks_forward_and_refuses_to_go_back()
    {
        await using var conn = await db.OpenAsync();
        const int size = 5_000_000;
        await using var cmd = new PgCommand($"SELECT v, md5(v) FROM (SELECT {LargeBytea(size)} AS v) s", conn);
        await using var reader = await cmd.ExecuteReaderAsync(CommandBehavior.SequentialAccess);
        Assert.True(await reader.ReadAsync());

        long length = reader.GetBytes(0, 0, null, 0, 0);
        Assert.Equal(size / Pattern.Length * Pattern.Length, length);
        var all = new byte[length];
        long offset = 0;
        var chunk = new byte[7777];
        long n;
        while ((n = reader.GetBytes(0, offset, chunk, 0, chunk.Length)) > 0)
        {
            Array.Copy(chunk, 0, all, offset, n);
            offset += n;
        }
        Assert.Equal(length, offset);
        Assert.Throws<InvalidOperationException>(() => reader.GetBytes(0, 0, chunk, 0, 10));
        Assert.Equal(reader.GetString(1), Convert.ToHexStringLower(MD5.HashData(all)));
        // Back to a column already passed.
        var back = Assert.Throws<InvalidOperationException>(() => reader.GetBytes(0, length, chunk, 0, 1));
        Assert.Contains("in order", back.Message);
    }

    [Fact]
    public async Task Columns_of_a_streamed_row_are_read_in_order_and_may_be_skipped_or_left_unread()
    {
        await using var conn = await db.OpenAsync();
        string sql = $"SELECT i, {LargeBytea(1_000_000)} AS big, 'row ' || i AS name, NULL::text AS nothing, {LargeBytea(200_000)} AS big2 " +
                     "FROM generate_series(1, 5) i";
        await using (var cmd = new PgCommand(sql, conn))
        await using (var reader = await cmd.ExecuteReaderAsync(CommandBehavior.SequentialAccess))
        {
            int rows = 0;
            while (await reader.ReadAsync())
            {
                rows++;
                Assert.Equal(rows, reader.GetInt32(0));
                Assert.Equal(rows, reader.GetInt32(0)); // the current column can be read again
                if (rows % 2 == 0)
                {
                    // Skips the large column entirely.
                    Assert.Equal("row " + rows, reader.GetString(2));
                    Assert.True(reader.IsDBNull(3));
                    Assert.Throws<InvalidOperationException>(() => reader.GetInt32(0));
                }
                else if (rows == 3)
                {
                    // Leaves everything after column 1 unread, half of column 1 too.
                    var part = new byte[1000];
                    Assert.Equal(1000, reader.GetBytes(1, 0, part, 0, part.Length));
                    Assert.Equal(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(Pattern, 40))), part);
                }
                else
                {
                    byte[] big = reader.GetFieldValue<byte[]>(1);
                    Assert.Equal(1_000_000, big.Length);
                    Assert.Equal(Encoding.ASCII.GetBytes(Pattern), big[..25]);
                    Assert.Equal("row " + rows, reader.GetString(2));
                    Assert.True(await reader.IsDBNullAsync(3));
                    Assert.Equal(200_000, (await reader.GetFieldValueAsync<byte[]>(4)).Length);
                }
            }
            Assert.Equal(5, rows);
        }
        Assert.Equal(2, await conn.QueryScalarAsync<int>("SELECT 2"));
    }

    [Fact]
    public async Task A_reader_disposed_in_the_middle_of_a_streamed_value_leaves_the_connection_usable()
    {
        await using var conn = await db.OpenAsync();
        await using (var cmd = new PgCommand($"SELECT {LargeBytea(4_000_000)} FROM generate_series(1, 3)", conn))
        await using (var reader = await cmd.ExecuteReaderAsync(CommandBehavior.SequentialAccess))
        {
            Assert.True(await reader.ReadAsync());
            var stream = reader.GetStream(0);
            var chunk = new byte[100];
            Assert.Equal(100, await stream.ReadAsync(chunk));
        }
        Assert.Equal("still here", await conn.QueryScalarAsync<string>("SELECT 'still here'"));
    }

    [Fact]
    public async Task GetTextReader_and_GetChars_decode_large_text_from_the_socket()
    {
        await using var conn = await db.OpenAsync();
        // Multi-byte characters: a chunk boundary falls inside one of them somewhere.
        string sql = "SELECT t, md5(t), t::jsonb FROM (SELECT '\"' || repeat('äb€c😀', 300000) || '\"' AS t) s";
        string expected = "\"" + string.Concat(Enumerable.Repeat("äb€c😀", 300000)) + "\"";
        await using (var cmd = new PgCommand(sql, conn))
        await using (var reader = await cmd.ExecuteReaderAsync(CommandBehavior.SequentialAccess))
        {
            Assert.True(await reader.ReadAsync());
            string text;
            using (var textReader = reader.GetTextReader(0)) text = await textReader.ReadToEndAsync();
            Assert.Equal(expected, text);
            Assert.Equal(reader.GetString(1), Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text))));
            using var json = reader.GetTextReader(2);
            Assert.Equal(expected, await json.ReadToEndAsync());
        }
        await using (var cmd = new PgCommand(sql, conn))
        await using (var reader = await cmd.ExecuteReaderAsync(CommandBehavior.SequentialAccess))
        {
            Assert.True(await reader.ReadAsync());
            Assert.Throws<InvalidOperationException>(() => reader.GetChars(0, 0, null, 0, 0));
            var sb = new StringBuilder();
            var chunk = new char[1001];
            long offset = 0, n;
            while ((n = reader.GetChars(0, offset, chunk, 0, chunk.Length)) > 0)
            {
                sb.Append(chunk, 0, (int)n);
                offset += n;
            }
            Assert.Equal(expected, sb.ToString());
        }
    }

    [Fact]
    public async Task Without_SequentialAccess_the_same_methods_read_the_buffered_row_in_place()
    {
        await using var conn = await db.OpenAsync();
        await using var cmd = new PgCommand($"SELECT {LargeBytea(100_000)}, 'héllo wörld' FROM generate_series(1, 2)", conn);
        await cmd.PrepareAsync(); // binary rows
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var stream = reader.GetStream(0);
        Assert.Equal(100_000, stream.Length);
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        Assert.Equal(reader.GetFieldValue<byte[]>(0), copy.ToArray());
        Assert.Equal(10, reader.GetBytes(0, 99_990, new byte[10], 0, 10));
        Assert.Equal(100_000, reader.GetBytes(0, 0, null, 0, 0));
        var chars = new char[5];
        Assert.Equal(5, reader.GetChars(1, 6, chars, 0, 5));
        Assert.Equal("wörld", new string(chars));
        Assert.Equal(2, reader.GetChars(1, 0, chars, 0, 2));
        Assert.Equal(11, reader.GetChars(1, 0, null, 0, 0));
        Assert.Equal("héllo wörld", await reader.GetTextReader(1).ReadToEndAsync());

        var stale = reader.GetStream(0);
        Assert.True(await reader.ReadAsync());
        Assert.Throws<InvalidOperationException>(() => stale.ReadByte());
    }

    [Fact]
    public async Task A_first_run_with_SequentialAccess_streams_its_bytea_decoded_from_the_hex_text_it_arrives_as()
    {
        await using var conn = await db.OpenAsync();
        // A SQL text new to the connection: described in the same write as its execution, its rows come as text.
        string sql = $"SELECT v AS fresh_{Guid.NewGuid():N}, md5(v), v, v FROM (SELECT {LargeBytea(2_000_000)} AS v) s";
        await using var cmd = new PgCommand(sql, conn);
        await using var reader = await cmd.ExecuteReaderAsync(CommandBehavior.SequentialAccess);
        Assert.True(await reader.ReadAsync());
        Assert.Equal(2_000_000, reader.GetBytes(0, 0, null, 0, 0));
        var copy = new MemoryStream();
        await using (var stream = reader.GetStream(0))
        {
            Assert.Equal(2_000_000, stream.Length);
            await stream.CopyToAsync(copy);
        }
        Assert.Equal(reader.GetString(1), Convert.ToHexStringLower(MD5.HashData(copy.ToArray())));
        var chunk = new byte[999];
        long offset = 0, n;
        var again = new MemoryStream();
        while ((n = reader.GetBytes(2, offset, chunk, 0, chunk.Length)) > 0)
        {
            again.Write(chunk, 0, (int)n);
            offset += n;
        }
        Assert.Equal(copy.ToArray(), again.ToArray());
        Assert.Equal(copy.ToArray(), await reader.GetFieldValueAsync<byte[]>(3));
    }

    [Fact]
    public async Task A_NULL_column_of_a_streamed_row_is_NULL_to_every_method()
    {
        await using var conn = await db.OpenAsync();
        await using var cmd = new PgCommand($"SELECT {LargeBytea(100_000)}, NULL::bytea, 7", conn);
        await using var reader = await cmd.ExecuteReaderAsync(CommandBehavior.SequentialAccess);
        Assert.True(await reader.ReadAsync());
        Assert.False(reader.IsDBNull(0));
        Assert.True(reader.IsDBNull(1));
        Assert.Throws<InvalidCastException>(() => reader.GetStream(1));
        Assert.Null(reader.GetFieldValue<byte[]?>(1));
        Assert.Equal(7, reader.GetInt32(2));
    }

    [Fact]
    public async Task Stream_and_TextReader_parameters_are_sent_whole()
    {
        await using var conn = await db.OpenAsync();
        var bytes = new byte[3_000_001];
        new Random(7).NextBytes(bytes);
        string expected = Convert.ToHexStringLower(MD5.HashData(bytes));

        Assert.Equal(expected, await conn.QueryScalarAsync<string>("SELECT md5($1::bytea)", new MemoryStream(bytes)));
        Assert.Equal(expected, await conn.QueryScalarAsync<string>("SELECT md5($1::bytea)", new OneWayStream(bytes)));
        var offset = new MemoryStream(bytes) { Position = 1 };
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(bytes.AsSpan(1))), await conn.QueryScalarAsync<string>("SELECT md5($1::bytea)", offset));

        string text = string.Concat(Enumerable.Repeat("grüße 😀 ", 200_000));
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text))),
            await conn.QueryScalarAsync<string>("SELECT md5($1::text)", new StringReader(text)));

        await using var cmd = new PgCommand("SELECT $1::jsonb ->> 'k'", conn);
        cmd.Parameters.Add(new PgParameter { Value = new StringReader("{\"k\": \"v\"}"), PgDbType = PgDbType.Jsonb });
        Assert.Equal("v", await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_stream_parameter_that_cannot_be_sent_is_refused_clearly_and_the_connection_stays()
    {
        await using var conn = await db.OpenAsync();
        await using (var cmd = new PgCommand("SELECT $1", conn))
        {
            cmd.Parameters.Add(new PgParameter { Value = new MemoryStream([1, 2]), PgDbType = PgDbType.Integer });
            var e = await Assert.ThrowsAsync<PgConversionException>(() => cmd.ExecuteScalarAsync());
            Assert.Contains("Stream", e.Message);
        }
        var lying = await Assert.ThrowsAsync<PgConversionException>(() =>
            conn.QueryScalarAsync<string>("SELECT md5($1::bytea)", new ShortStream(1000, 400)).AsTask());
        Assert.Contains("ended after 400", lying.Message);
        Assert.Equal(3, await conn.QueryScalarAsync<int>("SELECT 3"));
    }

    /// <summary>A stream that cannot seek: its length is known only once it is read.</summary>
    private sealed class OneWayStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
    }

    /// <summary>Claims <paramref name="claimed"/> bytes and delivers <paramref name="delivered"/>.</summary>
    private sealed class ShortStream(int claimed, int delivered) : MemoryStream(new byte[delivered])
    {
        public override long Length => claimed;
    }
}
