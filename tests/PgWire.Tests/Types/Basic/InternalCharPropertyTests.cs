using CsCheck;
using PgWire.Tests.Infrastructure;
using PgWire.Tests.Types.Misc;

namespace PgWire.Tests.Types.Basic;

/// <summary>
/// "char", the one-byte internal type: every byte value, both directions, with the server as the oracle. PgWire maps a
/// byte to the char of the same number (Latin-1), so bytes 128 to 255 are the chars U+0080 to U+00FF.
/// </summary>
[Collection("Database")]
public sealed class InternalCharPropertyTests(DatabaseFixture db)
{
    [Fact]
    public async Task A_Char_sent_as_InternalChar_prints_on_the_server_as_its_byte()
    {
        await using var conn = await db.OpenAsync();
        await Differential.SentValuesPrintAsExpectedAsync(conn, Gen.Int[0, 255].Select(b => (char)b), "SELECT $1::\"char\"::text",
            PgOutput.InternalChar, PgDbType.InternalChar, print: c => $"U+{(int)c:X4}");
    }

    [Fact]
    public async Task A_char_made_by_the_server_reads_as_the_Char_of_its_byte()
    {
        // int4 -> "char" takes -128..127, the byte's two's complement.
        await using var conn = await db.OpenAsync();
        await Differential.ServerValuesReadAsPrintedAsync<char>(conn, "(floor(random() * 256)::int - 128)::\"char\"", PgOutput.InternalChar);
    }
}
