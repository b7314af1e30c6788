namespace PgWire.Tests.Types.Ranges;

public sealed class PgRangeTests
{
    [Fact]
    public void The_default_value_is_the_empty_range()
    {
        Assert.True(default(PgRange<int>).IsEmpty);
        Assert.Equal(PgRange<int>.Empty, default);
        Assert.Equal("empty", PgRange<long>.Empty.ToString());
    }

    [Fact]
    public void Two_bounds_make_a_range_inclusive_below_and_exclusive_above_as_in_PostgreSQL()
    {
        var range = new PgRange<int>(1, 5);
        Assert.True(range.LowerBoundIsInclusive);
        Assert.False(range.UpperBoundIsInclusive);
        Assert.False(range.IsEmpty || range.LowerBoundInfinite || range.UpperBoundInfinite);
        Assert.Equal("[1,5)", range.ToString());
    }

    [Fact]
    public void An_infinite_bound_forgets_its_value_and_is_never_inclusive()
    {
        var range = new PgRange<int>(42, true, true, 7, true, false);
        Assert.Equal(0, range.LowerBound);
        Assert.False(range.LowerBoundIsInclusive);
        Assert.Equal(new PgRange<int>(-1, false, true, 7, true, false), range);
        Assert.Equal("(,7]", range.ToString());
        Assert.Equal("(,)", new PgRange<decimal>(0, true, true, 0, true, true).ToString());
    }

    [Fact]
    public void A_null_bound_is_infinite()
    {
        var range = new PgRange<string>(null!, "b");
        Assert.True(range.LowerBoundInfinite);
        Assert.Equal("(,b)", range.ToString());
    }

    [Fact]
    public void Equality_compares_the_parts_as_given()
    {
        Assert.Equal(new PgRange<int>(1, 5), new PgRange<int>(1, true, 5, false));
        Assert.True(new PgRange<int>(1, 5) == new PgRange<int>(1, 5));
        Assert.True(new PgRange<int>(1, true, 4, true) != new PgRange<int>(1, 5));
        Assert.Equal(new PgRange<long>(3, 9).GetHashCode(), new PgRange<long>(3, 9).GetHashCode());
        Assert.False(new PgRange<int>(1, 5).Equals((object)new PgRange<long>(1, 5)));
    }

    [Fact]
    public void ToString_prints_numbers_as_PostgreSQL_and_quotes_bounds_the_way_range_out_does()
    {
        Assert.Equal("[1.50,2)", new PgRange<decimal>(1.50m, 2m).ToString());
        Assert.Equal("[-7,-2]", new PgRange<long>(-7, true, -2, true).ToString());
        Assert.Equal("[\"a b\",\"x\"\"y\")", new PgRange<string>("a b", "x\"y").ToString());
        Assert.Equal("(\"\",\"a,b\"]", new PgRange<string>("", false, "a,b", true).ToString());
        Assert.Equal("[\"c\\\\d\",e)", new PgRange<string>("c\\d", "e").ToString());
    }

    [Fact]
    public void ToString_prints_dates_and_times_in_ISO_form()
    {
        Assert.Equal("[\"2024-02-29 13:45:00\",\"2024-03-01 00:00:00.5\")",
            new PgRange<DateTime>(new DateTime(2024, 2, 29, 13, 45, 0), new DateTime(2024, 3, 1, 0, 0, 0, 500)).ToString());
        Assert.Equal("[2024-02-29,2024-03-01)", new PgRange<DateOnly>(new DateOnly(2024, 2, 29), new DateOnly(2024, 3, 1)).ToString());
    }
}
