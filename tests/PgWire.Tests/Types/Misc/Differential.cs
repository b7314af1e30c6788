using CsCheck;

namespace PgWire.Tests.Types.Misc;

/// <summary>
/// The two halves of a differential property test, with the server as the oracle: values PgWire sends must print
/// on the server as the test expects, and values the server makes must read through PgWire as the server prints them.
/// Both reuse the caller's connection and run sequentially on it.
/// </summary>
internal static class Differential
{
    /// <summary>Values a run of each property (the issue asks for at least 500 a type).</summary>
    public const int Iterations = 500;

    /// <summary>
    /// Sends each generated value as parameter $1 and compares the server's text of it
    /// (<paramref name="sql"/> selects it as text, e.g. <c>SELECT $1::inet::text</c>) with <paramref name="expected"/>.
    /// CsCheck shrinks a failure to a small counterexample and prints it.
    /// </summary>
    /// <param name="canonical">Rewrites the server's text before the comparison, for types whose text has several correct
    /// spellings of one value (float8out and .NET print the same shortest digits in different notations).</param>
    public static Task SentValuesPrintAsExpectedAsync<T>(PgConnection conn, Gen<T> gen, string sql, Func<T, string> expected,
        PgDbType? type = null, Func<T, string>? print = null, Func<string, string>? canonical = null) =>
        gen.SampleAsync(async value =>
        {
            object? parameter = type is { } t ? new PgParameter(value, t) : value;
            string? text = await conn.QueryScalarAsync<string>(sql, parameter);
            Assert.Equal(expected(value), canonical is null || text is null ? text : canonical(text));
        }, iter: Iterations, threads: 1, print: print);

    /// <summary>
    /// Lets the server generate <see cref="Iterations"/> values with <paramref name="generator"/> (an SQL expression
    /// using random(), seeded by setseed; the row number is <c>i</c>, for subqueries that must run once a row), then reads each in binary as <typeparamref name="T"/> and checks that
    /// <paramref name="format"/> of it is the server's own text of the same value.
    /// </summary>
    /// <param name="textOf">The server's text of the value <c>v</c>; <c>v::text</c> except where a type's text cast is not its
    /// output function (inet's text() always adds the mask: use <c>format('%s', v)</c>).</param>
    /// <param name="canonical">Rewrites the server's text before the comparison (see <see cref="SentValuesPrintAsExpectedAsync{T}"/>).</param>
    public static Task ServerValuesReadAsPrintedAsync<T>(PgConnection conn, string generator, Func<T, string> format, int seeds = 5,
        string textOf = "v::text", Func<string, string>? canonical = null) =>
        Gen.Double[-1, 1].SampleAsync(async seed =>
        {
            // Both ways a statement's rows arrive: its first run on the connection (described in the same write as
            // its execution, so its rows come as text: the SQL is made new each time) and a prepared run (binary
            // wherever the type has a binary decoder). Both must read the same values.
            foreach (bool firstRun in new[] { true, false })
            {
                await conn.ExecuteAsync("SELECT setseed($1)", seed);
                string sql = $"SELECT v, {textOf} FROM (SELECT {generator} AS v FROM generate_series(1, {Iterations / seeds}) AS g(i)) s";
                await using var cmd = new PgCommand(firstRun ? $"{sql} /* first run {Guid.NewGuid():N} */" : sql, conn);
                if (!firstRun) await cmd.PrepareAsync();
                await using var reader = await cmd.ExecuteReaderAsync();
                int rows = 0;
                while (await reader.ReadAsync())
                {
                    string serverText = canonical is null ? reader.GetString(1) : canonical(reader.GetString(1));
                    T value = reader.GetFieldValue<T>(0);
                    Assert.True(serverText == format(value),
                        $"server text {serverText}, PgWire read {format(value)} (setseed {seed}, {(firstRun ? "first run" : "prepared")})");
                    rows++;
                }
                Assert.Equal(Iterations / seeds, rows);
            }
        }, iter: seeds, threads: 1);
}
