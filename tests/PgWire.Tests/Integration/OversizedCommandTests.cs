using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Integration;

/// <summary>One 1 GiB array for the whole class, allocated on first use and released when the class is done.</summary>
public sealed class OneGiBPayload : IDisposable
{
    public const int Length = 1 << 30;

    private byte[]? _bytes;

    public byte[] Bytes => _bytes ??= GC.AllocateUninitializedArray<byte>(Length);

    public void Dispose() => _bytes = null;
}

/// <summary>
/// A command the server could not accept (a Bind message over 1 GiB, more than 65,535 parameters) is refused before
/// anything is sent, so the protocol stream is never corrupted and the same session carries on.
/// </summary>
[Collection("Database")]
public sealed class OversizedCommandTests(DatabaseFixture db, OneGiBPayload payload) : IClassFixture<OneGiBPayload>
{
    [Fact]
    public async Task A_1_GiB_parameter_is_refused_with_PgProtocolException_saying_nothing_was_sent()
    {
        await using var conn = await db.OpenAsync();

        var e = await Assert.ThrowsAsync<PgProtocolException>(() => conn.QueryAsync("SELECT md5($1::bytea)", payload.Bytes).AsTask());

        Assert.Contains("1 GiB", e.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was sent", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_a_refused_1_GiB_parameter_the_same_backend_runs_the_next_query()
    {
        await using var conn = await db.OpenAsync();
        int pid = conn.ProcessId;

        await Assert.ThrowsAsync<PgProtocolException>(() => conn.QueryAsync("SELECT md5($1::bytea)", payload.Bytes).AsTask());

        Assert.Equal(System.Data.ConnectionState.Open, conn.State);
        Assert.Equal(1, await conn.QueryScalarAsync<int>("SELECT 1"));
        Assert.Equal(pid, await conn.QueryScalarAsync<int>("SELECT pg_backend_pid()"));
    }

    [Fact]
    public async Task A_1_GiB_parameter_on_a_statement_the_connection_has_run_before_is_refused_and_the_statement_still_runs()
    {
        await using var conn = await db.OpenAsync();
        const string sql = "SELECT octet_length($1::bytea)";
        Assert.Equal(3, await conn.QueryScalarAsync<int>(sql, new byte[] { 1, 2, 3 }));

        await Assert.ThrowsAsync<PgProtocolException>(() => conn.QueryAsync(sql, payload.Bytes).AsTask());

        Assert.Equal(2, await conn.QueryScalarAsync<int>(sql, new byte[] { 1, 2 }));
    }

    [Fact]
    public async Task Parameters_that_together_exceed_1_GiB_are_refused_and_the_connection_stays_usable()
    {
        await using var conn = await db.OpenAsync();
        int pid = conn.ProcessId;
        var firstHalf = new ArraySegment<byte>(payload.Bytes, 0, OneGiBPayload.Length / 2);
        var secondHalf = new ArraySegment<byte>(payload.Bytes, OneGiBPayload.Length / 2, OneGiBPayload.Length / 2);

        await Assert.ThrowsAsync<PgProtocolException>(() =>
            conn.QueryAsync("SELECT octet_length($1::bytea) + octet_length($2::bytea)", firstHalf, secondHalf).AsTask());

        Assert.Equal(pid, await conn.QueryScalarAsync<int>("SELECT pg_backend_pid()"));
    }

    [Fact]
    public async Task A_1_GiB_parameter_is_refused_through_PgCommand_too_and_the_connection_stays_usable()
    {
        await using var conn = await db.OpenAsync();
        await using var cmd = new PgCommand("SELECT octet_length($1::bytea)", conn);
        cmd.Parameters.Add(new PgParameter(payload.Bytes, PgDbType.Bytea));

        await Assert.ThrowsAsync<PgProtocolException>(() => cmd.ExecuteScalarAsync());

        Assert.Equal(1, await conn.QueryScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public async Task More_than_65535_parameters_are_refused_with_PgProtocolException_and_the_connection_stays_usable()
    {
        await using var conn = await db.OpenAsync();
        int pid = conn.ProcessId;
        object?[] args = Enumerable.Range(1, 65_536).Select(i => (object?)i).ToArray();

        var e = await Assert.ThrowsAsync<PgProtocolException>(() => conn.QueryAsync("SELECT $1", args).AsTask());

        Assert.Contains("65,535", e.Message, StringComparison.Ordinal);
        Assert.Equal(pid, await conn.QueryScalarAsync<int>("SELECT pg_backend_pid()"));
    }

    [Fact]
    public async Task Exactly_65535_parameters_are_accepted()
    {
        await using var conn = await db.OpenAsync();
        object?[] args = Enumerable.Range(1, 65_535).Select(i => (object?)i).ToArray();
        string placeholders = string.Join(",", Enumerable.Range(1, 65_535).Select(i => "$" + i));

        string sql = "SELECT sum(x) FROM unnest(ARRAY[" + placeholders + "]::int4[]) AS x";
        long sum = await conn.QueryScalarAsync<long>(sql, args);

        Assert.Equal(65_535L * 65_536 / 2, sum);
    }
}
