using System.Security;
using CsCheck;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Types.Misc;

[Collection("Database")]
public sealed class XmlTests(DatabaseFixture db)
{
    [Fact]
    public async Task A_string_named_Xml_is_sent_as_xml_and_prints_unchanged()
    {
        await using var conn = await db.OpenAsync();
        var documents = Gen.Select(JsonModel.Strings, JsonModel.Strings,
            (attribute, text) => $"<r a=\"{SecurityElement.Escape(attribute)}\">{SecurityElement.Escape(text)}<e/></r>");
        // XML 1.0 has no control characters other than tab, newline and carriage return.
        documents = documents.Where(d => d.All(c => c >= ' ' || c is '\t' or '\n' or '\r'));
        await Differential.SentValuesPrintAsExpectedAsync(conn, documents, "SELECT format('%s %s', $1, pg_typeof($1))",
            d => d + " xml", PgDbType.Xml);
    }

    [Fact]
    public async Task An_xml_made_by_the_server_reads_as_its_text()
    {
        await using var conn = await db.OpenAsync();
        await Differential.ServerValuesReadAsPrintedAsync<string>(conn,
            "xmlelement(name r, xmlattributes(md5(random()::text) AS a), chr(32 + (random() * 2000)::int) || '<&>')", s => s);
    }

    [Fact]
    public async Task An_xml_column_reports_string()
    {
        await using var conn = await db.OpenAsync();
        await using var cmd = new PgCommand("SELECT '<a>é</a>'::xml", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(typeof(string), reader.GetFieldType(0));
        Assert.Equal("xml", reader.GetDataTypeName(0));
        Assert.Equal("<a>é</a>", reader.GetValue(0));
    }
}
