using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.ConnectionStrings;

/// <summary>
/// Include Error Detail and Log Parameters decide whether values reach exception messages, which end up in logs: the
/// server's Detail (a unique violation names the duplicate key) stays withheld unless Include Error Detail=true, as
/// with Npgsql, and a parameter value that cannot be sent is named only with Log Parameters or Include Error Detail.
/// Against the real server; the values used are ones no message would contain by chance.
/// </summary>
[Collection("Database")]
public sealed class ErrorDetailTests(DatabaseFixture db) : IAsyncLifetime
{
    private const int SecretKey = 424242;
    private const int SecretNumber = 987654321;

    public async Task InitializeAsync() => await db.Server.RunSqlAsync(
        "DROP TABLE IF EXISTS error_detail_accounts; " +
        "CREATE TABLE error_detail_accounts (id int PRIMARY KEY); " +
        $"INSERT INTO error_detail_accounts VALUES ({SecretKey})");

    public async Task DisposeAsync() => await db.Server.RunSqlAsync("DROP TABLE IF EXISTS error_detail_accounts");

    private async Task<PgServerException> UniqueViolationAsync(string extra)
    {
        await using var conn = await db.OpenAsync(db.ConnectionString + extra);
        var e = await Assert.ThrowsAsync<PgServerException>(() =>
            conn.ExecuteAsync("INSERT INTO error_detail_accounts VALUES ($1)", SecretKey).AsTask());
        Assert.Equal(PgErrorCodes.UniqueViolation, e.SqlState);
        Assert.Equal(1, await conn.QueryScalarAsync<int>("SELECT 1"));
        return e;
    }

    private async Task<PgConversionException> ParameterThatCannotBeSentAsync(string extra)
    {
        await using var conn = await db.OpenAsync(db.ConnectionString + extra);
        var e = await Assert.ThrowsAsync<PgConversionException>(() =>
            conn.QueryAsync("SELECT $1", new PgParameter(SecretNumber, PgDbType.Smallint)).AsTask());
        Assert.Equal(PgErrorCodes.NumericValueOutOfRange, e.SqlState);
        Assert.Equal(1, await conn.QueryScalarAsync<int>("SELECT 1"));
        return e;
    }

    [Fact]
    public async Task By_default_a_unique_violation_keeps_the_duplicate_key_out_of_the_exception_and_its_Detail()
    {
        var e = await UniqueViolationAsync("");

        Assert.DoesNotContain(SecretKey.ToString(), e.ToString());
        Assert.Equal(PgServerException.WithheldDetail, e.Detail);
        Assert.Contains("Include Error Detail", e.Detail);
        Assert.Equal("error_detail_accounts_pkey", e.ConstraintName);
    }

    [Fact]
    public async Task Include_Error_Detail_puts_the_servers_detail_in_Detail_and_in_the_message()
    {
        var e = await UniqueViolationAsync(";Include Error Detail=true");

        Assert.Equal($"Key (id)=({SecretKey}) already exists.", e.Detail);
        Assert.Contains($"(id)=({SecretKey})", e.Message);
    }

    [Fact]
    public async Task Log_Parameters_alone_does_not_reveal_the_servers_detail()
    {
        var e = await UniqueViolationAsync(";Log Parameters=true");

        Assert.Equal(PgServerException.WithheldDetail, e.Detail);
        Assert.DoesNotContain(SecretKey.ToString(), e.Message);
    }

    [Fact]
    public async Task A_server_error_without_a_detail_has_no_placeholder()
    {
        await using var conn = await db.OpenAsync();

        var e = await Assert.ThrowsAsync<PgServerException>(() => conn.QueryAsync("SELECT 1 / 0").AsTask());

        Assert.Null(e.Detail);
    }

    [Fact]
    public async Task By_default_a_notices_detail_is_withheld_and_with_Include_Error_Detail_it_arrives()
    {
        const string sql = "DO $$BEGIN RAISE NOTICE 'checked' USING DETAIL = 'card 4111111111111111'; END$$";
        var notices = new List<PgNotice>();
        await using (var plain = await db.OpenAsync())
        {
            plain.Notice += (_, e) => notices.Add(e.Notice);
            await plain.ExecuteAsync(sql);
        }
        await using (var detailed = await db.OpenAsync(db.ConnectionString + ";Include Error Detail=true"))
        {
            detailed.Notice += (_, e) => notices.Add(e.Notice);
            await detailed.ExecuteAsync(sql);
        }

        Assert.Equal(2, notices.Count);
        Assert.Equal(PgServerException.WithheldDetail, notices[0].Detail);
        Assert.Equal("card 4111111111111111", notices[1].Detail);
    }

    [Fact]
    public async Task By_default_a_parameter_that_cannot_be_sent_is_described_without_its_value()
    {
        var e = await ParameterThatCannotBeSentAsync("");

        Assert.DoesNotContain(SecretNumber.ToString(), e.ToString());
        Assert.Contains("Parameter $1", e.Message);
        Assert.Contains("does not fit PostgreSQL type smallint", e.Message);
        Assert.Contains("Log Parameters=true", e.Message);
        Assert.Null(e.InnerException);
    }

    [Theory]
    [InlineData(";Log Parameters=true")]
    [InlineData(";Include Error Detail=true")]
    public async Task Log_Parameters_or_Include_Error_Detail_name_the_value_that_cannot_be_sent(string extra)
    {
        var e = await ParameterThatCannotBeSentAsync(extra);

        Assert.Contains($"Parameter $1: The value {SecretNumber} does not fit PostgreSQL type smallint", e.Message);
    }

    [Fact]
    public async Task A_value_inside_an_array_parameter_stays_out_of_the_message_too()
    {
        await using var conn = await db.OpenAsync();

        var e = await Assert.ThrowsAsync<PgConversionException>(() =>
            conn.QueryAsync("SELECT $1", new PgParameter(new long[] { 1, 9_876_543_210_123 }, PgDbType.Integer | PgDbType.Array)).AsTask());

        Assert.DoesNotContain("9876543210123", e.ToString());
        Assert.Contains("does not fit PostgreSQL type integer", e.Message);
    }

    [Fact]
    public async Task A_message_that_names_no_value_is_the_same_with_or_without_the_keywords()
    {
        await using var plain = await db.OpenAsync();
        await using var logging = await db.OpenAsync(db.ConnectionString + ";Log Parameters=true");

        var quiet = await Assert.ThrowsAsync<PgConversionException>(() => plain.QueryAsync("SELECT $1", new object()).AsTask());
        var loud = await Assert.ThrowsAsync<PgConversionException>(() => logging.QueryAsync("SELECT $1", new object()).AsTask());

        Assert.Equal(loud.Message, quiet.Message);
    }
}
