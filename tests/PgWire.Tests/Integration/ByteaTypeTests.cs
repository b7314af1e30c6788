using System.Security.Cryptography;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Integration;

/// <summary>bytea through parameters and results, from empty to 16 MiB; the server's md5() checks what it received.</summary>
[Collection("Database")]
public sealed class ByteaTypeTests(DatabaseFixture db) : IAsyncLifetime
{
    private const int SixteenMiB = 16 << 20;

    /// <summary>16 MiB of seeded random bytes, made once for the tests that need them.</summary>
    private static readonly Lazy<byte[]> LargePayload = new(() =>
    {
        var bytes = new byte[SixteenMiB];
        new Random(20240102).NextBytes(bytes);
        return bytes;
    });

    private PgConnection _conn = null!;

    public async Task InitializeAsync() => _conn = await db.OpenAsync();

    public async Task DisposeAsync() => await _conn.DisposeAsync();

    [Fact]
    public async Task An_empty_byte_array_is_an_empty_bytea_not_NULL()
    {
        var row = (await _conn.QueryAsync("SELECT $1::bytea AS value, $1::bytea IS NULL AS is_null", Array.Empty<byte>()))[0];

        Assert.Equal(Array.Empty<byte>(), row["value"]);
        Assert.Equal(false, row["is_null"]);
    }

    [Fact]
    public async Task Every_byte_value_comes_back_from_bytea_unchanged()
    {
        byte[] all = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();

        Assert.Equal(all, await _conn.ReadSingleAsync<byte[]>("SELECT $1::bytea", all));
    }

    [Fact]
    public async Task A_byte_array_parameter_is_the_bytea_the_server_prints_as() =>
        Assert.Equal(@"\x0001feff", await _conn.QueryScalarAsync<string>("SELECT $1::bytea::text", new byte[] { 0, 1, 0xFE, 0xFF }));

    [Fact]
    public async Task A_bytea_the_server_builds_reads_as_its_bytes() =>
        Assert.Equal(new byte[] { 0xDE, 0xAD, 0x00, 0xBE, 0xEF },
            await _conn.ReadSingleAsync<byte[]>(@"SELECT '\xdead00beef'::bytea"));

    [Fact]
    public async Task An_ArraySegment_parameter_sends_only_its_segment()
    {
        var segment = new ArraySegment<byte>([9, 1, 2, 3, 9], 1, 3);

        Assert.Equal(@"\x010203", await _conn.QueryScalarAsync<string>("SELECT $1::bytea::text", segment));
    }

    [Fact]
    public async Task A_ReadOnlyMemory_parameter_sends_its_bytes() =>
        Assert.Equal(@"\x0a0b", await _conn.QueryScalarAsync<string>(
            "SELECT $1::bytea::text", new ReadOnlyMemory<byte>([0x0A, 0x0B])));

    [Fact]
    public async Task A_16_MiB_byte_array_comes_back_from_bytea_unchanged()
    {
        byte[] sent = LargePayload.Value;

        byte[] back = await _conn.ReadSingleAsync<byte[]>("SELECT $1::bytea", sent);

        Assert.Equal(sent.Length, back.Length);
        Assert.True(sent.AsSpan().SequenceEqual(back), "The 16 MiB bytea came back with different bytes.");
    }

    [Fact]
    public async Task A_16_MiB_byte_array_reaches_the_server_intact_as_its_md5_shows()
    {
        byte[] sent = LargePayload.Value;

        string? serverMd5 = await _conn.QueryScalarAsync<string>("SELECT md5($1::bytea)", sent);

        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(sent)), serverMd5);
    }

    [Fact]
    public async Task A_16_MiB_bytea_the_server_builds_reads_as_bytes_whose_md5_matches_the_servers()
    {
        var row = (await _conn.QueryAsync(
            "SELECT b, md5(b) AS digest FROM (SELECT decode(repeat('00ff7f80', $1), 'hex') AS b) AS s", SixteenMiB / 4))[0];
        var bytes = Assert.IsType<byte[]>(row["b"]);

        Assert.Equal(SixteenMiB, bytes.Length);
        Assert.Equal(row["digest"], Convert.ToHexStringLower(MD5.HashData(bytes)));
    }

    [Fact]
    public async Task A_bytea_column_reports_its_type_and_reads_as_a_byte_array_by_default()
    {
        await using var cmd = new PgCommand(@"SELECT '\x01'::bytea", _conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());

        Assert.Equal(typeof(byte[]), reader.GetFieldType(0));
        Assert.Equal("bytea", reader.GetDataTypeName(0));
        Assert.Equal(new byte[] { 1 }, reader.GetValue(0));
    }

    [Fact]
    public async Task GetBytes_copies_a_slice_of_a_bytea_and_reports_its_length()
    {
        await using var cmd = new PgCommand(@"SELECT '\x0102030405'::bytea", _conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var buffer = new byte[3];

        Assert.Equal(5, reader.GetBytes(0, 0, null, 0, 0));
        Assert.Equal(3, reader.GetBytes(0, 1, buffer, 0, 3));
        Assert.Equal(new byte[] { 2, 3, 4 }, buffer);
    }
}
