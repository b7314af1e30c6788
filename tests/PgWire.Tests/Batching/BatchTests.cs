using System.Data;
using System.Data.Common;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Batching;

/// <summary>
/// PgBatch and command texts of several statements, on a real server: one Sync for the whole batch, so it is atomic
/// outside a transaction; results in order through NextResult; rows affected per statement and in total.
/// </summary>
[Collection("Database")]
public sealed class BatchTests(DatabaseFixture db) : IAsyncLifetime
{
    private PgConnection _conn = null!;
    private readonly string _table = "batch_" + Guid.NewGuid().ToString("N")[..10];

    public async Task InitializeAsync()
    {
        _conn = await db.OpenAsync();
        await _conn.ExecuteAsync($"CREATE TABLE {_table} (id int4 PRIMARY KEY, name text)".ToString());
    }

    public async Task DisposeAsync()
    {
        await _conn.ExecuteAsync($"DROP TABLE IF EXISTS {_table}".ToString());
        await _conn.DisposeAsync();
    }

    private PgBatch InsertBatch(int count, int duplicateAt = -1)
    {
        var batch = new PgBatch(_conn);
        for (int i = 0; i < count; i++)
        {
            var command = new PgBatchCommand($"INSERT INTO {_table} (id, name) VALUES ($1, $2)");
            command.Parameters.Add(new PgParameter { Value = i == duplicateAt ? 0 : i });
            command.Parameters.Add(new PgParameter { Value = "row " + i });
            batch.BatchCommands.Add(command);
        }
        return batch;
    }

    private Task<long> CountAsync() => _conn.QueryScalarAsync<long>($"SELECT count(*) FROM {_table}".ToString()).AsTask();

    [Fact]
    public async Task A_batch_of_1000_inserts_inserts_every_row_and_reports_each_and_the_total()
    {
        var batch = InsertBatch(1000);

        Assert.Equal(1000, await batch.ExecuteNonQueryAsync());

        Assert.Equal(1000, await CountAsync());
        Assert.All<PgBatchCommand>(batch.BatchCommands, c => Assert.Equal(1, c.RecordsAffected));
    }

    [Fact]
    public async Task The_500th_insert_failing_on_a_unique_key_leaves_none_of_the_1000_rows_and_the_connection_usable()
    {
        var batch = InsertBatch(1000, duplicateAt: 499);

        var e = await Assert.ThrowsAsync<PgServerException>(() => batch.ExecuteNonQueryAsync());

        Assert.Equal(PgErrorCodes.UniqueViolation, e.SqlState);
        Assert.Equal(0, await CountAsync());
        Assert.Equal(ConnectionState.Open, _conn.State);
        Assert.Equal(1000, await InsertBatch(1000).ExecuteNonQueryAsync());
    }

    [Fact]
    public async Task A_batch_run_again_reads_the_same_results_once_its_statements_are_prepared()
    {
        for (int run = 0; run < 4; run++)
        {
            await _conn.ExecuteAsync($"DELETE FROM {_table}".ToString());
            Assert.Equal(10, await InsertBatch(10).ExecuteNonQueryAsync());
            Assert.Equal(10, await CountAsync());
        }
    }

    [Fact]
    public async Task Results_are_read_in_order_with_NextResult_with_each_commands_parameters()
    {
        await using var batch = _conn.CreateBatch();
        var insert = batch.BatchCommands.Add($"INSERT INTO {_table} VALUES ($1, $2), ($3, $4)");
        insert.Parameters.Add(new PgParameter { Value = 1 });
        insert.Parameters.Add(new PgParameter { Value = "one" });
        insert.Parameters.Add(new PgParameter { Value = 2 });
        insert.Parameters.Add(new PgParameter { Value = "two" });
        var select = batch.BatchCommands.Add($"SELECT name FROM {_table} WHERE id >= $1 ORDER BY id");
        select.Parameters.Add(new PgParameter { Value = 1 });
        var update = batch.BatchCommands.Add($"UPDATE {_table} SET name = upper(name)");
        batch.BatchCommands.Add("SELECT $1::text || '!'").Parameters.Add(new PgParameter { Value = "end" });

        await using (var reader = await batch.ExecuteReaderAsync())
        {
            Assert.Equal(0, reader.FieldCount);
            Assert.True(await reader.NextResultAsync());
            var names = new List<string>();
            while (await reader.ReadAsync()) names.Add(reader.GetString(0));
            Assert.Equal(["one", "two"], names);
            Assert.True(await reader.NextResultAsync());
            Assert.False(await reader.ReadAsync());
            Assert.True(await reader.NextResultAsync());
            Assert.True(await reader.ReadAsync());
            Assert.Equal("end!", reader.GetString(0));
            Assert.False(await reader.NextResultAsync());
            Assert.Equal(4, reader.RecordsAffected);
        }

        Assert.Equal(2, insert.RecordsAffected);
        Assert.Equal(2, select.RecordsAffected);
        Assert.Equal(2, update.RecordsAffected);
        Assert.Equal(["ONE", "TWO"], (await _conn.QueryAsync($"SELECT name FROM {_table} ORDER BY id".ToString())).Select(r => (string)r[0]!));
    }

    [Fact]
    public async Task A_reader_disposed_before_the_later_results_still_runs_and_reads_them()
    {
        var batch = InsertBatch(3);
        batch.BatchCommands.Insert(0, new PgBatchCommand("SELECT 1"));

        await using (var reader = await batch.ExecuteReaderAsync())
            Assert.True(await reader.ReadAsync());

        Assert.Equal(3, await CountAsync());
        Assert.Equal(1, await _conn.QueryScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public async Task Inside_a_transaction_a_failing_batch_fails_the_transaction_and_rollback_leaves_the_connection_usable()
    {
        await using var tx = await _conn.BeginTransactionAsync();
        var batch = InsertBatch(5, duplicateAt: 3);
        batch.Transaction = tx;

        await Assert.ThrowsAsync<PgServerException>(() => batch.ExecuteNonQueryAsync());
        await tx.RollbackAsync();

        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task DbConnection_CreateBatch_gives_a_PgBatch_and_CanCreateBatch_is_true()
    {
        DbConnection connection = _conn;
        Assert.True(connection.CanCreateBatch);
        await using DbBatch batch = connection.CreateBatch();
        var command = batch.CreateBatchCommand();
        command.CommandText = "SELECT 41 + 1";
        batch.BatchCommands.Add(command);

        Assert.Equal(42, await batch.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_command_of_several_statements_with_parameters_runs_them_in_one_batch()
    {
        await using var cmd = new PgCommand(
            $"INSERT INTO {_table} VALUES ($1, 'a'); /* ; */ UPDATE {_table} SET name = $2 || ';' WHERE id = $1; SELECT name FROM {_table} WHERE id = $1", _conn);
        cmd.Parameters.Add(new PgParameter { Value = 7 });
        cmd.Parameters.Add(new PgParameter { Value = "b" });

        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.NextResultAsync());
        Assert.True(await reader.NextResultAsync());
        Assert.True(await reader.ReadAsync());
        Assert.Equal("b;", reader.GetString(0));
        Assert.False(await reader.NextResultAsync());
        Assert.Equal(2, reader.RecordsAffected);
    }

    [Fact]
    public async Task A_command_of_several_statements_is_atomic_outside_a_transaction()
    {
        var e = await Assert.ThrowsAsync<PgServerException>(() =>
            _conn.ExecuteAsync($"INSERT INTO {_table} VALUES (1, 'x'); INSERT INTO {_table} VALUES (1, 'again')".ToString()).AsTask());

        Assert.Equal(PgErrorCodes.UniqueViolation, e.SqlState);
        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task ExecuteScalar_of_several_statements_is_the_first_value_of_the_first_result_with_rows()
    {
        await using var cmd = new PgCommand($"INSERT INTO {_table} VALUES (1, 'x'); SELECT name FROM {_table}", _conn);

        Assert.Equal("x", await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_statement_using_a_parameter_the_command_lacks_is_refused_before_anything_is_sent()
    {
        await using var cmd = new PgCommand($"INSERT INTO {_table} VALUES (1, 'x'); SELECT $2::int4", _conn);
        cmd.Parameters.Add(new PgParameter { Value = 1 });

        await Assert.ThrowsAsync<ArgumentException>(() => cmd.ExecuteNonQueryAsync());

        Assert.Equal(0, await CountAsync());
        Assert.Equal(1, await _conn.QueryScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public async Task A_command_text_that_creates_a_table_and_then_uses_it_runs_in_one_round_trip()
    {
        // Each statement is parsed only after the one before it ran (no description round trip ahead of the run).
        string table = "made_" + Guid.NewGuid().ToString("N")[..10];
        await using var cmd = new PgCommand(
            $"CREATE TEMP TABLE {table} (id int4); INSERT INTO {table} VALUES (1), (2); SELECT sum(id) FROM {table}", _conn);

        Assert.Equal(3L, await cmd.ExecuteScalarAsync());
    }
}
