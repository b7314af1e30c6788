using System.Data;
using System.Security.Cryptography;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Integration;

/// <summary>
/// A 256 MiB bytea read with SequentialAccess through GetStream: the whole process allocates less than 16 MiB while
/// reading it (the test runs alone, so GC.GetTotalAllocatedBytes counts this read), and its SHA-256 is the server's.
/// </summary>
[Collection("Alone")]
public sealed class LargeValueMemoryTests(DatabaseFixture db)
{
    [Fact]
    public async Task A_256_MiB_bytea_is_streamed_with_GetStream_in_less_than_16_MiB_and_matches_the_servers_digest()
    {
        await using var conn = await db.OpenAsync();
        const long size = 256L * 1024 * 1024;
        const string pattern = SequentialAccessTests.Pattern;
        long expectedLength = size / pattern.Length * pattern.Length;
        await using var cmd = new PgCommand(
            $"SELECT v, encode(sha256(v), 'hex'), 42 FROM (SELECT {SequentialAccessTests.LargeBytea(size)} AS v) s", conn);
        await cmd.PrepareAsync(); // binary rows (a first run's bytea comes as hex text, streamed too: see SequentialAccessTests)
        using var sha = SHA256.Create();
        var chunk = new byte[65536];

        long before = GC.GetTotalAllocatedBytes(precise: true);
        long length = 0;
        string serverDigest;
        int after;
        await using (var reader = await cmd.ExecuteReaderAsync(CommandBehavior.SequentialAccess))
        {
            Assert.True(await reader.ReadAsync());
            await using (var stream = reader.GetStream(0))
            {
                Assert.Equal(expectedLength, stream.Length);
                int n;
                while ((n = await stream.ReadAsync(chunk)) > 0)
                {
                    sha.TransformBlock(chunk, 0, n, null, 0);
                    length += n;
                }
            }
            serverDigest = reader.GetString(1);
            after = reader.GetInt32(2);
            Assert.False(await reader.ReadAsync());
        }
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        sha.TransformFinalBlock([], 0, 0);

        Assert.Equal(expectedLength, length);
        Assert.Equal(serverDigest, Convert.ToHexStringLower(sha.Hash!));
        Assert.Equal(42, after);
        Assert.True(allocated < 16L * 1024 * 1024, $"Reading a 256 MiB value allocated {allocated:N0} bytes in the process.");
        Assert.Equal(1, await conn.QueryScalarAsync<int>("SELECT 1"));
    }
}
