using System.Buffers.Binary;
using System.Text;
using CsCheck;
using PgWire.Types;
using PgWire.Types.Arrays;

namespace PgWire.Tests.Types.Arrays;

/// <summary>The array codecs without a server: text parsing, malformed binary, write shapes, conversions, text-format elements.</summary>
public sealed class ArrayCodecTests
{
    private static readonly PgTypeCodec Int4Array = PgTypeRegistry.Default.ForOid(1007);
    private static readonly PgTypeCodec TextArray = PgTypeRegistry.Default.ForOid(1009);

    private static T ReadText<T>(PgTypeCodec codec, string text) => ((IPgReader<T>)codec).Read(Encoding.UTF8.GetBytes(text), binary: false);

    private static byte[] Encode(PgTypeCodec codec, object value)
    {
        var bytes = new byte[codec.GetLength(value)];
        codec.Write(value, bytes);
        return bytes;
    }

    [Fact]
    public void The_text_form_with_white_space_a_dimension_decoration_and_quotes_parses()
    {
        var matrix = ReadText<int?[,]>(Int4Array, "  [0:1][1:2] = { { 1 , 2 } , { \"3\" , NULL } }  ");
        Assert.Equal(new int?[,] { { 1, 2 }, { 3, null } }, matrix);
    }

    [Fact]
    public void In_text_only_an_unquoted_unescaped_NULL_is_NULL()
    {
        var values = ReadText<string?[]>(TextArray, "{\"NULL\",null,NuLl,\\NULL,\"\",\"a\\\"b\\\\c\"}");
        Assert.Equal(new[] { "NULL", null, null, "NULL", "", "a\"b\\c" }, values);
    }

    [Fact]
    public void In_text_an_unquoted_element_loses_trailing_white_space_but_keeps_an_escaped_one()
    {
        Assert.Equal(["a b", "c "], ReadText<string[]>(TextArray, "{ a b ,c\\ }"));
    }

    [Theory]
    [InlineData("{{1,2},{3}}")]
    [InlineData("{{1,2},3}")]
    [InlineData("{1,2")]
    [InlineData("{1,,2}")]
    [InlineData("[1:3]={1,2}")]
    [InlineData("1,2")]
    public void A_malformed_text_array_is_a_protocol_error(string text)
    {
        Assert.Throws<PgProtocolException>(() => ReadText<int[]>(Int4Array, text));
    }

    [Fact]
    public void A_binary_array_claiming_more_elements_than_its_bytes_hold_is_refused_before_allocating()
    {
        var bytes = Header(rank: 1, elementOid: 23, (1_000_000_000, 1));
        var e = Assert.Throws<PgProtocolException>(() => ((IPgReader<int[]>)Int4Array).Read(bytes, binary: true));
        Assert.Contains("more elements than its bytes hold", e.Message);
    }

    [Fact]
    public void Binary_arrays_with_a_lying_element_length_trailing_bytes_or_another_element_type_are_refused()
    {
        var reader = (IPgReader<int[]>)Int4Array;
        byte[] good = Encode(Int4Array, new[] { 7 });
        Assert.Equal(new[] { 7 }, reader.Read(good, binary: true));

        var lying = (byte[])good.Clone();
        BinaryPrimitives.WriteInt32BigEndian(lying.AsSpan(20), 5);
        Assert.Throws<PgProtocolException>(() => reader.Read(lying, binary: true));
        Assert.Throws<PgProtocolException>(() => reader.Read([.. good, 0], binary: true));
        var otherType = (byte[])good.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(otherType.AsSpan(8), 20);
        Assert.Throws<PgProtocolException>(() => reader.Read(otherType, binary: true));
        Assert.Throws<PgProtocolException>(() => reader.Read(Header(rank: 7, elementOid: 23), binary: true));
    }

    private static byte[] Header(int rank, uint elementOid, params (int Length, int LowerBound)[] dimensions)
    {
        var bytes = new byte[12 + 8 * dimensions.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, rank);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(8), elementOid);
        for (int d = 0; d < dimensions.Length; d++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12 + 8 * d), dimensions[d].Length);
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(16 + 8 * d), dimensions[d].LowerBound);
        }
        return bytes;
    }

    public static TheoryData<object, int?[]> Shapes => new()
    {
        { new[] { 1, 2, 3 }, [1, 2, 3] },
        { new List<int> { 4, 5 }, [4, 5] },
        { new int?[] { 1, null }, [1, null] },
        { new List<int?> { null }, [null] },
        { new[,] { { 1, 2 }, { 3, 4 } }, [1, 2, 3, 4] },
        { new long[] { 1, -2 }, [1, -2] },
        { new HashSet<int> { 9 }, [9] },
        { new object?[] { 1, null, (short)3, DBNull.Value }, [1, null, 3, null] },
        { new LinkedList<int?>([null, 6]), [null, 6] },
        { Array.Empty<int>(), [] },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_collection_shape_writes_exactly_its_length_and_reads_back(object value, int?[] expected)
    {
        byte[] bytes = Encode(Int4Array, value);
        Assert.Equal(expected, ((IPgReader<Array>)Int4Array).Read(bytes, binary: true).Cast<int?>());
    }

    [Fact]
    public void A_value_a_element_cannot_hold_is_refused_while_measuring()
    {
        var e = Assert.Throws<PgConversionException>(() => Int4Array.GetLength(new[] { 1L, long.MaxValue }));
        Assert.Equal(PgErrorCodes.NumericValueOutOfRange, e.SqlState);
        Assert.Throws<PgConversionException>(() => Int4Array.GetLength(new[] { "1" }));
        Assert.Throws<PgConversionException>(() => Int4Array.GetLength(42));
    }

    [Fact]
    public void More_than_six_dimensions_are_refused()
    {
        var e = Assert.Throws<PgConversionException>(() => Int4Array.GetLength(Array.CreateInstance(typeof(int), 1, 1, 1, 1, 1, 1, 1)));
        Assert.Equal(PgErrorCodes.ProgramLimitExceeded, e.SqlState);
        Assert.Equal(new[] { 5 }, ((IPgReader<Array>)Int4Array).Read(Encode(Int4Array, new int[,,,,,] { { { { { { 5 } } } } } }), true).Cast<int>());
    }

    [Fact]
    public void An_array_reads_as_collections_of_any_type_its_element_codec_reads()
    {
        var generic = Assert.IsAssignableFrom<IPgGenericReader>(Int4Array);
        byte[] bytes = Encode(Int4Array, new int?[] { 1, null, 3 });
        T Read<T>(byte[] data) => generic.TryRead(data, binary: true, out T value) ? value : throw new InvalidCastException(typeof(T).Name);
        Assert.Equal(new long?[] { 1, null, 3 }, Read<long?[]>(bytes));
        Assert.Equal(new decimal?[] { 1, null, 3 }, Read<List<decimal?>>(bytes));
        Assert.Equal(new short?[] { 1, null, 3 }, Read<IList<short?>>(bytes));
        Assert.Throws<PgConversionException>(() => Read<double[]>(bytes));
        Assert.False(generic.TryRead(bytes, binary: true, out DateTime[] _));
        Assert.False(generic.TryRead(bytes, binary: true, out string _));
        Assert.Throws<PgConversionException>(() => Read<short[]>(Encode(Int4Array, new[] { 70000 })));
    }

    [Fact]
    public void Over_an_element_codec_that_writes_text_the_array_is_written_in_the_text_form()
    {
        var element = new TextCodec(PgOids.Text, "text", binaryResults: false, parameterFormat: 0);
        var codec = ArrayCodecFactory.Create(element, 1009);
        Assert.Equal(0, codec.ParameterFormat);
        Assert.False(codec.BinaryResults);
        Assert.Equal("{\"a\",\"b c\",\"q\\\"\\\\\",\"NULL\",NULL}", Encoding.UTF8.GetString(Encode(codec, new[] { "a", "b c", "q\"\\", "NULL", null })));
        Assert.Equal("{{\"1\",\"2\"},{\"3\",\"4\"}}", Encoding.UTF8.GetString(Encode(codec, new[,] { { "1", "2" }, { "3", "4" } })));
        Assert.Equal("{}", Encoding.UTF8.GetString(Encode(codec, new List<string>())));
        Assert.Equal(new[] { "x", null }, ((IPgReader<string?[]>)codec).Read("{x,NULL}"u8, binary: false));
    }

    [Fact]
    public void Any_text_either_parses_or_is_a_protocol_error()
    {
        Gen.Char["{},\"\\ NULnul[]:=-019a\t"].Array[0, 24].Select(chars => new string(chars)).Sample(text =>
        {
            try
            {
                ReadText<int?[]>(Int4Array, text);
            }
            catch (PgProtocolException)
            {
            }
            catch (PgConversionException)
            {
                // A well-formed array of the wrong shape or with an element that is not an integer.
            }
        }, iter: 5000);
    }

    [Fact]
    public void Any_bytes_either_read_or_are_a_protocol_or_conversion_error()
    {
        byte[] valid = Encode(Int4Array, new int?[,] { { 1, null }, { 3, 4 } });
        Gen.Int[0, valid.Length - 1].Select(Gen.Byte, Gen.Int[0, valid.Length]).Array[1, 4].Sample(edits =>
        {
            var bytes = (byte[])valid.Clone();
            int length = bytes.Length;
            foreach (var (index, value, cut) in edits)
            {
                bytes[index] = value;
                length = Math.Min(length, cut);
            }
            try
            {
                ((IPgReader<Array>)Int4Array).Read(bytes.AsSpan(0, length), binary: true);
            }
            catch (PgProtocolException)
            {
            }
        }, iter: 5000);
    }

    [Fact]
    public void Sending_an_int_array_allocates_nothing_and_reading_one_allocates_only_the_result()
    {
        int[] values = [1, 2, 3, 4];
        var buffer = new byte[256];
        void Send()
        {
            var codec = PgTypeRegistry.Default.ForValue(values)!;
            int length = codec.GetLength(values);
            codec.Write(values, buffer.AsSpan(0, length));
        }
        Send();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) Send();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        byte[] bytes = Encode(Int4Array, values);
        var reader = (IPgReader<int[]>)Int4Array;
        reader.Read(bytes, binary: true);
        before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) reader.Read(bytes, binary: true);
        // An int[4] is 40 bytes on 64-bit .NET.
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 1, 100 * 40);
    }
}
