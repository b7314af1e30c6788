using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Integration;

/// <summary>A failed statement inside a transaction block aborts the block until it is rolled back.</summary>
[Collection("Database")]
public sealed class TransactionFailureTests(DatabaseFixture db) : IAsyncLifetime
{
    private PgConnection _conn = null!;

    public async Task InitializeAsync() => _conn = await db.OpenAsync();

    public async Task DisposeAsync() => await _conn.DisposeAsync();

    [Fact]
    public async Task After_a_failed_statement_in_a_transaction_the_next_command_fails_with_InFailedSqlTransaction()
    {
        await using var tx = await _conn.BeginTransactionAsync();
        await Assert.ThrowsAsync<PgServerException>(() => _conn.QueryAsync("SELECT 1 / 0").AsTask());

        var e = await Assert.ThrowsAsync<PgServerException>(() => _conn.QueryAsync("SELECT 1").AsTask());

        Assert.Equal(PgErrorCodes.InFailedSqlTransaction, e.SqlState);
    }

    [Fact]
    public async Task Every_command_of_a_failed_transaction_fails_until_rollback()
    {
        await using var tx = await _conn.BeginTransactionAsync();
        await Assert.ThrowsAsync<PgServerException>(() => _conn.QueryAsync("SELECT 1 / 0").AsTask());

        for (int i = 0; i < 3; i++)
        {
            var e = await Assert.ThrowsAsync<PgServerException>(() => _conn.QueryAsync("SELECT $1::int4", i).AsTask());
            Assert.Equal(PgErrorCodes.InFailedSqlTransaction, e.SqlState);
        }
    }

    [Fact]
    public async Task A_failed_transaction_still_counts_as_in_a_transaction()
    {
        await using var tx = await _conn.BeginTransactionAsync();

        await Assert.ThrowsAsync<PgServerException>(() => _conn.QueryAsync("SELECT 1 / 0").AsTask());

        Assert.True(_conn.InTransaction);
    }

    [Fact]
    public async Task After_rolling_back_a_failed_transaction_the_connection_runs_queries_again()
    {
        var tx = await _conn.BeginTransactionAsync();
        await Assert.ThrowsAsync<PgServerException>(() => _conn.QueryAsync("SELECT 1 / 0").AsTask());
        await Assert.ThrowsAsync<PgServerException>(() => _conn.QueryAsync("SELECT 1").AsTask());

        await tx.RollbackAsync();

        Assert.False(_conn.InTransaction);
        Assert.Equal(1, await _conn.QueryScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public async Task Committing_a_failed_transaction_says_nothing_was_committed_and_leaves_the_connection_usable()
    {
        await _conn.ExecuteAsync("CREATE TEMP TABLE failed_commit (id int4)");
        var tx = await _conn.BeginTransactionAsync();
        await _conn.ExecuteAsync("INSERT INTO failed_commit VALUES (1)");
        await Assert.ThrowsAsync<PgServerException>(() => _conn.QueryAsync("SELECT 1 / 0").AsTask());

        var e = await Assert.ThrowsAsync<PgTransactionRolledBackException>(() => tx.CommitAsync());

        Assert.Equal(PgErrorCodes.TransactionRollback, e.SqlState);
        Assert.Contains("nothing was committed", e.Message);
        Assert.True(tx.IsCompleted);
        Assert.False(_conn.InTransaction);
        Assert.Equal(0L, await _conn.QueryScalarAsync<long>("SELECT count(*) FROM failed_commit"));
    }

    [Fact]
    public async Task Disposing_a_failed_transaction_rolls_it_back_and_the_connection_runs_queries_again()
    {
        await using (var tx = await _conn.BeginTransactionAsync())
        {
            await Assert.ThrowsAsync<PgServerException>(() => _conn.QueryAsync("SELECT 1 / 0").AsTask());
        }

        Assert.False(_conn.InTransaction);
        Assert.Equal(1, await _conn.QueryScalarAsync<int>("SELECT 1"));
    }
}
