using System.Data.Common;
using Dapper;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Dapper;

/// <summary>
/// Dapper's type handlers (<see cref="DapperTypeHandlers"/>) with PgWire: DateOnly, TimeOnly and PgRange&lt;int&gt;
/// written through the DbType and Value a handler sets, and read from what PgWire's GetValue returns.
/// </summary>
[Collection("Database")]
public sealed class DapperTypeHandlerTests(DatabaseFixture db) : IAsyncLifetime
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
        await _conn.ExecuteAsync("CREATE TEMP TABLE bookings (id int4 PRIMARY KEY, day date NOT NULL, starts time NOT NULL, seats int4range NOT NULL)");
    }

    public async Task DisposeAsync() => await _conn.DisposeAsync();

    [Fact]
    public async Task A_record_of_handled_types_goes_in_and_comes_back_unchanged()
    {
        var booking = new Booking(1, new DateOnly(2024, 2, 29), new TimeOnly(18, 30, 15), new PgRange<int>(10, 20));

        await _conn.ExecuteAsync("INSERT INTO bookings VALUES (@Id, @Day, @Starts, @Seats)", booking);
        var read = await _conn.QuerySingleAsync<Booking>("SELECT id, day, starts, seats FROM bookings");

        Assert.Equal(booking, read);
        Assert.Equal("2024-02-29 18:30:15 [10,20)",
            await _conn.QuerySingleAsync<string>("SELECT day || ' ' || starts || ' ' || seats FROM bookings"));
    }

    [Fact]
    public void Handled_parameters_are_sent_as_the_handler_says()
    {
        var types = _conn.QuerySingle<(string, string, string)>(
            "SELECT pg_typeof(@day)::text, pg_typeof(@starts)::text, pg_typeof(@seats)::text",
            new { day = new DateOnly(2024, 1, 1), starts = new TimeOnly(1, 2), seats = new PgRange<int>(1, 5) });

        Assert.Equal(("date", "time without time zone", "int4range"), types);
    }

    [Fact]
    public void A_range_parameter_and_a_range_column_go_through_the_handler()
    {
        Assert.True(_conn.QuerySingle<bool>("SELECT @seats @> 3", new { seats = new PgRange<int>(1, 5) }));
        // Read alone, a range is a single value; without the handler Dapper would map its members and return empty.
        Assert.Equal(new PgRange<int>(2, 9), _conn.QuerySingle<PgRange<int>>("SELECT int4range(2, 9)"));
        Assert.Equal([new PgRange<int>(1, 3), default],
            _conn.Query<PgRange<int>>("SELECT r FROM (VALUES (int4range(1, 3), 1), ('empty'::int4range, 2)) v(r, n) ORDER BY n"));
    }

    [Fact]
    public void Dates_and_times_filter_rows_through_their_handlers()
    {
        _conn.Execute("INSERT INTO bookings VALUES (@id, @day, @starts, '[1,2)')", new[]
        {
            new { id = 1, day = new DateOnly(2024, 3, 1), starts = new TimeOnly(9, 0) },
            new { id = 2, day = new DateOnly(2024, 3, 2), starts = new TimeOnly(10, 0) },
            new { id = 3, day = new DateOnly(2024, 3, 2), starts = new TimeOnly(11, 0) },
        });

        var ids = _conn.Query<int>("SELECT id FROM bookings WHERE day = @day AND starts > @after ORDER BY id",
            new { day = new DateOnly(2024, 3, 2), after = new TimeOnly(10, 30) });

        Assert.Equal([3], ids);
        Assert.Equal([new DateOnly(2024, 3, 1), new DateOnly(2024, 3, 2)], _conn.Query<DateOnly>("SELECT DISTINCT day FROM bookings ORDER BY day"));
    }
}
