using PgWire.Protocol;
using PgWire.Protocol.Frontend;

namespace PgWire.Tests.Protocol;

/// <summary>
/// Each frontend message against the bytes of the PostgreSQL documentation, "Message Formats".
/// The expected bytes are written out by hand; none of them is produced by the code under test.
/// </summary>
public sealed class FrontendMessageTests
{
    private static byte[] Encode(Action<WriteBuffer> write)
    {
        using var buffer = new WriteBuffer();
        write(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Hex with optional spaces, so that the fields of a message can be laid out one by one.</summary>
    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", ""));

    // ---- Untyped messages (sent before or instead of the startup) ----

    [Fact]
    public void StartupMessage_is_length_protocol_3_0_name_value_pairs_and_a_final_zero()
    {
        byte[] bytes = Encode(b => StartupMessage.Write(b, [new("user", "u"), new("database", "d")]));

        byte[] expected = Hex(
            "0000001B" +                    // length 27, itself included
            "00030000" +                    // 196608: protocol 3.0
            "7573657200" + "7500" +         // "user" "u"
            "646174616261736500" + "6400" + // "database" "d"
            "00");                          // end of the parameters
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void StartupMessage_without_parameters_is_nine_bytes()
    {
        byte[] bytes = Encode(b => StartupMessage.Write(b, []));

        Assert.Equal(Hex("00000009 00030000 00"), bytes);
    }

    [Fact]
    public void SSLRequest_is_eight_bytes_with_the_code_80877103()
    {
        byte[] bytes = Encode(SSLRequest.Write);

        Assert.Equal(new byte[] { 0x00, 0x00, 0x00, 0x08, 0x04, 0xD2, 0x16, 0x2F }, bytes);
    }

    [Fact]
    public void CancelRequest_is_sixteen_bytes_with_the_code_80877102_process_id_and_secret_key()
    {
        byte[] bytes = Encode(b => CancelRequest.Write(b, processId: 0x01020304, secretKey: unchecked((int)0xA1B2C3D4)));

        Assert.Equal(Hex("00000010 04D2162E 01020304 A1B2C3D4"), bytes);
    }

    // ---- Authentication responses ----

    [Fact]
    public void PasswordMessage_is_the_password_null_terminated()
    {
        byte[] bytes = Encode(b => PasswordMessage.Write(b, "pw"u8));

        Assert.Equal(Hex("70 00000007 707700"), bytes);
    }

    [Fact]
    public void PasswordMessage_refuses_a_password_with_a_NUL()
    {
        using var buffer = new WriteBuffer();

        Assert.Throws<ArgumentException>(() => PasswordMessage.Write(buffer, "p\0w"u8));
        Assert.Equal(0, buffer.Length);
    }

    [Fact]
    public void SASLInitialResponse_is_the_mechanism_then_the_data_length_then_the_data()
    {
        byte[] bytes = Encode(b => SASLInitialResponse.Write(b, "SCRAM-SHA-256", "n,,n=,r=abc"u8));

        byte[] expected = Hex(
            "70 00000021" +                                   // 'p', length 33
            "534352414D2D5348412D32353600" +                  // "SCRAM-SHA-256"
            "0000000B" +                                      // 11 bytes of data follow
            "6E2C2C6E3D2C723D616263");                        // "n,,n=,r=abc"
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void SASLInitialResponse_with_empty_data_writes_length_zero_not_minus_one()
    {
        byte[] bytes = Encode(b => SASLInitialResponse.Write(b, "X", ReadOnlySpan<byte>.Empty));

        Assert.Equal(Hex("70 0000000A 5800 00000000"), bytes);
    }

    [Fact]
    public void SASLResponse_is_the_data_alone_without_a_terminator()
    {
        byte[] bytes = Encode(b => SASLResponse.Write(b, "c=biws"u8));

        Assert.Equal(Hex("70 0000000A 633D62697773"), bytes);
    }

    // ---- Extended query protocol ----

    [Fact]
    public void Parse_without_parameter_types_ends_with_a_zero_count()
    {
        byte[] bytes = Encode(b => Parse.Write(b, "", "SELECT 1", []));

        Assert.Equal(Hex("50 00000010 00 53454C4543542031 00 0000"), bytes);
    }

    [Fact]
    public void Parse_with_parameter_types_writes_the_count_and_each_oid_as_int32()
    {
        byte[] bytes = Encode(b => Parse.Write(b, "s1", "SELECT $1, $2", [23u, 25u]));

        byte[] expected = Hex(
            "50 0000001F" +                    // 'P', length 31
            "733100" +                         // statement "s1"
            "53454C4543542024312C20243200" +   // "SELECT $1, $2"
            "0002" + "00000017" + "00000019"); // 2 types: int4 (23), text (25)
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void Parse_writes_an_oid_above_two_to_the_31_unsigned()
    {
        byte[] bytes = Encode(b => Parse.Write(b, "", "", [0xFFFFFFFEu]));

        Assert.Equal(Hex("50 0000000C 00 00 0001 FFFFFFFE"), bytes);
    }

    [Fact]
    public void Bind_without_parameters_writes_three_zero_counts()
    {
        byte[] bytes = Encode(b => Bind.Write(b, "", "", new Params(), []));

        Assert.Equal(Hex("42 0000000C 00 00 0000 0000 0000"), bytes);
    }

    [Fact]
    public void Bind_with_mixed_formats_writes_one_format_code_per_parameter()
    {
        var parameters = new Params(Params.Text("ab"), Params.Binary(0x00, 0x00, 0x00, 0x05));

        byte[] bytes = Encode(b => Bind.Write(b, "", "", parameters, []));

        byte[] expected = Hex(
            "42 0000001E" +            // 'B', length 30
            "00 00" +                  // portal "", statement ""
            "0002 0000 0001" +         // 2 format codes: text, binary
            "0002" +                   // 2 parameters
            "00000002 6162" +          // "ab"
            "00000004 00000005" +      // int4 5
            "0000");                   // no result format codes
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void Bind_with_all_parameters_binary_writes_the_single_format_code_1()
    {
        var parameters = new Params(Params.Binary(0x01), Params.Binary(0x02, 0x03));

        byte[] bytes = Encode(b => Bind.Write(b, "", "", parameters, []));

        byte[] expected = Hex(
            "42 00000019" +
            "00 00" +
            "0001 0001" +              // one format code, binary, for all
            "0002" +
            "00000001 01" +
            "00000002 0203" +
            "0000");
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void Bind_with_all_parameters_text_writes_no_format_codes()
    {
        var parameters = new Params(Params.Text("1"), Params.Text("xy"));

        byte[] bytes = Encode(b => Bind.Write(b, "", "", parameters, []));

        byte[] expected = Hex(
            "42 00000017" +
            "00 00" +
            "0000" +                   // zero format codes: all text
            "0002" +
            "00000001 31" +
            "00000002 7879" +
            "0000");
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void Bind_writes_a_NULL_parameter_as_length_minus_one_and_no_bytes()
    {
        var parameters = new Params(Params.Null(), Params.Text("z"));

        byte[] bytes = Encode(b => Bind.Write(b, "", "", parameters, []));

        byte[] expected = Hex(
            "42 00000015" +
            "00 00" +
            "0000" +
            "0002" +
            "FFFFFFFF" +               // NULL: -1 and nothing after it
            "00000001 7A" +
            "0000");
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void Bind_writes_an_empty_value_as_length_zero_which_is_not_NULL()
    {
        byte[] bytes = Encode(b => Bind.Write(b, "", "", new Params(Params.Text("")), []));

        Assert.Equal(Hex("42 00000010 00 00 0000 0001 00000000 0000"), bytes);
    }

    [Fact]
    public void Bind_writes_the_result_format_codes_after_the_values()
    {
        byte[] bytes = Encode(b => Bind.Write(b, "p1", "s1", new Params(), [0, 1]));

        byte[] expected = Hex(
            "42 00000014" +
            "703100 733100" +          // portal "p1", statement "s1"
            "0000 0000" +              // no format codes, no parameters
            "0002 0000 0001");         // result formats: text, binary
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void Bind_with_a_single_result_format_code_writes_count_one()
    {
        byte[] bytes = Encode(b => Bind.Write(b, "", "", new Params(), [1]));

        Assert.Equal(Hex("42 0000000E 00 00 0000 0000 0001 0001"), bytes);
    }

    [Fact]
    public void Describe_of_a_statement_is_S_and_the_name()
    {
        byte[] bytes = Encode(b => Describe.Write(b, Describe.Statement, "stmt"));

        Assert.Equal(Hex("44 0000000A 53 73746D7400"), bytes);
    }

    [Fact]
    public void Describe_of_the_unnamed_portal_is_P_and_an_empty_name()
    {
        byte[] bytes = Encode(b => Describe.Write(b, Describe.Portal, ""));

        Assert.Equal(Hex("44 00000006 50 00"), bytes);
    }

    [Fact]
    public void Execute_writes_the_portal_and_the_row_limit()
    {
        byte[] bytes = Encode(b => Execute.Write(b, "", 1));

        Assert.Equal(Hex("45 00000009 00 00000001"), bytes);
    }

    [Fact]
    public void Execute_with_row_limit_zero_means_all_rows()
    {
        byte[] bytes = Encode(b => Execute.Write(b, "p", 0));

        Assert.Equal(Hex("45 0000000A 7000 00000000"), bytes);
    }

    [Fact]
    public void Close_of_a_statement_is_S_and_the_name()
    {
        byte[] bytes = Encode(b => Close.Write(b, (byte)'S', "s1"));

        Assert.Equal(Hex("43 00000008 53 733100"), bytes);
    }

    [Fact]
    public void Close_of_a_portal_is_P_and_the_name()
    {
        byte[] bytes = Encode(b => Close.Write(b, (byte)'P', ""));

        Assert.Equal(Hex("43 00000006 50 00"), bytes);
    }

    [Fact]
    public void Sync_is_S_and_length_4()
    {
        Assert.Equal(new byte[] { (byte)'S', 0, 0, 0, 4 }, Encode(Sync.Write));
    }

    [Fact]
    public void Flush_is_H_and_length_4()
    {
        Assert.Equal(new byte[] { (byte)'H', 0, 0, 0, 4 }, Encode(Flush.Write));
    }

    [Fact]
    public void Terminate_is_X_and_length_4()
    {
        Assert.Equal(new byte[] { (byte)'X', 0, 0, 0, 4 }, Encode(Terminate.Write));
    }

    [Fact]
    public void Query_is_the_SQL_null_terminated()
    {
        byte[] bytes = Encode(b => Query.Write(b, "SELECT 1"));

        Assert.Equal(Hex("51 0000000D 53454C454354203100"), bytes);
    }

    [Fact]
    public void Query_encodes_the_SQL_as_UTF8_and_counts_bytes_not_characters()
    {
        byte[] bytes = Encode(b => Query.Write(b, "é"));

        Assert.Equal(Hex("51 00000007 C3A900"), bytes);
    }

    [Fact]
    public void Messages_written_one_after_another_are_buffered_back_to_back()
    {
        byte[] bytes = Encode(b =>
        {
            Execute.Write(b, "", 0);
            Sync.Write(b);
        });

        Assert.Equal(Hex("45 00000009 00 00000000" + "53 00000004"), bytes);
    }

    // ---- The choke point: nothing oversized is ever buffered ----

    [Fact]
    public void CheckMessageLength_refuses_a_body_of_1_GiB()
    {
        Assert.Throws<PgProtocolException>(() => WriteBuffer.CheckMessageLength(1L << 30));
    }

    [Fact]
    public void CheckMessageLength_refuses_a_body_of_1_GiB_minus_4_whose_length_word_makes_it_1_GiB()
    {
        Assert.Throws<PgProtocolException>(() => WriteBuffer.CheckMessageLength((1L << 30) - 4));
    }

    [Fact]
    public void CheckMessageLength_accepts_a_body_of_1_GiB_minus_5()
    {
        Assert.Null(Record.Exception(() => WriteBuffer.CheckMessageLength((1L << 30) - 5)));
    }

    [Fact]
    public void CheckMessageLength_refuses_a_body_past_2_to_the_31_that_would_wrap_an_Int32()
    {
        Assert.Throws<PgProtocolException>(() => WriteBuffer.CheckMessageLength(0x1_0000_0010L));
    }

    [Fact]
    public void CheckMessageLength_refuses_a_negative_body_length()
    {
        Assert.Throws<PgProtocolException>(() => WriteBuffer.CheckMessageLength(-1));
    }

    [Fact]
    public void Bind_with_a_value_too_large_for_one_message_is_refused_before_anything_is_buffered()
    {
        using var buffer = new WriteBuffer();
        Sync.Write(buffer);
        var huge = new ClaimedLengthParams(0x3FFF_FFF0);

        Assert.Throws<PgProtocolException>(() => Bind.Write(buffer, "", "", huge, []));

        Assert.Equal(5, buffer.Length);
        Assert.False(huge.WriteWasCalled);
    }

    [Fact]
    public void Bind_whose_values_sum_past_2_to_the_31_is_refused_before_anything_is_buffered()
    {
        using var buffer = new WriteBuffer();
        var twoHalves = new ClaimedLengthParams(0x4000_0000, 0x4000_0000);

        Assert.Throws<PgProtocolException>(() => Bind.Write(buffer, "", "", twoHalves, []));

        Assert.Equal(0, buffer.Length);
        Assert.False(twoHalves.WriteWasCalled);
    }

    [Fact]
    public void Bind_with_65536_parameters_is_refused()
    {
        using var buffer = new WriteBuffer();

        Assert.Throws<PgProtocolException>(() => Bind.Write(buffer, "", "", new ClaimedLengthParams(new int[65_536]), []));
        Assert.Equal(0, buffer.Length);
    }

    [Fact]
    public void Parse_with_65536_parameter_types_is_refused()
    {
        using var buffer = new WriteBuffer();

        Assert.Throws<PgProtocolException>(() => Parse.Write(buffer, "", "SELECT 1", new uint[65_536]));
        Assert.Equal(0, buffer.Length);
    }

    [Fact]
    public void Parse_with_65535_parameter_types_writes_the_count_as_unsigned_FFFF()
    {
        using var buffer = new WriteBuffer();

        Parse.Write(buffer, "", "", new uint[65_535]);

        var written = buffer.WrittenSpan;
        Assert.Equal(1 + 4 + 1 + 1 + 2 + 4 * 65_535, written.Length);
        Assert.Equal(Hex("50 00040004 00 00 FFFF"), written[..9].ToArray());
    }

    [Fact]
    public void WriteCString_refuses_an_embedded_NUL_and_writes_nothing()
    {
        using var buffer = new WriteBuffer();

        Assert.Throws<ArgumentException>(() => buffer.WriteCString("SELECT 1\0; DROP TABLE t"));
        Assert.Equal(0, buffer.Length);
    }

    /// <summary>Parameters already in wire form, as the layer above hands them to Bind.</summary>
    private sealed class Params(params (short Format, byte[]? Bytes)[] values) : IBindParameters
    {
        public static (short, byte[]?) Text(string text) => (0, System.Text.Encoding.UTF8.GetBytes(text));

        public static (short, byte[]?) Binary(params byte[] bytes) => (1, bytes);

        public static (short, byte[]?) Null() => (0, null);

        public int Count => values.Length;

        public short GetFormatCode(int index) => values[index].Format;

        public int GetLength(int index) => values[index].Bytes?.Length ?? -1;

        public void Write(int index, Span<byte> destination) => values[index].Bytes.CopyTo(destination);

        public int WriteUnsized(int index, WriteBuffer buffer) => throw new InvalidOperationException("Every length is known.");
    }

    /// <summary>Binary parameters that only claim their lengths: the size check must come before any value is written.</summary>
    private sealed class ClaimedLengthParams(params int[] lengths) : IBindParameters
    {
        public bool WriteWasCalled { get; private set; }

        public int Count => lengths.Length;

        public short GetFormatCode(int index) => 1;

        public int GetLength(int index) => lengths[index];

        public void Write(int index, Span<byte> destination) => WriteWasCalled = true;

        public int WriteUnsized(int index, WriteBuffer buffer)
        {
            WriteWasCalled = true;
            return 0;
        }
    }
}
