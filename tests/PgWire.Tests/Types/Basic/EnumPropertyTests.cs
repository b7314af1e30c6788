using CsCheck;
using PgWire.Tests.Infrastructure;
using PgWire.Tests.Types.Misc;

namespace PgWire.Tests.Types.Basic;

/// <summary>Members of <c>basic_feeling</c>: three by the snake_case rule, four by [PgName] with labels that need care.</summary>
public enum BasicFeeling
{
    Sad,
    Ok,
    VeryHappy,
    [PgName("Naïve 😀")] Naive,
    [PgName("with \"quotes\", (parens)")] Quoted,
    [PgName("back\\slash")] Backslash,
    [PgName("it's")] Apostrophe,
}

/// <summary>
/// A user-defined enum, mapped to a .NET enum and unmapped as its label, both directions, with the server as the oracle.
/// </summary>
[Collection("Database")]
public sealed class EnumPropertyTests(DatabaseFixture db) : IAsyncLifetime
{
    public Task InitializeAsync() => db.Server.RunSqlAsync("""
        DO $$ BEGIN
          IF NOT EXISTS (SELECT FROM pg_type WHERE typname = 'basic_feeling') THEN
            CREATE TYPE basic_feeling AS ENUM ('sad', 'ok', 'very_happy', 'Naïve 😀', 'with "quotes", (parens)', 'back\slash', 'it''s');
          END IF;
        END $$;
        """);

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>The label of each member, as the CREATE TYPE above spells it.</summary>
    private static string Label(BasicFeeling feeling) => feeling switch
    {
        BasicFeeling.Sad => "sad",
        BasicFeeling.Ok => "ok",
        BasicFeeling.VeryHappy => "very_happy",
        BasicFeeling.Naive => "Naïve 😀",
        BasicFeeling.Quoted => "with \"quotes\", (parens)",
        BasicFeeling.Backslash => "back\\slash",
        BasicFeeling.Apostrophe => "it's",
        _ => throw new ArgumentOutOfRangeException(nameof(feeling)),
    };

    private static readonly string[] Labels = Enum.GetValues<BasicFeeling>().Select(Label).ToArray();

    private const string RandomFeeling = "(enum_range(NULL::basic_feeling))[1 + floor(random() * 7)::int]";

    [Fact]
    public async Task A_mapped_enum_member_sent_as_a_parameter_prints_on_the_server_as_its_label()
    {
        await using var source = new PgDataSourceBuilder(db.ConnectionString).MapEnum<BasicFeeling>().Build();
        await using var conn = await source.OpenConnectionAsync();
        await Differential.SentValuesPrintAsExpectedAsync(conn, Gen.Enum<BasicFeeling>(), "SELECT $1::basic_feeling::text", Label);
    }

    [Fact]
    public async Task A_label_sent_as_a_string_prints_on_the_server_as_that_label()
    {
        await using var source = PgDataSource.Create(db.ConnectionString);
        await using var conn = await source.OpenConnectionAsync();
        await Differential.SentValuesPrintAsExpectedAsync(conn, Gen.OneOf(Labels), "SELECT $1::basic_feeling::text", s => s);
    }

    [Fact]
    public async Task An_enum_value_made_by_the_server_reads_as_the_mapped_member_of_its_label()
    {
        await using var source = new PgDataSourceBuilder(db.ConnectionString).MapEnum<BasicFeeling>().Build();
        await using var conn = await source.OpenConnectionAsync();
        await Differential.ServerValuesReadAsPrintedAsync<BasicFeeling>(conn, RandomFeeling, Label);
    }

    [Fact]
    public async Task An_enum_value_made_by_the_server_reads_unmapped_as_the_String_of_its_label()
    {
        await using var source = PgDataSource.Create(db.ConnectionString);
        await using var conn = await source.OpenConnectionAsync();
        await Differential.ServerValuesReadAsPrintedAsync<string>(conn, RandomFeeling, s => s);
    }
}
