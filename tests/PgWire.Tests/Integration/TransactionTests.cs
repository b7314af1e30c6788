using System.Data;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Integration;

/// <summary>
/// PgTransaction: commit, rollback, rollback on dispose, savepoints and isolation levels. What persisted is checked
/// through psql as the superuser, an oracle independent of the driver.
/// </summary>
[Collection("Database")]
public sealed class TransactionTests(DatabaseFixture db) : IAsyncLifetime
{
    private PgConnection _conn = null!;

    public async Task InitializeAsync()
    {
        _conn = await db.OpenAsync();
        await _conn.ExecuteAsync("DROP TABLE IF EXISTS tx_entries");
        await _conn.ExecuteAsync("CREATE TABLE tx_entries (id int4 PRIMARY KEY)");
    }

    public async Task DisposeAsync()
    {
        await _conn.DisposeAsync();
        await db.Server.RunSqlAsync("DROP TABLE IF EXISTS tx_entries");
    }

    /// <summary>The ids in tx_entries, as psql sees them from its own session.</summary>
    private async Task<string> StoredIdsAsync() =>
        (await db.Server.RunSqlAsync("SELECT coalesce(string_agg(id::text, ',' ORDER BY id), '') FROM tx_entries")).Trim();

    [Fact]
    public async Task Committed_work_persists()
    {
        await using var tx = await _conn.BeginTransactionAsync();
        await _conn.ExecuteAsync("INSERT INTO tx_entries VALUES ($1), ($2)", 1, 2);

        await tx.CommitAsync();

        Assert.Equal("1,2", await StoredIdsAsync());
    }

    [Fact]
    public async Task Work_inside_a_transaction_is_invisible_to_other_sessions_until_commit()
    {
        await using var tx = await _conn.BeginTransactionAsync();
        await _conn.ExecuteAsync("INSERT INTO tx_entries VALUES (1)");

        Assert.Equal("", await StoredIdsAsync());
    }

    [Fact]
    public async Task Rolled_back_work_is_discarded()
    {
        await using var tx = await _conn.BeginTransactionAsync();
        await _conn.ExecuteAsync("INSERT INTO tx_entries VALUES (1)");

        await tx.RollbackAsync();

        Assert.Equal("", await StoredIdsAsync());
        Assert.Equal(0L, await _conn.QueryScalarAsync<long>("SELECT count(*) FROM tx_entries"));
    }

    [Fact]
    public async Task Disposing_an_uncommitted_transaction_rolls_it_back()
    {
        await using (var tx = await _conn.BeginTransactionAsync())
        {
            await _conn.ExecuteAsync("INSERT INTO tx_entries VALUES (1)");
        }

        Assert.False(_conn.InTransaction);
        Assert.Equal("", await StoredIdsAsync());
    }

    [Fact]
    public async Task Disposing_an_uncommitted_transaction_synchronously_rolls_it_back()
    {
        using (var tx = _conn.BeginTransaction())
        {
            _conn.Execute("INSERT INTO tx_entries VALUES (1)");
        }

        Assert.False(_conn.InTransaction);
        Assert.Equal("", await StoredIdsAsync());
    }

    [Fact]
    public async Task Disposing_a_committed_transaction_keeps_its_work()
    {
        await using (var tx = await _conn.BeginTransactionAsync())
        {
            await _conn.ExecuteAsync("INSERT INTO tx_entries VALUES (7)");
            await tx.CommitAsync();
        }

        Assert.Equal("7", await StoredIdsAsync());
    }

    [Fact]
    public async Task The_synchronous_Commit_persists_and_Rollback_discards()
    {
        using (var tx = _conn.BeginTransaction())
        {
            _conn.Execute("INSERT INTO tx_entries VALUES (1)");
            tx.Commit();
        }
        using (var tx = _conn.BeginTransaction())
        {
            _conn.Execute("INSERT INTO tx_entries VALUES (2)");
            tx.Rollback();
        }

        Assert.Equal("1", await StoredIdsAsync());
    }

    [Fact]
    public async Task Rolling_back_to_a_savepoint_undoes_only_the_work_after_it_and_the_transaction_goes_on()
    {
        await using var tx = await _conn.BeginTransactionAsync();
        await _conn.ExecuteAsync("INSERT INTO tx_entries VALUES (1)");
        await tx.SaveAsync("before_failure");
        await _conn.ExecuteAsync("INSERT INTO tx_entries VALUES (2)");
        await Assert.ThrowsAsync<PgServerException>(() => _conn.ExecuteAsync("INSERT INTO tx_entries VALUES (1)").AsTask());

        await tx.RollbackAsync("before_failure");
        await _conn.ExecuteAsync("INSERT INTO tx_entries VALUES (3)");
        await tx.CommitAsync();

        Assert.Equal("1,3", await StoredIdsAsync());
    }

    [Fact]
    public async Task A_released_savepoint_keeps_its_work()
    {
        await using var tx = await _conn.BeginTransactionAsync();
        await tx.SaveAsync("sp");
        await _conn.ExecuteAsync("INSERT INTO tx_entries VALUES (5)");

        await tx.ReleaseAsync("sp");
        await tx.CommitAsync();

        Assert.Equal("5", await StoredIdsAsync());
    }

    [Fact]
    public async Task InTransaction_is_true_between_begin_and_commit()
    {
        Assert.False(_conn.InTransaction);
        var tx = await _conn.BeginTransactionAsync();
        Assert.True(_conn.InTransaction);

        await tx.CommitAsync();

        Assert.False(_conn.InTransaction);
    }

    [Fact]
    public async Task Beginning_a_second_transaction_on_the_same_connection_throws_InvalidOperationException()
    {
        await using var tx = await _conn.BeginTransactionAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => _conn.BeginTransactionAsync().AsTask());
    }

    [Fact]
    public async Task Committing_twice_throws_InvalidOperationException()
    {
        await using var tx = await _conn.BeginTransactionAsync();
        await tx.CommitAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => tx.CommitAsync());
    }

    [Theory]
    [InlineData(IsolationLevel.ReadCommitted, "read committed")]
    [InlineData(IsolationLevel.RepeatableRead, "repeatable read")]
    [InlineData(IsolationLevel.Serializable, "serializable")]
    public async Task A_transaction_runs_at_the_isolation_level_asked_for(IsolationLevel level, string serverName)
    {
        await using var tx = await _conn.BeginTransactionAsync(level);

        Assert.Equal(serverName, await _conn.QueryScalarAsync<string>("SHOW transaction_isolation"));
        Assert.Equal(level, tx.IsolationLevel);
    }

    [Fact]
    public async Task A_command_given_the_transaction_runs_inside_it()
    {
        await using var tx = await _conn.BeginTransactionAsync();
        await using var cmd = new PgCommand("INSERT INTO tx_entries VALUES (9)", _conn) { Transaction = tx };
        await cmd.ExecuteNonQueryAsync();

        await tx.RollbackAsync();

        Assert.Equal("", await StoredIdsAsync());
    }

    [Fact]
    public async Task A_command_given_a_finished_transaction_throws_InvalidOperationException()
    {
        var tx = await _conn.BeginTransactionAsync();
        await tx.CommitAsync();
        await using var cmd = new PgCommand("SELECT 1", _conn) { Transaction = tx };

        await Assert.ThrowsAsync<InvalidOperationException>(() => cmd.ExecuteScalarAsync());
    }
}
