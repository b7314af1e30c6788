using System.Data;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Pooling;

/// <summary>
/// BeginTransactionAsync's isolation level, READ ONLY and DEFERRABLE reach the server: the transaction's own
/// SHOW transaction_isolation / transaction_read_only / transaction_deferrable say so.
/// </summary>
[Collection("Database")]
public sealed class TransactionOptionsTests(DatabaseFixture db) : IAsyncLifetime
{
    private PgDataSource _dataSource = null!;
    private PgConnection _conn = null!;

    public async Task InitializeAsync()
    {
        _dataSource = db.NewDataSource("txopt");
        _conn = await _dataSource.OpenConnectionAsync();
    }

    public async Task DisposeAsync()
    {
        await _conn.DisposeAsync();
        await _dataSource.DisposeAsync();
    }

    private async Task<string?> ShowAsync(string setting) => await _conn.QueryScalarAsync<string>("SHOW " + setting);

    [Theory]
    [InlineData(IsolationLevel.ReadCommitted, "read committed")]
    [InlineData(IsolationLevel.RepeatableRead, "repeatable read")]
    [InlineData(IsolationLevel.Serializable, "serializable")]
    public async Task The_transaction_runs_at_the_isolation_level_asked_for(IsolationLevel level, string shown)
    {
        await using var transaction = await _conn.BeginTransactionAsync(level);

        Assert.Equal(shown, await ShowAsync("transaction_isolation"));
    }

    [Theory]
    [InlineData(IsolationLevel.ReadCommitted, "read committed")]
    [InlineData(IsolationLevel.RepeatableRead, "repeatable read")]
    [InlineData(IsolationLevel.Serializable, "serializable")]
    public async Task A_read_only_transaction_keeps_the_isolation_level_asked_for(IsolationLevel level, string shown)
    {
        await using var transaction = await _conn.BeginTransactionAsync(level, readOnly: true);

        Assert.Equal(shown, await ShowAsync("transaction_isolation"));
    }

    [Fact]
    public async Task A_read_only_transaction_is_read_only_on_the_server()
    {
        await using var transaction = await _conn.BeginTransactionAsync(IsolationLevel.ReadCommitted, readOnly: true);

        Assert.Equal("on", await ShowAsync("transaction_read_only"));
    }

    [Fact]
    public async Task A_transaction_not_asked_to_be_read_only_can_write()
    {
        await using var transaction = await _conn.BeginTransactionAsync(IsolationLevel.ReadCommitted, readOnly: false);

        Assert.Equal("off", await ShowAsync("transaction_read_only"));
    }

    [Fact]
    public async Task A_write_in_a_read_only_transaction_is_refused_with_25006()
    {
        await using var transaction = await _conn.BeginTransactionAsync(IsolationLevel.Serializable, readOnly: true);

        var e = await Assert.ThrowsAsync<PgServerException>(() => _conn.ExecuteAsync("CREATE TEMP TABLE read_only_probe (id int4)").AsTask());

        Assert.Equal(PgErrorCodes.ReadOnlySqlTransaction, e.SqlState);
    }

    [Fact]
    public async Task A_deferrable_read_only_serializable_transaction_is_deferrable_on_the_server()
    {
        await using var transaction = await _conn.BeginTransactionAsync(IsolationLevel.Serializable, readOnly: true, deferrable: true);

        Assert.Equal("on", await ShowAsync("transaction_deferrable"));
        Assert.Equal("on", await ShowAsync("transaction_read_only"));
        Assert.Equal("serializable", await ShowAsync("transaction_isolation"));
    }

    [Fact]
    public async Task A_transaction_not_asked_to_be_deferrable_is_not()
    {
        await using var transaction = await _conn.BeginTransactionAsync(IsolationLevel.Serializable, readOnly: true);

        Assert.Equal("off", await ShowAsync("transaction_deferrable"));
    }

    [Fact]
    public async Task The_options_of_one_transaction_do_not_carry_over_to_the_next()
    {
        await using (var readOnly = await _conn.BeginTransactionAsync(IsolationLevel.Serializable, readOnly: true, deferrable: true))
            await readOnly.CommitAsync();

        await using var next = await _conn.BeginTransactionAsync(IsolationLevel.ReadCommitted);

        Assert.Equal("off", await ShowAsync("transaction_read_only"));
        Assert.Equal("read committed", await ShowAsync("transaction_isolation"));
    }

    [Fact]
    public async Task The_transaction_reports_the_isolation_level_it_was_begun_with()
    {
        await using var transaction = await _conn.BeginTransactionAsync(IsolationLevel.RepeatableRead, readOnly: true);

        Assert.Equal(IsolationLevel.RepeatableRead, transaction.IsolationLevel);
    }
}
