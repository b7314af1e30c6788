using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using PgWire.Tests.Infrastructure;
using PgWire.Types;

namespace PgWire.Tests.Types.Arrays;

/// <summary>
/// Differential tests with the server as the oracle: random arrays sent as parameters must print as PostgreSQL's own
/// array_out text computed here, and read back equal; random arrays the server generates must read (binary, and
/// through PgWire's text parser) as what the server prints.
/// </summary>
[Collection("Database")]
public sealed class ArrayPropertyTests(DatabaseFixture db)
{
    private const int Iterations = 500;

    private static readonly Gen<string> Strings = Gen.OneOf(
            "a", "Z", "0", " ", ",", "{", "}", "\"", "\\", "'", "é", "漢字", "🙂", "NULL", "null", "\t", "\n", "x y", "")
        .Array[0, 5].Select(parts => string.Concat(parts));

    /// <summary>A 1-, 2- or 3-dimensional array of the elements (sometimes with a zero length, which PostgreSQL makes empty).</summary>
    private static Gen<Array> Shaped<T>(Gen<T> element) =>
        Gen.Int[1, 3].SelectMany(rank => Gen.Int[0, rank == 1 ? 12 : 3].Array[rank].SelectMany(lengths =>
            element.Array[lengths.Aggregate(1, (a, b) => a * b)].Select(items =>
            {
                var array = Array.CreateInstance(typeof(T), lengths);
                var span = items.AsSpan();
                int i = 0;
                foreach (var index in Indexes(lengths)) array.SetValue(span[i++], index);
                return array;
            })));

    private static IEnumerable<int[]> Indexes(int[] lengths)
    {
        int count = lengths.Aggregate(1, (a, b) => a * b);
        for (int n = 0; n < count; n++)
        {
            var index = new int[lengths.Length];
            int rest = n;
            for (int d = lengths.Length - 1; d >= 0; d--)
            {
                index[d] = rest % lengths[d];
                rest /= lengths[d];
            }
            yield return index;
        }
    }

    private static int[] Lengths(Array a) => Enumerable.Range(0, a.Rank).Select(a.GetLength).ToArray();

    private async Task SendAndCompare<T>(Gen<T> element, Func<T, string?> format, Func<string, string>? canonical = null)
    {
        await using var conn = await db.OpenAsync();
        int runs = 0;
        await Shaped(element).SampleAsync(async array =>
        {
            runs++;
            var expected = ArrayLiteral.Format(array.Cast<object?>().Select(o => format((T)o!)).ToList(), Lengths(array));
            var rows = await conn.QueryAsync("SELECT $1::text, $1", array);
            Assert.Equal(expected, canonical is null ? rows[0][0] : canonical((string)rows[0][0]!));
            var back = Assert.IsAssignableFrom<Array>(rows[0][1]);
            Assert.Equal(array.Length == 0 ? 1 : array.Rank, back.Rank);
            Assert.Equal(expected, ArrayLiteral.Format(back.Cast<object?>().Select(o => format((T)o!)).ToList(), Lengths(back)));
        }, iter: Iterations, threads: 1, print: a => ArrayLiteral.Format(a.Cast<object?>().Select(o => o?.ToString()).ToList(), Lengths(a)));
        Assert.True(runs >= Iterations, $"{runs} values checked");
    }

    [Fact]
    public Task Int4_arrays_sent_as_parameters_print_as_the_server_prints_them() =>
        SendAndCompare(Gen.Int.Nullable(0.15), v => ArrayLiteral.Invariant(v));

    [Fact]
    public Task Int8_arrays_sent_as_parameters_print_as_the_server_prints_them() =>
        SendAndCompare(Gen.Long.Nullable(0.15), v => ArrayLiteral.Invariant(v));

    [Fact]
    public Task Text_arrays_with_quotes_braces_backslashes_unicode_and_NULLs_print_as_the_server_prints_them() =>
        SendAndCompare(Strings.Null(0.15), v => v);

    [Fact]
    public Task Float8_arrays_sent_as_parameters_print_as_the_server_prints_them() =>
        SendAndCompare(Gen.Double.Special.Nullable(0.1), v => v is { } d ? Float8Text(d) : null, Float8Canonical);

    [Fact]
    public Task Numeric_arrays_sent_as_parameters_print_as_the_server_prints_them() =>
        SendAndCompare(Gen.Decimal.Nullable(0.1), v => v is { } d ? ArrayLiteral.Numeric(d) : null);

    [Fact]
    public Task Bool_arrays_sent_as_parameters_print_as_the_server_prints_them() =>
        SendAndCompare(Gen.Bool.Nullable(0.2), v => v is { } b ? (b ? "t" : "f") : null);

    /// <summary>A double's text as .NET prints it (shortest round-trip form).</summary>
    private static string Float8Text(double d) => d.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// The server's float8[] text with each element re-printed as <see cref="Float8Text"/>: float8out and .NET both print
    /// the shortest text that reads back exactly but differ in notation (1e+16 against 1E+16) and, on ties, in digits, so
    /// floats are compared by value.
    /// </summary>
    private static string Float8Canonical(string text) =>
        Regex.Replace(text, "[^{},]+", m => m.Value == "NULL" ? m.Value : Float8Text(double.Parse(m.Value, CultureInfo.InvariantCulture)));

    /// <summary>
    /// Runs a query whose rows hold a server-made array and its ::text, and checks that the array read in binary, and the
    /// text read through PgWire's text-format parser, both print as the server's text; some arrays are two-dimensional.
    /// </summary>
    private async Task ServerGenerated<TArray>(string arrayType, string elementSql, Func<object, string> formatElement,
        Func<string, string>? canonical = null) where TArray : class
    {
        string Format(Array a) => ArrayLiteral.Format(
            a.Cast<object?>().Select(o => o is null ? null : formatElement(o)).ToList(), a.Length == 0 ? [] : Lengths(a));
        await using var conn = await db.OpenAsync();
        await conn.ExecuteAsync("SELECT setseed(0.31)");
        var codec = (IPgReader<TArray>)PgTypeRegistry.Default.ForOid(await conn.QueryScalarAsync<uint>("SELECT $1::regtype::oid", arrayType));
        await using var cmd = new PgCommand(
            $"SELECT x, x::text FROM (SELECT coalesce((SELECT array_agg(CASE WHEN random() < 0.1 THEN NULL ELSE {elementSql} END) " +
            $"FROM generate_series(1, g % 13)), '{{}}')::{arrayType} AS x FROM generate_series(1, 600) g) s " +
            $"UNION ALL SELECT x, x::text FROM (SELECT ARRAY[[{elementSql}, NULL], [{elementSql}, {elementSql}]]::{arrayType} AS x " +
            "FROM generate_series(1, 20) g) t", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        int count = 0;
        while (await reader.ReadAsync())
        {
            count++;
            string text = canonical is null ? reader.GetString(1) : canonical(reader.GetString(1));
            if (count <= 600)
            {
                Assert.Equal(text, Format((Array)(object)reader.GetFieldValue<TArray>(0)));
                Assert.Equal(text, Format((Array)(object)codec.Read(Encoding.UTF8.GetBytes(reader.GetString(1)), binary: false)));
            }
            Assert.Equal(text, Format((Array)reader.GetValue(0)));
        }
        Assert.Equal(620, count);
    }

    [Fact]
    public Task Server_generated_int4_arrays_read_as_the_server_prints_them() =>
        ServerGenerated<int?[]>("int4[]", "floor(random() * 4294967296 - 2147483648)::int4", Invariant);

    [Fact]
    public Task Server_generated_int8_arrays_read_as_the_server_prints_them() =>
        ServerGenerated<long?[]>("int8[]", "(floor(random() * 2^52)::int8 * (CASE WHEN random() < 0.5 THEN -1 ELSE 1 END) * 1024)", Invariant);

    [Fact]
    public Task Server_generated_text_arrays_read_as_the_server_prints_them() =>
        ServerGenerated<string?[]>("text[]",
            "(substr(E'ab ,{}\"\\\\éN漢🙂\\tUL', 1 + floor(random() * 15)::int, floor(random() * 4)::int) || " +
            "substr(E'NULL\\\\\" {x}', 1 + floor(random() * 11)::int, floor(random() * 5)::int))",
            o => (string)o);

    [Fact]
    public Task Server_generated_float8_arrays_read_as_the_server_prints_them() =>
        ServerGenerated<double?[]>("float8[]",
            "(CASE floor(random() * 8)::int WHEN 0 THEN 'NaN'::float8 WHEN 1 THEN '-Infinity' WHEN 2 THEN '-0' " +
            "WHEN 3 THEN random() * 1e-300 ELSE (random() - 0.5) * 10 ^ floor(random() * 40 - 20) END)",
            o => Float8Text((double)o), Float8Canonical);

    [Fact]
    public Task Server_generated_numeric_arrays_read_as_the_server_prints_them() =>
        ServerGenerated<decimal?[]>("numeric[]", "round(((random() - 0.5) * 10 ^ floor(random() * 20))::numeric, floor(random() * 8)::int)",
            o => ArrayLiteral.Numeric((decimal)o));

    [Fact]
    public Task Server_generated_bool_arrays_read_as_the_server_prints_them() =>
        ServerGenerated<bool?[]>("bool[]", "random() < 0.5", o => (bool)o ? "t" : "f");

    private static string Invariant(object o) => Convert.ToString(o, CultureInfo.InvariantCulture)!;
}
