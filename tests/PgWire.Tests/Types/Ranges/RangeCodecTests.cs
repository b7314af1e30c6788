using System.Text;
using CsCheck;
using PgWire.Types;
using PgWire.Types.Ranges;

namespace PgWire.Tests.Types.Ranges;

/// <summary>The range and multirange codecs without a server: text parsing and quoting, malformed binary, text-format bounds.</summary>
public sealed class RangeCodecTests
{
    private static readonly PgTypeCodec Int4Range = PgTypeRegistry.Default.ForOid(3904);
    private static readonly RangeCodec<string> TextRange = new(new TextCodec(PgOids.Text, "text", binaryResults: false, parameterFormat: 0), 0, "textrange");

    private static T Read<T>(PgTypeCodec codec, string text) => ((IPgReader<T>)codec).Read(Encoding.UTF8.GetBytes(text), binary: false);

    private static byte[] Encode(PgTypeCodec codec, object value)
    {
        var bytes = new byte[codec.GetLength(value)];
        codec.Write(value, bytes);
        return bytes;
    }

    [Theory]
    [InlineData("[1,5)", 1, true, false, 5, false, false)]
    [InlineData("(,\"5\"]", 0, false, true, 5, true, false)]
    [InlineData("  [-3,)  ", -3, true, false, 0, false, true)]
    [InlineData("(,)", 0, false, true, 0, false, true)]
    public void The_text_form_of_an_integer_range_parses(string text, int lower, bool lowerInclusive, bool lowerInfinite, int upper,
        bool upperInclusive, bool upperInfinite)
    {
        Assert.Equal(new PgRange<int>(lower, lowerInclusive, lowerInfinite, upper, upperInclusive, upperInfinite), Read<PgRange<int>>(Int4Range, text));
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("  EMPTY ")]
    public void Empty_in_any_case_is_the_empty_range(string text) => Assert.True(Read<PgRange<int>>(Int4Range, text).IsEmpty);

    [Theory]
    [InlineData("[1,5")]
    [InlineData("1,5)")]
    [InlineData("[1,5) x")]
    [InlineData("emptyish")]
    [InlineData("")]
    public void A_malformed_text_range_is_a_protocol_error(string text) =>
        Assert.Throws<PgProtocolException>(() => Read<PgRange<int>>(Int4Range, text));

    [Fact]
    public void Quoted_bounds_keep_doubled_quotes_backslash_escapes_and_empty_strings()
    {
        var range = TextRange.Read(Encoding.UTF8.GetBytes("[\"a\"\"b\",\"c\\\\d\")"), binary: false);
        Assert.Equal("a\"b", range.LowerBound);
        Assert.Equal("c\\d", range.UpperBound);
        var emptyUpper = TextRange.Read(Encoding.UTF8.GetBytes("[,\"\")"), binary: false);
        Assert.True(emptyUpper.LowerBoundInfinite);
        Assert.False(emptyUpper.UpperBoundInfinite);
        Assert.Equal("", emptyUpper.UpperBound);
    }

    [Fact]
    public void Over_an_element_codec_that_writes_text_a_range_is_written_in_the_text_form_and_reads_back()
    {
        var range = new PgRange<string>("a\"b", true, false, "x ]", true, false);
        byte[] text = Encode(TextRange, range);
        Assert.Equal("[\"a\"\"b\",\"x ]\"]", Encoding.UTF8.GetString(text));
        Assert.Equal(range, TextRange.Read(text, binary: false));
        Assert.Equal("empty", Encoding.UTF8.GetString(Encode(TextRange, PgRange<string>.Empty)));
        Assert.Equal("(,\"z\")", Encoding.UTF8.GetString(Encode(TextRange, new PgRange<string>(null!, "z"))));
    }

    [Fact]
    public void A_multirange_text_splits_at_top_level_commas_only()
    {
        var multirange = new MultirangeCodec<string>(TextRange, 0, "textmultirange");
        var ranges = multirange.Read(Encoding.UTF8.GetBytes("{[\"a]\",b), (c,\"d,e\"] , empty}"), binary: false);
        Assert.Equal(3, ranges.Length);
        Assert.Equal("a]", ranges[0].LowerBound);
        Assert.Equal("d,e", ranges[1].UpperBound);
        Assert.True(ranges[2].IsEmpty);
        Assert.Empty(multirange.Read(" { } "u8, binary: false));
        Assert.Throws<PgProtocolException>(() => multirange.Read("{[a,b)"u8, binary: false));
        Assert.Equal("{[\"a\",\"b\"),(\"c\",)}",
            Encoding.UTF8.GetString(Encode(multirange, new[] { new PgRange<string>("a", "b"), new PgRange<string>("c", false, false, null!, false, true) })));
    }

    [Fact]
    public void Malformed_binary_ranges_are_protocol_errors()
    {
        var reader = (IPgReader<PgRange<int>>)Int4Range;
        byte[] good = Encode(Int4Range, new PgRange<int>(1, 5));
        Assert.Equal(new PgRange<int>(1, 5), reader.Read(good, binary: true));
        Assert.Throws<PgProtocolException>(() => reader.Read([], binary: true));
        Assert.Throws<PgProtocolException>(() => reader.Read([.. good, 0], binary: true));
        Assert.Throws<PgProtocolException>(() => reader.Read(good[..^1], binary: true));
        Assert.Throws<PgProtocolException>(() => reader.Read([0x01, 0, 0, 0, 4], binary: true));
        var multirange = (IPgReader<PgRange<int>[]>)PgTypeRegistry.Default.ForOid(4451);
        Assert.Throws<PgProtocolException>(() => multirange.Read([0x7F, 0, 0, 0], binary: true));
    }

    [Fact]
    public void Only_the_flags_the_server_accepts_are_written()
    {
        Assert.Equal([0x01], Encode(Int4Range, PgRange<int>.Empty));
        Assert.Equal([0x08 | 0x10], Encode(Int4Range, new PgRange<int>(1, true, true, 2, true, true)));
        Assert.Equal(0x02 | 0x04, Encode(Int4Range, new PgRange<int>(1, true, 2, true))[0]);
    }

    [Fact]
    public void Any_text_either_parses_or_is_a_protocol_error()
    {
        var multirange = new MultirangeCodec<string>(TextRange, 0, "textmultirange");
        Gen.Char["{}[](),\"\\ emptyEa1"].Array[0, 20].Select(chars => Encoding.UTF8.GetBytes(chars)).Sample(text =>
        {
            try
            {
                TextRange.Read(text, binary: false);
            }
            catch (PgProtocolException)
            {
            }
            try
            {
                multirange.Read(text, binary: false);
            }
            catch (PgProtocolException)
            {
            }
        }, iter: 5000);
    }
}
