using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Integration;

/// <summary>NoticeResponse messages (RAISE NOTICE, server warnings) surface as PgConnection.Notice events.</summary>
[Collection("Database")]
public sealed class NoticeTests(DatabaseFixture db) : IAsyncLifetime
{
    private PgConnection _conn = null!;
    private readonly List<PgNotice> _notices = [];

    public async Task InitializeAsync()
    {
        _conn = await db.OpenAsync();
        _conn.Notice += (_, e) => _notices.Add(e.Notice);
    }

    public async Task DisposeAsync() => await _conn.DisposeAsync();

    [Fact]
    public async Task RAISE_NOTICE_raises_the_Notice_event_with_its_message()
    {
        await _conn.ExecuteAsync("DO $$BEGIN RAISE NOTICE 'hello'; END$$");

        var notice = Assert.Single(_notices);
        Assert.Equal("hello", notice.MessageText);
        Assert.Equal("NOTICE", notice.InvariantSeverity);
        Assert.Equal(PgErrorCodes.SuccessfulCompletion, notice.SqlState);
    }

    [Fact]
    public async Task A_notice_carries_its_detail_and_hint()
    {
        await using var detailed = await db.OpenAsync(db.ConnectionString + ";Include Error Detail=true");
        detailed.Notice += (_, e) => _notices.Add(e.Notice);
        await detailed.ExecuteAsync("DO $$BEGIN RAISE WARNING 'careful' USING DETAIL = 'some detail', HINT = 'some hint'; END$$");

        var notice = Assert.Single(_notices);
        Assert.Equal("WARNING", notice.InvariantSeverity);
        Assert.Equal("some detail", notice.Detail);
        Assert.Equal("some hint", notice.Hint);
    }

    [Fact]
    public async Task Several_notices_of_one_command_arrive_in_order()
    {
        await _conn.ExecuteAsync("DO $$BEGIN FOR i IN 1..3 LOOP RAISE NOTICE 'n%', i; END LOOP; END$$");

        Assert.Equal(["n1", "n2", "n3"], _notices.Select(n => n.MessageText));
    }

    [Fact]
    public async Task A_notice_sent_between_rows_does_not_disturb_the_rows()
    {
        await _conn.ExecuteAsync(
            "CREATE FUNCTION pg_temp.noisy(i int4) RETURNS int4 LANGUAGE plpgsql AS $$BEGIN RAISE NOTICE 'row %', i; RETURN i * 10; END$$");

        var rows = await _conn.QueryAsync("SELECT pg_temp.noisy(g) AS v FROM generate_series(1, 3) g");

        Assert.Equal([10, 20, 30], rows.Select(r => r.Get<int>("v")));
        Assert.Equal(["row 1", "row 2", "row 3"], _notices.Select(n => n.MessageText));
    }

    [Fact]
    public async Task A_notice_handler_that_throws_does_not_break_the_command_or_the_connection()
    {
        _conn.Notice += (_, _) => throw new InvalidOperationException("handler failure");

        await _conn.ExecuteAsync("DO $$BEGIN RAISE NOTICE 'still fine'; END$$");

        Assert.Equal("still fine", Assert.Single(_notices).MessageText);
        Assert.Equal(1, await _conn.QueryScalarAsync<int>("SELECT 1"));
    }
}
