using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PgWire.Types;

/// <summary>
/// json and jsonb as String (the document's text); also readable as JsonDocument, JsonElement, JsonNode, JsonObject,
/// JsonArray and, through <see cref="IPgGenericReader"/>, any type System.Text.Json can deserialize.
/// Binary json is the UTF-8 text; binary jsonb is a version byte (1) and the text (jsonb_send in jsonb.c).
/// Parameters: a string is the JSON text itself; JsonDocument, JsonElement and JsonNode are written as they are;
/// any other object is serialized with System.Text.Json, but only when the parameter names json or jsonb,
/// since turning an arbitrary object into JSON unasked would hide a mistake more often than help.
/// </summary>
internal sealed class JsonCodec : PgTypeCodec<string>,
    IPgReader<JsonDocument>, IPgReader<JsonElement>, IPgReader<JsonNode>, IPgReader<JsonObject>, IPgReader<JsonArray>,
    IPgGenericReader
{
    private const byte JsonbVersion = 1;

    /// <summary>
    /// PostgreSQL nests documents some 12,000 levels deep with its default 2 MB max_stack_depth (more with a larger one);
    /// System.Text.Json parses documents and nodes without recursion, so their limit only needs to lie beyond that
    /// (its default of 64 does not).
    /// </summary>
    internal const int MaxDocumentDepth = 64 * 1024;

    /// <summary>Deserializing into classes recurses on the stack once per level, so that path keeps a safe bound.</summary>
    internal const int MaxObjectDepth = 1000;

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDocumentDepth };

    /// <summary>
    /// Escaping for the database, not for HTML: non-ASCII text stays as it is (a json column keeps the text it was
    /// given, so "é" should not become "\u00E9"); quotes, backslashes and control characters are still escaped.
    /// </summary>
    private static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    private static readonly JsonWriterOptions WriterOptions = new() { MaxDepth = MaxDocumentDepth, SkipValidation = true, Encoder = Encoder };

    /// <summary>
    /// System.Text.Json's defaults (as JsonSerializer.Serialize(value) with no options: property names as declared,
    /// matched case-sensitively), with the database escaping above and a deeper limit.
    /// </summary>
    internal static readonly JsonSerializerOptions SerializerOptions = CreateSerializerOptions();

    /// <summary>
    /// A serialized parameter between <see cref="GetLength(object)"/> and <see cref="Write(object, Span{byte})"/>:
    /// serializing twice could give two lengths (a getter that reads the clock), and a length that lies corrupts the
    /// protocol stream. Keyed weakly by the parameter object, so nothing outlives the value.
    /// </summary>
    private static readonly ConditionalWeakTable<object, byte[]> Serialized = new();

    private readonly bool _jsonb;

    private JsonCodec(uint oid, string dataTypeName, bool jsonb) : base(oid, dataTypeName) => _jsonb = jsonb;

    public static JsonCodec Json() => new(MiscOids.Json, "json", jsonb: false);

    public static JsonCodec Jsonb() => new(MiscOids.Jsonb, "jsonb", jsonb: true);

    private static JsonSerializerOptions CreateSerializerOptions()
    {
        var options = new JsonSerializerOptions { MaxDepth = MaxObjectDepth, Encoder = Encoder };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>The document's UTF-8 text, without jsonb's version byte.</summary>
    private ReadOnlySpan<byte> Text(ReadOnlySpan<byte> data, bool binary)
    {
        if (!_jsonb || !binary) return data;
        if (data.Length == 0 || data[0] != JsonbVersion)
            throw new PgProtocolException(
                $"The server sent a binary jsonb value of format version {(data.Length == 0 ? "(none)" : data[0].ToString(System.Globalization.CultureInfo.InvariantCulture))}; PgWire reads version 1.");
        return data[1..];
    }

    public override string Read(ReadOnlySpan<byte> data, bool binary) => Encoding.UTF8.GetString(Text(data, binary));

    JsonDocument IPgReader<JsonDocument>.Read(ReadOnlySpan<byte> data, bool binary)
    {
        // JsonDocument keeps the memory it parses, and the column's bytes belong to the read buffer: parse a copy.
        byte[] copy = Text(data, binary).ToArray();
        try
        {
            return JsonDocument.Parse(copy, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw NotJson(e);
        }
    }

    JsonElement IPgReader<JsonElement>.Read(ReadOnlySpan<byte> data, bool binary)
    {
        var reader = new Utf8JsonReader(Text(data, binary), new JsonReaderOptions { MaxDepth = MaxDocumentDepth });
        try
        {
            // ParseValue returns an element over its own copy, independent of the read buffer.
            return JsonElement.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            throw NotJson(e);
        }
    }

    JsonNode IPgReader<JsonNode>.Read(ReadOnlySpan<byte> data, bool binary)
    {
        try
        {
            // The JSON literal null is a value, not SQL NULL, and JsonNode spells it null.
            return JsonNode.Parse(Text(data, binary), null, DocumentOptions)!;
        }
        catch (JsonException e)
        {
            throw NotJson(e);
        }
    }

    JsonObject IPgReader<JsonObject>.Read(ReadOnlySpan<byte> data, bool binary) =>
        ((IPgReader<JsonNode>)this).Read(data, binary) as JsonObject ?? throw NotA("object", data, binary);

    JsonArray IPgReader<JsonArray>.Read(ReadOnlySpan<byte> data, bool binary) =>
        ((IPgReader<JsonNode>)this).Read(data, binary) as JsonArray ?? throw NotA("array", data, binary);

    /// <summary>Any other type, deserialized with System.Text.Json's default rules (<see cref="SerializerOptions"/>).</summary>
    public bool TryRead<T>(ReadOnlySpan<byte> data, bool binary, out T value)
    {
        try
        {
            value = JsonSerializer.Deserialize<T>(Text(data, binary), SerializerOptions)!;
            return true;
        }
        catch (JsonException e)
        {
            throw new PgConversionException(
                $"The {DataTypeName} value cannot be deserialized as {typeof(T).Name}: {e.Message} " +
                "Read it as String or JsonElement to see the document.", PgErrorCodes.DataException, e);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException)
        {
            // System.Text.Json cannot build this type at all (no usable constructor, an unsupported type such as a
            // Stream): the caller reports the wrong type.
            value = default!;
            return false;
        }
    }

    private PgConversionException NotJson(JsonException e) =>
        new($"The {DataTypeName} value could not be parsed by System.Text.Json: {e.Message}", PgErrorCodes.InvalidJsonText, e);

    private InvalidCastException NotA(string kind, ReadOnlySpan<byte> data, bool binary)
    {
        var text = Text(data, binary);
        string what = text.TrimStart(" \t\r\n"u8) is [var first, ..] ? first switch
        {
            (byte)'{' => "an object",
            (byte)'[' => "an array",
            (byte)'"' => "a string",
            (byte)'t' or (byte)'f' => "a boolean",
            (byte)'n' => "null",
            _ => "a number",
        } : "empty";
        return new InvalidCastException(
            $"The {DataTypeName} value is {what}, not an {kind}; read it as JsonNode or JsonElement.");
    }

    // Parameters.

    public override int GetLength(string value)
    {
        try
        {
            return Prefix + StrictUtf8.GetByteCount(value);
        }
        catch (EncoderFallbackException e)
        {
            throw new PgConversionException(
                "A JSON string parameter holds an unpaired UTF-16 surrogate, which has no UTF-8 form; PostgreSQL cannot store it.",
                PgErrorCodes.CharacterNotInRepertoire, e);
        }
    }

    public override void Write(string value, Span<byte> destination)
    {
        if (_jsonb) destination[0] = JsonbVersion;
        StrictUtf8.GetBytes(value, destination[Prefix..]);
    }

    public override int GetLength(object value)
    {
        if (value is string s) return GetLength(s);
        byte[] bytes = Serialize(value);
        Serialized.AddOrUpdate(value, bytes);
        return Prefix + bytes.Length;
    }

    public override void Write(object value, Span<byte> destination)
    {
        if (value is string s)
        {
            Write(s, destination);
            return;
        }
        if (Serialized.TryGetValue(value, out var bytes))
            Serialized.Remove(value);
        else
            bytes = Serialize(value); // the same object twice in one command: its first Write took the cached bytes
        if (Prefix + bytes.Length != destination.Length)
            throw new PgConversionException(
                $"A {DataTypeName} parameter serialized to a different length the second time; was it changed while the command was sent?",
                PgErrorCodes.DataException);
        if (_jsonb) destination[0] = JsonbVersion;
        bytes.CopyTo(destination[Prefix..]);
    }

    private int Prefix => _jsonb ? 1 : 0;

    private byte[] Serialize(object value)
    {
        try
        {
            switch (value)
            {
                case JsonDocument document:
                    return WriteDocument(document.RootElement);
                case JsonElement element:
                    return WriteDocument(element);
                case JsonNode node:
                {
                    var buffer = new ArrayBufferWriter<byte>();
                    using (var writer = new Utf8JsonWriter(buffer, WriterOptions)) node.WriteTo(writer);
                    return buffer.WrittenSpan.ToArray();
                }
                case char[] or ReadOnlyMemory<char>:
                    // JSON text, like a string.
                    return StrictUtf8.GetBytes(value is char[] chars ? chars : ((ReadOnlyMemory<char>)value).ToArray());
                default:
                    return JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), SerializerOptions);
            }
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new PgConversionException(
                $"A parameter of .NET type {value.GetType().Name} could not be serialized as {DataTypeName} by System.Text.Json: {e.Message}",
                PgErrorCodes.DatatypeMismatch, e);
        }
        catch (EncoderFallbackException e)
        {
            throw new PgConversionException(
                "A JSON parameter holds an unpaired UTF-16 surrogate, which has no UTF-8 form; PostgreSQL cannot store it.",
                PgErrorCodes.CharacterNotInRepertoire, e);
        }
    }

    private static byte[] WriteDocument(JsonElement element)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions)) element.WriteTo(writer);
        return buffer.WrittenSpan.ToArray();
    }
}
