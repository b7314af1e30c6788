using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Types.Misc;

[Collection("Database")]
public sealed class JsonTests(DatabaseFixture db)
{
    public sealed record Person(string Name, int Age, string[] Tags);

    [Fact]
    public async Task A_JsonNode_parameter_goes_as_jsonb_and_the_server_prints_the_same_document()
    {
        await using var conn = await db.OpenAsync();
        await JsonModel.Documents(3).SampleAsync(async model =>
        {
            var node = JsonNode.Parse(model.Compact());
            // JSON null has no JsonNode (it is C# null): send that one as a document.
            object parameter = node is null ? JsonDocument.Parse("null") : node;
            Assert.Equal(model.JsonbText(), await conn.QueryScalarAsync<string>("SELECT $1::text", parameter));
        }, iter: Differential.Iterations, threads: 1);
    }

    [Fact]
    public async Task A_string_named_Json_arrives_as_exactly_that_json_text()
    {
        await using var conn = await db.OpenAsync();
        await Differential.SentValuesPrintAsExpectedAsync(conn, JsonModel.Documents(3).Select(m => m.Compact()),
            "SELECT $1::text", text => text, PgDbType.Json);
    }

    private const string RandomDocument =
        "jsonb_build_object(substr(md5(random()::text), 1, (random() * 6)::int), (random() * 1e6)::int - 500000, " +
        "'f', round((random() * 1000)::numeric, (random() * 4)::int), 'b', random() < 0.5, " +
        "'s', chr(1 + (random() * 1000)::int) || chr(128512 + (random() * 50)::int) || md5(random()::text), " +
        "'a', jsonb_build_array(random() < 0.5, NULL, (random() * 100)::int, jsonb_build_object('n', random())), 'z', '{}'::jsonb)";

    [Fact]
    public async Task A_jsonb_made_by_the_server_reads_in_binary_as_its_text()
    {
        await using var conn = await db.OpenAsync();
        await Differential.ServerValuesReadAsPrintedAsync<string>(conn, RandomDocument, s => s);
    }

    [Fact]
    public async Task A_json_made_by_the_server_reads_in_binary_as_its_text()
    {
        await using var conn = await db.OpenAsync();
        await Differential.ServerValuesReadAsPrintedAsync<string>(conn, RandomDocument + "::json", s => s);
    }

    [Fact]
    public async Task A_jsonb_made_by_the_server_reads_as_a_JsonNode_equal_to_its_text()
    {
        await using var conn = await db.OpenAsync();
        await conn.ExecuteAsync("SELECT setseed(0.25)");
        await using var cmd = new PgCommand($"SELECT v, v::text FROM (SELECT {RandomDocument} AS v FROM generate_series(1, 500)) s", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            string text = reader.GetString(1);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(text), reader.GetFieldValue<JsonNode>(0)), text);
            using var document = reader.GetFieldValue<JsonDocument>(0);
            Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(text).RootElement, document.RootElement), text);
        }
    }

    [Fact]
    public async Task Jsonb_with_unicode_escapes_reads_as_the_characters_they_name()
    {
        await using var conn = await db.OpenAsync();
        await using var cmd = new PgCommand("""SELECT '{"a":"\u00e9\ud83d\ude00"}'::jsonb""", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("{\"a\": \"é😀\"}", reader.GetString(0));
        Assert.Equal("é😀", reader.GetFieldValue<JsonElement>(0).GetProperty("a").GetString());
        Assert.Equal("é😀", (string?)reader.GetFieldValue<JsonNode>(0)["a"]);
    }

    [Fact]
    public async Task Non_ASCII_text_sent_in_a_JsonNode_stays_unescaped_in_a_json_column()
    {
        await using var conn = await db.OpenAsync();
        var node = new JsonObject { ["name"] = "Zoë <&> \"q\"" };
        Assert.Equal("{\"name\":\"Zoë <&> \\\"q\\\"\"}",
            await conn.QueryScalarAsync<string>("SELECT $1::text", new PgParameter(node, PgDbType.Json)));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(5_000)] // 10,000 levels of nesting: more than System.Text.Json allows by default, within PostgreSQL's stack
    public async Task Deeply_nested_jsonb_reads_as_text_JsonDocument_JsonElement_and_JsonNode(int depth)
    {
        string text = string.Concat(Enumerable.Repeat("{\"a\": [", depth)) + "1" + string.Concat(Enumerable.Repeat("]}", depth));
        await using var conn = await db.OpenAsync();
        await using var cmd = new PgCommand("SELECT $1::jsonb", conn);
        cmd.Parameters.Add(new PgParameter(text));
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(text, reader.GetString(0));
        using var document = reader.GetFieldValue<JsonDocument>(0);
        var element = reader.GetFieldValue<JsonElement>(0);
        var node = reader.GetFieldValue<JsonNode>(0);
        for (int i = 0; i < depth; i++) element = element.GetProperty("a")[0];
        Assert.Equal(1, element.GetInt32());
        Assert.Equal(text, node.ToJsonString(new JsonSerializerOptions { MaxDepth = 4 * depth }).Replace(":", ": ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_deeply_nested_JsonNode_parameter_is_sent_whole()
    {
        JsonNode node = JsonValue.Create(1);
        for (int i = 0; i < 500; i++) node = new JsonArray(node);
        await using var conn = await db.OpenAsync();
        Assert.Equal(500, await conn.QueryScalarAsync<int>(
            "WITH RECURSIVE d(j, n) AS (SELECT $1::jsonb, 0 UNION ALL SELECT j->0, n + 1 FROM d WHERE jsonb_typeof(j) = 'array') SELECT max(n) FROM d",
            node));
    }

    [Fact]
    public async Task A_10_MiB_json_document_round_trips_as_text_and_as_a_document()
    {
        var sb = new StringBuilder("[");
        for (int i = 0; sb.Length < 10 * 1024 * 1024; i++)
            sb.Append(i == 0 ? "" : ",").Append("{\"id\":").Append(i).Append(",\"name\":\"row ").Append(i).Append(" ").Append('x', 40).Append("\"}");
        string text = sb.Append(']').ToString();
        await using var conn = await db.OpenAsync();

        Assert.Equal(text, await conn.QueryScalarAsync<string>("SELECT $1", new PgParameter((object)text, PgDbType.Json)));

        using var sent = JsonDocument.Parse(text);
        await using var cmd = new PgCommand("SELECT $1::jsonb, jsonb_array_length($1::jsonb)", conn);
        cmd.Parameters.Add(new PgParameter(sent));
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        using var received = reader.GetFieldValue<JsonDocument>(0);
        Assert.Equal(sent.RootElement.GetArrayLength(), reader.GetInt32(1));
        Assert.True(JsonElement.DeepEquals(sent.RootElement, received.RootElement));
    }

    [Fact]
    public async Task JsonDocument_JsonElement_and_JsonNode_parameters_are_sent_as_jsonb()
    {
        using var document = JsonDocument.Parse("{\"b\":2,\"a\":1}");
        await using var conn = await db.OpenAsync();
        foreach (object value in new object[] { document, document.RootElement, JsonNode.Parse("{\"b\":2,\"a\":1}")!, new JsonArray(1, 2), JsonValue.Create(5)! })
            Assert.Equal("jsonb", await conn.QueryScalarAsync<string>("SELECT pg_typeof($1)::text", value));
    }

    [Fact]
    public async Task The_same_JsonNode_twice_in_one_command_is_sent_twice_whole()
    {
        var node = new JsonObject { ["k"] = new JsonArray(1, "two", null) };
        await using var conn = await db.OpenAsync();
        Assert.Equal("{\"k\": [1, \"two\", null]} {\"k\": [1, \"two\", null]}",
            await conn.QueryScalarAsync<string>("SELECT format('%s %s', $1, $2)", node, node));
    }

    [Fact]
    public async Task A_string_parameter_stays_untyped_so_a_jsonb_column_accepts_it()
    {
        await using var conn = await db.OpenAsync();
        await conn.ExecuteAsync("CREATE TEMP TABLE docs (d jsonb)");
        await conn.ExecuteAsync("INSERT INTO docs VALUES ($1)", "{\"k\": [1, 2]}");
        Assert.Equal("{\"k\": [1, 2]}", await conn.QueryScalarAsync<string>("SELECT d::text FROM docs"));
    }

    [Fact]
    public async Task An_arbitrary_object_is_refused_unless_the_parameter_names_json()
    {
        var person = new Person("Ann", 7, ["a", "b"]);
        await using var conn = await db.OpenAsync();
        var e = await Assert.ThrowsAsync<PgConversionException>(async () => await conn.QueryScalarAsync<string>("SELECT $1::text", person));
        Assert.Contains(nameof(Person), e.Message);
        Assert.Equal("{\"Age\": 7, \"Name\": \"Ann\", \"Tags\": [\"a\", \"b\"]}",
            await conn.QueryScalarAsync<string>("SELECT $1::text", new PgParameter(person, PgDbType.Jsonb)));
        Assert.Equal("{\"Name\":\"Ann\",\"Age\":7,\"Tags\":[\"a\",\"b\"]}",
            await conn.QueryScalarAsync<string>("SELECT $1::text", new PgParameter(person, PgDbType.Json)));
    }

    [Fact]
    public async Task A_jsonb_column_reports_string_as_its_type_and_reads_as_JsonObject_or_JsonArray()
    {
        await using var conn = await db.OpenAsync();
        await using var cmd = new PgCommand("SELECT '{\"a\": 1}'::jsonb, '[1, 2]'::json", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(typeof(string), reader.GetFieldType(0));
        Assert.Equal("jsonb", reader.GetDataTypeName(0));
        Assert.Equal("json", reader.GetDataTypeName(1));
        Assert.Equal(1, (int)reader.GetFieldValue<JsonObject>(0)["a"]!);
        Assert.Equal(2, reader.GetFieldValue<JsonArray>(1).Count);
        var e = Assert.Throws<InvalidCastException>(() => reader.GetFieldValue<JsonArray>(0));
        Assert.Contains("an object", e.Message);
    }

    [Fact]
    public async Task A_json_column_deserializes_into_a_record()
    {
        await using var conn = await db.OpenAsync();
        await using var cmd = new PgCommand(
            "SELECT '{\"Name\": \"Ann\", \"Age\": 7, \"Tags\": [\"x\"]}'::jsonb, '[1, 2, 3]'::json, 'null'::jsonb, NULL::jsonb", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var person = reader.GetFieldValue<Person>(0);
        Assert.Equal(("Ann", 7, "x"), (person.Name, person.Age, person.Tags.Single()));
        Assert.Equal([1, 2, 3], reader.GetFieldValue<List<int>>(1));
        Assert.Null(reader.GetFieldValue<Person?>(2)); // JSON null
        Assert.Null(reader.GetFieldValue<Person?>(3)); // SQL NULL
        Assert.Equal(7, reader.GetFieldValue<JsonElement?>(0)!.Value.GetProperty("Age").GetInt32());
    }

    [Fact]
    public async Task A_json_document_that_does_not_fit_the_record_names_the_column_and_leaves_the_connection_usable()
    {
        await using var conn = await db.OpenAsync();
        await using (var cmd = new PgCommand("SELECT '{\"Name\": 5}'::jsonb AS doc", conn))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            var e = Assert.Throws<PgConversionException>(() => reader.GetFieldValue<Person>(0));
            Assert.Contains("\"doc\"", e.Message);
            Assert.Contains(nameof(Person), e.Message);
        }
        Assert.Equal(1, await conn.QueryScalarAsync<int>("SELECT 1"));
    }
}
