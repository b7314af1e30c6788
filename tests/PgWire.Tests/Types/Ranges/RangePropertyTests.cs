using System.Globalization;
using System.Numerics;
using System.Text;
using CsCheck;
using PgWire.Tests.Infrastructure;
using PgWire.Tests.Types.Arrays;
using PgWire.Types;

namespace PgWire.Tests.Types.Ranges;

/// <summary>
/// Differential tests with the server as the oracle: random ranges sent as parameters must print as range_out's text
/// computed here (with the canonicalization of discrete ranges), and random server-made ranges and multiranges must
/// read, in binary and through PgWire's text parser, as what the server prints.
/// </summary>
[Collection("Database")]
public sealed class RangePropertyTests(DatabaseFixture db)
{
    private const int Iterations = 500;

    /// <summary>Random ranges: sorted bounds (equal ones one time in eight), each inclusive or not, sometimes infinite or empty.</summary>
    private static Gen<PgRange<T>> Ranges<T>(Gen<T> bound) where T : IComparable<T> =>
        Gen.Select(bound, bound, Gen.Bool, Gen.Bool, Gen.Int[0, 19], Gen.Int[0, 19], Gen.Int[0, 29], Gen.Int[0, 7],
            (a, b, lowerInclusive, upperInclusive, lowerInfinite, upperInfinite, empty, same) =>
            {
                if (empty == 0) return PgRange<T>.Empty;
                if (same == 0) b = a;
                var (lower, upper) = a.CompareTo(b) <= 0 ? (a, b) : (b, a);
                return new PgRange<T>(lower, lowerInclusive, lowerInfinite == 0, upper, upperInclusive, upperInfinite == 0);
            });

    /// <summary>range_out's text after the server's canonicalization: discrete ranges become [lower,upper).</summary>
    private static string Expected<T>(PgRange<T> range, bool discrete, Func<T, string> format) where T : INumber<T>
    {
        if (range.IsEmpty) return "empty";
        T? lower = range.LowerBoundInfinite ? default : range.LowerBound;
        T? upper = range.UpperBoundInfinite ? default : range.UpperBound;
        bool lowerInclusive = range.LowerBoundIsInclusive, upperInclusive = range.UpperBoundIsInclusive;
        if (discrete)
        {
            if (!range.LowerBoundInfinite && !lowerInclusive) (lower, lowerInclusive) = (lower! + T.One, true);
            if (!range.UpperBoundInfinite && upperInclusive) (upper, upperInclusive) = (upper! + T.One, false);
        }
        if (!range.LowerBoundInfinite && !range.UpperBoundInfinite)
        {
            int cmp = lower!.CompareTo(upper);
            if (cmp > 0 || (cmp == 0 && !(lowerInclusive && upperInclusive))) return "empty";
        }
        var sb = new StringBuilder();
        sb.Append(lowerInclusive ? '[' : '(');
        if (!range.LowerBoundInfinite) sb.Append(format(lower!));
        sb.Append(',');
        if (!range.UpperBoundInfinite) sb.Append(format(upper!));
        sb.Append(upperInclusive ? ']' : ')');
        return sb.ToString();
    }

    private async Task SendAndCompare<T>(Gen<T> bound, bool discrete, Func<T, string> format) where T : INumber<T>
    {
        await using var conn = await db.OpenAsync();
        int runs = 0;
        await Ranges(bound).SampleAsync(async range =>
        {
            runs++;
            string expected = Expected(range, discrete, format);
            var rows = await conn.QueryAsync("SELECT $1::text, $1", range);
            Assert.Equal(expected, rows[0][0]);
            Assert.Equal(expected, Assert.IsType<PgRange<T>>(rows[0][1]).ToString());
        }, iter: Iterations, threads: 1, print: r => r.ToString());
        Assert.True(runs >= Iterations, $"{runs} values checked");
    }

    // Bounds stay one step inside the type's limits: canonicalizing [x, MaxValue] would overflow on the server.
    [Fact]
    public Task Int4_ranges_sent_as_parameters_print_as_the_server_prints_them() =>
        SendAndCompare(Gen.Int[int.MinValue + 1, int.MaxValue - 1], discrete: true, v => v.ToString(CultureInfo.InvariantCulture));

    [Fact]
    public Task Int8_ranges_sent_as_parameters_print_as_the_server_prints_them() =>
        SendAndCompare(Gen.Long[long.MinValue + 1, long.MaxValue - 1], discrete: true, v => v.ToString(CultureInfo.InvariantCulture));

    [Fact]
    public Task Numeric_ranges_sent_as_parameters_print_as_the_server_prints_them() =>
        SendAndCompare(Gen.Decimal, discrete: false, ArrayLiteral.Numeric);

    /// <summary>Server-made ranges (all bound kinds, empty, infinite), read in binary and from their text.</summary>
    private async Task ServerGenerated<T>(string type, string boundSql)
    {
        await using var conn = await db.OpenAsync();
        await conn.ExecuteAsync("SELECT setseed(0.47)");
        var codec = (IPgReader<PgRange<T>>)PgTypeRegistry.Default.ForOid(await conn.QueryScalarAsync<uint>("SELECT $1::regtype::oid", type));
        await using var cmd = new PgCommand(
            $"SELECT r, r::text FROM (SELECT CASE WHEN random() < 0.05 THEN 'empty'::{type} ELSE {type}(" +
            "CASE WHEN random() < 0.1 THEN NULL ELSE least(a, b) END, CASE WHEN random() < 0.1 THEN NULL ELSE greatest(a, b) END, " +
            "(ARRAY['[)', '(]', '[]', '()'])[1 + floor(random() * 4)::int]) END AS r " +
            $"FROM (SELECT {boundSql} AS a, {boundSql} AS b FROM generate_series(1, 600)) s) t", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        int count = 0;
        while (await reader.ReadAsync())
        {
            count++;
            string text = reader.GetString(1);
            Assert.Equal(text, reader.GetFieldValue<PgRange<T>>(0).ToString());
            Assert.Equal(text, codec.Read(Encoding.UTF8.GetBytes(text), binary: false).ToString());
        }
        Assert.Equal(600, count);
    }

    [Fact]
    public Task Server_generated_int4_ranges_read_as_the_server_prints_them() =>
        ServerGenerated<int>("int4range", "floor(random() * 4294967294 - 2147483647)::int4");

    [Fact]
    public Task Server_generated_int8_ranges_read_as_the_server_prints_them() =>
        ServerGenerated<long>("int8range", "(floor(random() * 2^62)::int8 * (CASE WHEN random() < 0.5 THEN -1 ELSE 1 END))");

    [Fact]
    public Task Server_generated_numeric_ranges_read_as_the_server_prints_them() =>
        ServerGenerated<decimal>("numrange", "round(((random() - 0.5) * 10 ^ floor(random() * 20))::numeric, floor(random() * 8)::int)");

    [Fact]
    public async Task Server_generated_multiranges_read_as_the_server_prints_them()
    {
        await using var conn = await db.OpenAsync();
        await conn.ExecuteAsync("SELECT setseed(0.53)");
        var codec = (IPgReader<PgRange<int>[]>)PgTypeRegistry.Default.ForOid(4451);
        await using var cmd = new PgCommand(
            "SELECT m, m::text FROM (SELECT g % 200 AS k, range_agg(CASE WHEN random() < 0.05 THEN NULL::int4range " +
            "ELSE int4range(CASE WHEN random() < 0.05 THEN NULL ELSE x END, CASE WHEN random() < 0.05 THEN NULL ELSE x + floor(random() * 20)::int END) END) AS m " +
            "FROM (SELECT g, floor(random() * 400 - 200)::int AS x FROM generate_series(1, 1000) g) s GROUP BY k) t", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        int count = 0;
        while (await reader.ReadAsync())
        {
            count++;
            if (reader.IsDBNull(0)) continue;
            string text = reader.GetString(1);
            Assert.Equal(text, "{" + string.Join(",", reader.GetFieldValue<PgRange<int>[]>(0)) + "}");
            Assert.Equal(text, "{" + string.Join(",", codec.Read(Encoding.UTF8.GetBytes(text), binary: false)) + "}");
        }
        Assert.Equal(200, count);
    }
}
