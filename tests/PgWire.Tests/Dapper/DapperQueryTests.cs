using System.Data;
using System.Data.Common;
using Dapper;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Dapper;

/// <summary>
/// Dapper, unmodified, reading through PgWire from a real server: every type it maps without a handler into a class
/// and a record, scalars, dynamic rows, the First/Single family, buffered and unbuffered, synchronous and async.
/// </summary>
[Collection("Database")]
public sealed class DapperQueryTests(DatabaseFixture db) : IAsyncLifetime
{
    /// <summary>
    /// Typed as applications that use Dapper type theirs (DbConnection, IDbConnection): on a PgConnection variable,
    /// PgConnection's own Query and Execute would hide Dapper's extension methods of those names.
    /// </summary>
    private DbConnection _conn = null!;

    public async Task InitializeAsync()
    {
        DapperTypeHandlers.Register();
        _conn = await db.OpenAsync();
        await _conn.ExecuteAsync("""
            CREATE TEMP TABLE people (id int4 PRIMARY KEY, name text NOT NULL, active bool NOT NULL,
                                      balance numeric(12, 2) NOT NULL, joined timestamp NOT NULL, uid uuid NOT NULL)
            """);
        await _conn.ExecuteAsync("""
            INSERT INTO people VALUES
                (1, 'alice', true, 10.50, '2024-02-29 10:11:12', 'a0000000-0000-0000-0000-000000000001'),
                (2, 'bob', false, -3.25, '1999-12-31 23:59:59.999999', 'b0000000-0000-0000-0000-000000000002'),
                (3, 'carol', true, 0, '2000-01-01 00:00:00', 'c0000000-0000-0000-0000-000000000003')
            """);
    }

    public async Task DisposeAsync() => await _conn.DisposeAsync();

    [Fact]
    public async Task Every_type_Dapper_maps_without_a_handler_goes_in_with_Execute_and_comes_back_with_Query()
    {
        await _conn.ExecuteAsync("""
            CREATE TEMP TABLE dapper_types (
                id int4 PRIMARY KEY, small int2 NOT NULL, big int8 NOT NULL, flag bool NOT NULL, name text NOT NULL,
                note text, letter char(1) NOT NULL, amount numeric(12, 2) NOT NULL, ratio float8 NOT NULL,
                ratio4 float4 NOT NULL, data bytea NOT NULL, uid uuid NOT NULL, created timestamp NOT NULL,
                createdtz timestamptz NOT NULL, createdoffset timestamptz NOT NULL, day date NOT NULL,
                attime time NOT NULL, span interval NOT NULL, numbers int4[] NOT NULL, words text[] NOT NULL,
                doc jsonb NOT NULL, weekday int4 NOT NULL, missing int8)
            """);
        var expected = new TypeRow
        {
            Id = 1, Small = -7, Big = 5_000_000_000, Flag = true, Name = "naïve 🐘", Note = null, Letter = 'x',
            Amount = 1234567.89m, Ratio = 0.1, Ratio4 = 2.5f, Data = [0, 1, 254, 255], Uid = Guid.NewGuid(),
            Created = new DateTime(2024, 2, 29, 10, 11, 12, 345),
            CreatedTz = new DateTime(2024, 2, 29, 10, 11, 12, DateTimeKind.Utc),
            CreatedOffset = new DateTimeOffset(2024, 2, 29, 12, 11, 12, TimeSpan.FromHours(2)),
            Day = new DateTime(2024, 2, 29), AtTime = new TimeSpan(23, 59, 58), Span = TimeSpan.FromMinutes(90),
            Numbers = [1, -2, 3], Words = ["a", "b c", ""], Doc = """{"a": [1, 2]}""", Weekday = DayOfWeek.Friday, Missing = null,
        };
        // Dapper expands a collection into a list (@numbers1, @numbers2, ...) for IN; added as DbType.Object, an
        // array goes as one PostgreSQL array. A string goes as text, so the jsonb column gets a cast.
        var parameters = new DynamicParameters(new
        {
            expected.Id, expected.Small, expected.Big, expected.Flag, expected.Name, expected.Note, expected.Letter,
            expected.Amount, expected.Ratio, expected.Ratio4, expected.Data, expected.Uid, expected.Created,
            expected.CreatedTz, expected.CreatedOffset, expected.Day, AtTime = TimeOnly.FromTimeSpan(expected.AtTime),
            expected.Span, expected.Doc, expected.Weekday, expected.Missing,
        });
        parameters.Add("numbers", expected.Numbers, DbType.Object);
        parameters.Add("words", expected.Words, DbType.Object);

        int inserted = await _conn.ExecuteAsync("""
            INSERT INTO dapper_types VALUES (@Id, @Small, @Big, @Flag, @Name, @Note, @Letter, @Amount, @Ratio, @Ratio4,
                @Data, @Uid, @Created, @CreatedTz, @CreatedOffset, @Day, @AtTime, @Span, @numbers, @words, @Doc::jsonb,
                @Weekday, @Missing)
            """, parameters);
        var actual = (await _conn.QueryAsync<TypeRow>("SELECT * FROM dapper_types")).Single();

        Assert.Equal(1, inserted);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Small, actual.Small);
        Assert.Equal(expected.Big, actual.Big);
        Assert.Equal(expected.Flag, actual.Flag);
        Assert.Equal(expected.Name, actual.Name);
        Assert.Null(actual.Note);
        Assert.Equal(expected.Letter, actual.Letter);
        Assert.Equal(expected.Amount, actual.Amount);
        Assert.Equal(expected.Ratio, actual.Ratio);
        Assert.Equal(expected.Ratio4, actual.Ratio4);
        Assert.Equal(expected.Data, actual.Data);
        Assert.Equal(expected.Uid, actual.Uid);
        Assert.Equal(expected.Created, actual.Created);
        Assert.Equal(expected.CreatedTz, actual.CreatedTz);
        Assert.Equal(DateTimeKind.Utc, actual.CreatedTz.Kind);
        Assert.Equal(expected.CreatedOffset, actual.CreatedOffset);
        Assert.Equal(expected.Day, actual.Day);
        Assert.Equal(expected.AtTime, actual.AtTime);
        Assert.Equal(expected.Span, actual.Span);
        Assert.Equal(expected.Numbers, actual.Numbers);
        Assert.Equal(expected.Words, actual.Words);
        Assert.Equal("""{"a": [1, 2]}""", actual.Doc);
        Assert.Equal(expected.Weekday, actual.Weekday);
        Assert.Null(actual.Missing);
    }

    [Fact]
    public void Rows_are_read_into_a_positional_record_through_its_constructor()
    {
        var people = _conn.Query<Person>("SELECT id, name, active, balance, joined, uid FROM people ORDER BY id").ToList();

        Assert.Equal(3, people.Count);
        Assert.Equal(new Person(1, "alice", true, 10.50m, new DateTime(2024, 2, 29, 10, 11, 12),
            Guid.Parse("a0000000-0000-0000-0000-000000000001")), people[0]);
        Assert.Equal(new DateTime(1999, 12, 31, 23, 59, 59).AddTicks(9_999_990), people[1].Joined);
        Assert.Equal(-3.25m, people[1].Balance);
    }

    [Fact]
    public void Rows_are_read_into_a_class_with_init_only_properties_by_column_name()
    {
        var items = _conn.Query<Item>("SELECT name, id FROM people WHERE active ORDER BY id").ToList();

        Assert.Equal([(1, "alice"), (3, "carol")], items.Select(i => (i.Id, i.Name)));
    }

    [Fact]
    public void Scalars_are_read_as_the_type_asked_for()
    {
        Assert.Equal([1, 2, 3], _conn.Query<int>("SELECT id FROM people ORDER BY id"));
        Assert.Equal(3L, _conn.ExecuteScalar<long>("SELECT count(*) FROM people"));
        Assert.Equal(7.25m, _conn.ExecuteScalar<decimal>("SELECT sum(balance) FROM people"));
        Assert.Equal("bob", _conn.QuerySingle<string>("SELECT name FROM people WHERE id = @id", new { id = 2 }));
        Assert.Equal([1, 2], _conn.QuerySingle<int[]>("SELECT ARRAY[1, 2]"));
        Assert.Equal(new byte[] { 1, 2 }, _conn.QuerySingle<byte[]>("SELECT '\\x0102'::bytea"));
        Assert.Null(_conn.ExecuteScalar<string?>("SELECT NULL::text"));
    }

    [Fact]
    public void Query_without_a_type_gives_dynamic_rows()
    {
        var row = _conn.QuerySingle("SELECT id, name, balance FROM people WHERE id = @id", new { id = 1 });

        Assert.Equal(1, (int)row.id);
        Assert.Equal("alice", (string)row.name);
        Assert.Equal(10.50m, (decimal)row.balance);
    }

    [Fact]
    public void QueryFirst_takes_the_first_row_and_QueryFirstOrDefault_tolerates_none()
    {
        Assert.Equal("alice", _conn.QueryFirst<string>("SELECT name FROM people ORDER BY id"));
        Assert.Null(_conn.QueryFirstOrDefault<string>("SELECT name FROM people WHERE id = @id", new { id = 99 }));
        Assert.Throws<InvalidOperationException>(() => _conn.QueryFirst<string>("SELECT name FROM people WHERE false"));
    }

    [Fact]
    public void QuerySingle_wants_exactly_one_row_and_QuerySingleOrDefault_at_most_one()
    {
        Assert.Equal(2, _conn.QuerySingle<Person>("SELECT * FROM people WHERE name = @name", new { name = "bob" }).Id);
        Assert.Null(_conn.QuerySingleOrDefault<Person>("SELECT * FROM people WHERE name = @name", new { name = "zed" }));
        Assert.Throws<InvalidOperationException>(() => _conn.QuerySingle<int>("SELECT id FROM people"));
        Assert.Throws<InvalidOperationException>(() => _conn.QuerySingleOrDefault<int>("SELECT id FROM people"));
        // The connection reads on after a result Dapper abandoned.
        Assert.Equal(3L, _conn.ExecuteScalar<long>("SELECT count(*) FROM people"));
    }

    [Fact]
    public async Task The_async_variants_read_the_same_rows()
    {
        Assert.Equal([1, 2, 3], (await _conn.QueryAsync<Person>("SELECT * FROM people ORDER BY id")).Select(p => p.Id));
        Assert.Equal("alice", await _conn.QueryFirstAsync<string>("SELECT name FROM people ORDER BY id"));
        Assert.Null(await _conn.QueryFirstOrDefaultAsync<Person>("SELECT * FROM people WHERE false"));
        Assert.Equal("carol", (await _conn.QuerySingleAsync<Person>("SELECT * FROM people WHERE id = :id", new { id = 3 })).Name);
        Assert.Equal(0, await _conn.QuerySingleOrDefaultAsync<int>("SELECT id FROM people WHERE false"));
        Assert.Equal(3L, await _conn.ExecuteScalarAsync<long>("SELECT count(*) FROM people"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => _conn.QuerySingleAsync<int>("SELECT id FROM people"));
    }

    [Fact]
    public void An_unbuffered_query_reads_rows_as_they_are_enumerated_and_frees_the_connection_when_left()
    {
        var rows = _conn.Query<int>("SELECT g FROM generate_series(1, 1000000) g", buffered: false);

        Assert.Equal([1, 2, 3], rows.Take(3));
        Assert.Equal(3L, _conn.ExecuteScalar<long>("SELECT count(*) FROM people"));
    }

    [Fact]
    public void An_unbuffered_query_holds_the_connection_while_it_is_read()
    {
        using var rows = _conn.Query<int>("SELECT g FROM generate_series(1, 3) g", buffered: false).GetEnumerator();
        Assert.True(rows.MoveNext());

        // One command at a time on a connection: its reader is still open.
        Assert.ThrowsAny<InvalidOperationException>(() => _conn.ExecuteScalar<long>("SELECT 1"));
        Assert.True(rows.MoveNext());
        Assert.Equal(2, rows.Current);
    }

    [Fact]
    public async Task QueryUnbufferedAsync_streams_rows()
    {
        int sum = 0;
        await foreach (var person in _conn.QueryUnbufferedAsync<Person>("SELECT * FROM people WHERE active ORDER BY id"))
            sum += person.Id;

        Assert.Equal(4, sum);
    }

    [Fact]
    public async Task Dapper_opens_and_closes_a_closed_connection_itself()
    {
        await using var conn = new PgConnection(db.ConnectionString);

        Assert.Equal(42, conn.QuerySingle<int>("SELECT @answer", new { answer = 42 }));
        Assert.Equal(ConnectionState.Closed, conn.State);
        Assert.Equal(43, await conn.QuerySingleAsync<int>("SELECT @answer + 1", new { answer = 42 }));
        Assert.Equal(ConnectionState.Closed, conn.State);
    }

    [Fact]
    public async Task Rows_larger_than_the_receive_buffer_read_through_Dapper_which_asks_for_SequentialAccess()
    {
        // Dapper reads with CommandBehavior.SequentialAccess: rows over 8 KiB are streamed from the socket, column by
        // column, which Dapper's in-order reads must not notice.
        const string sql = "SELECT i AS Id, repeat('x', 20000 + i) AS Name FROM generate_series(1, 50) i";
        var items = (await _conn.QueryAsync<Item>(sql)).ToList();
        Assert.Equal(50, items.Count);
        Assert.All(items, item => Assert.Equal(20000 + item.Id, item.Name.Length));

        var records = _conn.Query<(int Id, string Name)>(sql).ToList();
        Assert.Equal(Enumerable.Range(1, 50), records.Select(r => r.Id));
        Assert.Equal(20050, records[^1].Name.Length);

        dynamic row = (await _conn.QueryAsync(sql)).Last();
        Assert.Equal(50, (int)row.id);
        Assert.Equal(20050, ((string)row.name).Length);
    }
}
