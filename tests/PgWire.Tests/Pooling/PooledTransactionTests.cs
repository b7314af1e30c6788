using System.Data;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Pooling;

/// <summary>
/// Transactions on pooled connections: savepoints keep a transaction usable after an error, a failed transaction
/// refuses commands (25P02) until it is rolled back, and a PgTransaction acts only on its own connection's current
/// transaction, never on another connection's or on a later one of the same connection. What persisted is read
/// through psql.
/// </summary>
[Collection("Database")]
public sealed class PooledTransactionTests(DatabaseFixture db) : IAsyncLifetime
{
    private PgDataSource _dataSource = null!;

    public async Task InitializeAsync()
    {
        await db.Server.RunSqlAsync("DROP TABLE IF EXISTS pooled_tx_probe; CREATE TABLE pooled_tx_probe (id int4)");
        _dataSource = db.NewDataSource("pooltx");
    }

    public async Task DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await db.Server.RunSqlAsync("DROP TABLE IF EXISTS pooled_tx_probe");
    }

    private async Task<string> StoredIdsAsync() =>
        (await db.Server.RunSqlAsync("SELECT coalesce(string_agg(id::text, ',' ORDER BY id), '') FROM pooled_tx_probe")).Trim();

    [Fact]
    public async Task After_an_error_inside_a_savepoint_is_rolled_back_the_transaction_goes_on_and_commits()
    {
        await using var conn = await _dataSource.OpenConnectionAsync();
        await using var transaction = await conn.BeginTransactionAsync();
        await conn.ExecuteAsync("INSERT INTO pooled_tx_probe VALUES (1)");
        await transaction.SaveAsync("before_error");
        await conn.ExecuteAsync("INSERT INTO pooled_tx_probe VALUES (2)");
        await Assert.ThrowsAsync<PgServerException>(() => conn.ExecuteAsync("SELECT 1 / 0").AsTask());

        await transaction.RollbackAsync("before_error");
        await conn.ExecuteAsync("INSERT INTO pooled_tx_probe VALUES (3)");
        await transaction.CommitAsync();

        Assert.Equal("1,3", await StoredIdsAsync());
    }

    [Fact]
    public async Task The_synchronous_savepoint_methods_keep_the_work_before_and_after_a_rolled_back_error()
    {
        await using var conn = await _dataSource.OpenConnectionAsync();
        using var transaction = conn.BeginTransaction();
        conn.Execute("INSERT INTO pooled_tx_probe VALUES (1)");
        transaction.Save("before_error");
        Assert.Throws<PgServerException>(() => conn.Execute("SELECT 1 / 0"));

        transaction.Rollback("before_error");
        conn.Execute("INSERT INTO pooled_tx_probe VALUES (2)");
        transaction.Save("released");
        conn.Execute("INSERT INTO pooled_tx_probe VALUES (3)");
        transaction.Release("released");
        transaction.Commit();

        Assert.Equal("1,2,3", await StoredIdsAsync());
    }

    [Fact]
    public async Task Commands_after_an_error_in_a_transaction_fail_with_25P02_until_it_is_rolled_back()
    {
        await using var conn = await _dataSource.OpenConnectionAsync();
        var transaction = await conn.BeginTransactionAsync();
        await Assert.ThrowsAsync<PgServerException>(() => conn.ExecuteAsync("SELECT 1 / 0").AsTask());

        for (int i = 0; i < 2; i++)
        {
            var e = await Assert.ThrowsAsync<PgServerException>(() => conn.QueryScalarAsync<int>("SELECT 1").AsTask());
            Assert.Equal(PgErrorCodes.InFailedSqlTransaction, e.SqlState);
        }
        await transaction.RollbackAsync();

        Assert.Equal(1, await conn.QueryScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public async Task A_command_naming_a_transaction_of_another_connection_is_refused()
    {
        await using var conn = await _dataSource.OpenConnectionAsync();
        await using var other = await _dataSource.OpenConnectionAsync();
        await using var othersTransaction = await other.BeginTransactionAsync();
        await using var command = conn.CreateCommand();
        command.CommandText = "INSERT INTO pooled_tx_probe VALUES (1)";
        command.Transaction = othersTransaction;

        await Assert.ThrowsAsync<InvalidOperationException>(() => command.ExecuteNonQueryAsync());

        Assert.Equal("", await StoredIdsAsync());
    }

    [Fact]
    public async Task A_command_naming_a_committed_transaction_is_refused()
    {
        await using var conn = await _dataSource.OpenConnectionAsync();
        var transaction = await conn.BeginTransactionAsync();
        await transaction.CommitAsync();
        await using var command = conn.CreateCommand();
        command.CommandText = "SELECT 1";
        command.Transaction = transaction;

        await Assert.ThrowsAsync<InvalidOperationException>(() => command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_transaction_left_open_at_close_counts_as_completed()
    {
        var conn = await _dataSource.OpenConnectionAsync();
        var transaction = await conn.BeginTransactionAsync();
        await conn.ExecuteAsync("INSERT INTO pooled_tx_probe VALUES (1)");

        await conn.CloseAsync();

        Assert.True(transaction.IsCompleted);
        await conn.DisposeAsync();
    }

    [Fact]
    public async Task Committing_a_transaction_left_open_at_close_after_the_connection_was_reopened_is_refused()
    {
        await using var conn = await _dataSource.OpenConnectionAsync();
        var stale = await conn.BeginTransactionAsync();
        await conn.ExecuteAsync("INSERT INTO pooled_tx_probe VALUES (1)");
        await conn.CloseAsync();
        await conn.OpenAsync();

        // The pool rolled the insert back; a COMMIT now would report success for work that is gone.
        await Assert.ThrowsAsync<InvalidOperationException>(() => stale.CommitAsync());

        Assert.Equal("", await StoredIdsAsync());
    }

    [Fact]
    public async Task A_transaction_left_open_at_close_cannot_end_the_next_transaction_of_the_reopened_connection()
    {
        await using var conn = await _dataSource.OpenConnectionAsync();
        var stale = await conn.BeginTransactionAsync();
        await conn.CloseAsync();
        await conn.OpenAsync();
        await using var current = await conn.BeginTransactionAsync();
        await conn.ExecuteAsync("INSERT INTO pooled_tx_probe VALUES (2)");

        await Record.ExceptionAsync(() => stale.RollbackAsync());

        Assert.True(conn.InTransaction, "Rolling back the stale transaction ended the connection's current one.");
        await current.CommitAsync();
        Assert.Equal("2", await StoredIdsAsync());
    }
}
