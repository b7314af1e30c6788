using System.Buffers.Binary;
using System.Text;
using PgWire.Protocol;
using PgWire.Protocol.Backend;

namespace PgWire.Tests.Protocol;

/// <summary>
/// The backend message parsers and the read buffer believe no length: every lie a server can tell about the
/// size of a message or of a field inside it is a <see cref="PgProtocolException"/>, never a read past the end.
/// </summary>
public sealed class BackendMessageTests
{
    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", ""));

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private static byte[] CString(string text) => [.. Encoding.UTF8.GetBytes(text), 0];

    /// <summary>A framed backend message: type byte, Int32 length (itself included), body.</summary>
    private static byte[] Framed(char code, byte[] body)
    {
        var message = new byte[5 + body.Length];
        message[0] = (byte)code;
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(1), body.Length + 4);
        body.CopyTo(message, 5);
        return message;
    }

    private static (int[] Offsets, int[] Lengths) ParseDataRow(byte[] body, int expectedColumns)
    {
        var offsets = new int[expectedColumns];
        var lengths = new int[expectedColumns];
        DataRow.Parse(body, expectedColumns, offsets, lengths);
        return (offsets, lengths);
    }

    // ---- DataRow ----

    [Fact]
    public void DataRow_locates_each_column_and_gives_NULL_length_minus_one()
    {
        byte[] body = Hex("0002" + "00000002 6869" + "FFFFFFFF");

        var (offsets, lengths) = ParseDataRow(body, 2);

        Assert.Equal([6, 12], offsets);
        Assert.Equal([2, -1], lengths);
    }

    [Fact]
    public void DataRow_with_an_empty_column_gives_length_zero()
    {
        var (_, lengths) = ParseDataRow(Hex("0001 00000000"), 1);

        Assert.Equal([0], lengths);
    }

    [Fact]
    public void DataRow_column_length_running_past_the_message_end_is_refused()
    {
        byte[] body = Hex("0001" + "00000005 6162");

        Assert.Throws<PgProtocolException>(() => ParseDataRow(body, 1));
    }

    [Fact]
    public void DataRow_column_length_of_Int32_MaxValue_is_refused_not_wrapped()
    {
        byte[] body = Hex("0001" + "7FFFFFFF 6162");

        Assert.Throws<PgProtocolException>(() => ParseDataRow(body, 1));
    }

    [Fact]
    public void DataRow_first_column_length_of_Int32_MaxValue_is_refused_before_the_next_column_is_read()
    {
        byte[] body = Hex("0002" + "7FFFFFFF 6162" + "00000001 63");

        Assert.Throws<PgProtocolException>(() => ParseDataRow(body, 2));
    }

    [Theory]
    [InlineData("FFFFFFFE")] // -2
    [InlineData("80000000")] // int.MinValue
    public void DataRow_negative_column_length_other_than_minus_one_is_refused(string length)
    {
        byte[] body = Hex("0001" + length + "6162");

        Assert.Throws<PgProtocolException>(() => ParseDataRow(body, 1));
    }

    [Fact]
    public void DataRow_with_more_columns_than_the_RowDescription_announced_is_refused()
    {
        byte[] body = Hex("0002" + "00000001 61" + "00000001 62");

        Assert.Throws<PgProtocolException>(() => ParseDataRow(body, 1));
    }

    [Fact]
    public void DataRow_with_fewer_columns_than_the_RowDescription_announced_is_refused()
    {
        byte[] body = Hex("0001" + "00000001 61");

        Assert.Throws<PgProtocolException>(() => ParseDataRow(body, 2));
    }

    [Fact]
    public void DataRow_with_trailing_bytes_after_the_last_column_is_refused()
    {
        byte[] body = Hex("0001" + "00000001 61" + "7A");

        Assert.Throws<PgProtocolException>(() => ParseDataRow(body, 1));
    }

    [Fact]
    public void DataRow_too_short_to_hold_its_column_count_is_refused()
    {
        Assert.Throws<PgProtocolException>(() => ParseDataRow(Hex("00"), 0));
    }

    [Fact]
    public void DataRow_whose_column_length_word_is_cut_off_is_refused()
    {
        Assert.Throws<PgProtocolException>(() => ParseDataRow(Hex("0001 0000"), 1));
    }

    // ---- RowDescription ----

    private static byte[] Field(string name, uint typeOid, short format = 0) =>
    [
        .. CString(name),
        .. Hex("00004001"),      // table OID 16385
        .. Hex("0002"),          // column attribute number 2
        .. BigEndian(typeOid),
        .. Hex("0004"),          // type size 4
        .. Hex("FFFFFFFF"),      // type modifier -1
        .. Hex(format.ToString("X4")),
    ];

    private static byte[] BigEndian(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    [Fact]
    public void RowDescription_reads_every_field_of_every_column()
    {
        byte[] body = [.. Hex("0002"), .. Field("id", 23), .. Field("name", 25, format: 1)];

        var description = RowDescription.Parse(body);

        Assert.Equal(2, description.Count);
        var id = description.Fields[0];
        Assert.Equal(("id", 16385u, (short)2, 23u, (short)4, -1, (short)0),
            (id.Name, id.TableOid, id.ColumnAttributeNumber, id.TypeOid, id.TypeSize, id.TypeModifier, id.FormatCode));
        Assert.Equal(("name", 25u, (short)1), (description.Fields[1].Name, description.Fields[1].TypeOid, description.Fields[1].FormatCode));
    }

    [Fact]
    public void RowDescription_with_a_field_count_larger_than_the_body_can_hold_is_refused()
    {
        byte[] body = [.. Hex("FFFF"), .. Field("id", 23)];

        Assert.Throws<PgProtocolException>(() => RowDescription.Parse(body));
    }

    [Fact]
    public void RowDescription_with_one_field_more_than_it_carries_is_refused()
    {
        // The second "field" is 19 bytes of padding: enough for the cheap size check, not a field.
        byte[] body = [.. Hex("0002"), .. Field("id", 23), .. Enumerable.Repeat((byte)'x', 19)];

        Assert.Throws<PgProtocolException>(() => RowDescription.Parse(body));
    }

    [Fact]
    public void RowDescription_with_an_unknown_format_code_is_refused()
    {
        byte[] body = [.. Hex("0001"), .. Field("id", 23, format: 2)];

        Assert.Throws<PgProtocolException>(() => RowDescription.Parse(body));
    }

    [Fact]
    public void RowDescription_with_trailing_bytes_is_refused()
    {
        byte[] body = [.. Hex("0001"), .. Field("id", 23), 0];

        Assert.Throws<PgProtocolException>(() => RowDescription.Parse(body));
    }

    // ---- ErrorResponse and NoticeResponse ----

    private static byte[] ErrorFields(params (char Code, string Value)[] fields) =>
        [.. fields.SelectMany(f => (byte[])[(byte)f.Code, .. CString(f.Value)]), 0];

    [Fact]
    public void ErrorResponse_reads_every_documented_field()
    {
        byte[] body = ErrorFields(
            ('S', "ERREUR"), ('V', "ERROR"), ('C', "23505"), ('M', "duplicate key"), ('D', "Key (id)=(1) exists."),
            ('H', "Use another id."), ('P', "15"), ('p', "3"), ('q', "SELECT 1"), ('W', "PL/pgSQL function f()"),
            ('s', "public"), ('t', "users"), ('c', "id"), ('d', "int4"), ('n', "users_pkey"), ('F', "nbtinsert.c"),
            ('L', "666"), ('R', "_bt_check_unique"));

        var f = ErrorOrNoticeFields.Parse(body, BackendMessageCode.ErrorResponse);

        Assert.Equal("ERREUR", f.Severity);
        Assert.Equal("ERROR", f.InvariantSeverity);
        Assert.Equal("23505", f.SqlState);
        Assert.Equal("duplicate key", f.Message);
        Assert.Equal("Key (id)=(1) exists.", f.Detail);
        Assert.Equal("Use another id.", f.Hint);
        Assert.Equal(15, f.Position);
        Assert.Equal(3, f.InternalPosition);
        Assert.Equal("SELECT 1", f.InternalQuery);
        Assert.Equal("PL/pgSQL function f()", f.Where);
        Assert.Equal("public", f.SchemaName);
        Assert.Equal("users", f.TableName);
        Assert.Equal("id", f.ColumnName);
        Assert.Equal("int4", f.DataTypeName);
        Assert.Equal("users_pkey", f.ConstraintName);
        Assert.Equal("nbtinsert.c", f.File);
        Assert.Equal("666", f.Line);
        Assert.Equal("_bt_check_unique", f.Routine);
    }

    [Fact]
    public void ErrorResponse_ignores_field_codes_it_does_not_know()
    {
        byte[] body = ErrorFields(('S', "ERROR"), ('Z', "from a future server"), ('C', "42P01"), ('M', "no table"), ('!', "?"));

        var f = ErrorOrNoticeFields.Parse(body, BackendMessageCode.ErrorResponse);

        Assert.Equal(("ERROR", "42P01", "no table"), (f.Severity, f.SqlState, f.Message));
    }

    [Fact]
    public void ErrorResponse_without_V_takes_the_invariant_severity_from_S()
    {
        byte[] body = ErrorFields(('S', "FATAL"), ('C', "28P01"), ('M', "password authentication failed"));

        Assert.Equal("FATAL", ErrorOrNoticeFields.Parse(body, BackendMessageCode.ErrorResponse).InvariantSeverity);
    }

    [Fact]
    public void ErrorResponse_without_its_final_terminator_is_refused()
    {
        byte[] body = [.. ErrorFields(('S', "ERROR"), ('M', "x"))[..^1]];

        Assert.Throws<PgProtocolException>(() => ErrorOrNoticeFields.Parse(body, BackendMessageCode.ErrorResponse));
    }

    [Fact]
    public void ErrorResponse_field_without_its_NUL_is_refused()
    {
        byte[] body = [(byte)'M', .. Ascii("no end")];

        Assert.Throws<PgProtocolException>(() => ErrorOrNoticeFields.Parse(body, BackendMessageCode.ErrorResponse));
    }

    [Fact]
    public void ErrorResponse_field_that_is_not_UTF8_is_refused()
    {
        byte[] body = [(byte)'M', 0xC3, 0x28, 0, 0];

        Assert.Throws<PgProtocolException>(() => ErrorOrNoticeFields.Parse(body, BackendMessageCode.ErrorResponse));
    }

    // ---- CommandComplete ----

    [Theory]
    [InlineData("INSERT 0 5", 5)]
    [InlineData("UPDATE 3", 3)]
    [InlineData("DELETE 0", 0)]
    [InlineData("SELECT 100000", 100_000)]
    [InlineData("CREATE TABLE", -1)]
    [InlineData("COPY 7", 7)]
    [InlineData("MERGE 2", 2)]
    [InlineData("FETCH 4", 4)]
    [InlineData("MOVE 6", 6)]
    [InlineData("BEGIN", -1)]
    [InlineData("SELECT 9223372036854775807", long.MaxValue)]
    public void CommandComplete_row_count_is_read_from_the_tag(string tag, long rows)
    {
        Assert.Equal(rows, CommandComplete.ParseRowCount(CString(tag)));
    }

    [Fact]
    public void CommandComplete_tag_is_read_whole()
    {
        Assert.Equal("INSERT 0 5", CommandComplete.ParseTag(CString("INSERT 0 5")));
    }

    [Fact]
    public void CommandComplete_without_its_NUL_is_refused()
    {
        Assert.Throws<PgProtocolException>(() => CommandComplete.ParseRowCount(Ascii("SELECT 1")));
    }

    // ---- ReadyForQuery ----

    [Theory]
    [InlineData('I', "Idle")]
    [InlineData('T', "InTransaction")]
    [InlineData('E', "Failed")]
    public void ReadyForQuery_reads_the_transaction_status(char status, string expected)
    {
        Assert.Equal(Enum.Parse<TransactionStatus>(expected), ReadyForQuery.Parse([(byte)status]));
    }

    [Theory]
    [InlineData('X')]
    [InlineData('i')]
    [InlineData('\0')]
    public void ReadyForQuery_with_an_unknown_status_byte_is_refused(char status)
    {
        Assert.Throws<PgProtocolException>(() => ReadyForQuery.Parse([(byte)status]));
    }

    [Fact]
    public void ReadyForQuery_with_an_extra_byte_is_refused()
    {
        Assert.Throws<PgProtocolException>(() => ReadyForQuery.Parse(Ascii("II")));
    }

    [Fact]
    public void ReadyForQuery_without_a_status_is_refused()
    {
        Assert.Throws<PgProtocolException>(() => ReadyForQuery.Parse([]));
    }

    // ---- Other messages whose counts could lie ----

    [Fact]
    public void ParameterDescription_with_a_count_that_does_not_match_its_length_is_refused()
    {
        Assert.Throws<PgProtocolException>(() => ParameterDescription.Parse(Hex("0003 00000017 00000019")));
    }

    [Fact]
    public void ParameterDescription_reads_each_oid()
    {
        Assert.Equal([23u, 25u], ParameterDescription.Parse(Hex("0002 00000017 00000019")));
    }

    [Fact]
    public void AuthenticationMD5Password_with_a_short_salt_is_refused()
    {
        Assert.Throws<PgProtocolException>(() => AuthenticationRequest.Parse(Hex("00000005 010203")));
    }

    [Fact]
    public void AuthenticationSASL_mechanism_list_without_its_final_terminator_is_refused()
    {
        Assert.Throws<PgProtocolException>(() => AuthenticationRequest.ParseMechanisms(CString("SCRAM-SHA-256")));
    }

    [Fact]
    public void BackendKeyData_with_trailing_bytes_is_refused()
    {
        Assert.Throws<PgProtocolException>(() => BackendKeyData.Parse(Hex("00000001 00000002 00")));
    }

    // ---- ReadBuffer: framing ----

    private static async Task<(char Code, byte[] Body)> ReadOne(ReadBuffer buffer, bool async)
    {
        await buffer.ReadMessageAsync(async, CancellationToken.None);
        return ((char)buffer.MessageCode, buffer.MessageBody.ToArray());
    }

    private static async Task AssertNextAsync(ReadBuffer buffer, bool async, char code, byte[] body)
    {
        var (readCode, readBody) = await ReadOne(buffer, async);
        Assert.Equal(code, readCode);
        Assert.Equal(body, readBody);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReadBuffer_returns_each_message_type_and_body_in_order(bool async)
    {
        byte[] bytes = [.. Framed('1', []), .. Framed('Z', Ascii("I"))];
        using var buffer = new ReadBuffer(new MemoryStream(bytes));

        await AssertNextAsync(buffer, async, '1', Array.Empty<byte>());
        await AssertNextAsync(buffer, async, 'Z', Ascii("I"));
    }

    [Theory]
    [InlineData("00000003", true)]
    [InlineData("00000003", false)]
    [InlineData("00000000", true)]
    [InlineData("FFFFFFFF", true)]  // -1
    [InlineData("FFFFFFFF", false)]
    [InlineData("80000000", true)]  // int.MinValue
    [InlineData("40000000", true)]  // 1 GiB: more than the server can build
    [InlineData("40000000", false)]
    [InlineData("7FFFFFFF", true)]
    public async Task ReadBuffer_refuses_a_message_length_no_server_can_send(string length, bool async)
    {
        byte[] bytes = [(byte)'D', .. Hex(length), .. new byte[16]];
        using var buffer = new ReadBuffer(new MemoryStream(bytes));

        await Assert.ThrowsAsync<PgProtocolException>(() => ReadOne(buffer, async));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReadBuffer_stream_ending_mid_message_is_a_connection_failure(bool async)
    {
        byte[] bytes = [.. Framed('C', CString("SELECT 1"))[..8]];
        using var buffer = new ReadBuffer(new MemoryStream(bytes));

        await Assert.ThrowsAsync<PgConnectionException>(() => ReadOne(buffer, async));
    }

    [Fact]
    public async Task ReadBuffer_stream_ending_mid_header_is_a_connection_failure()
    {
        using var buffer = new ReadBuffer(new MemoryStream(Hex("5A 0000")));

        await Assert.ThrowsAsync<PgConnectionException>(() => ReadOne(buffer, async: true));
    }

    [Fact]
    public async Task ReadBuffer_stream_ending_between_messages_is_a_connection_failure_on_the_next_read()
    {
        using var buffer = new ReadBuffer(new MemoryStream(Framed('Z', Ascii("I"))));
        await ReadOne(buffer, async: true);

        await Assert.ThrowsAsync<PgConnectionException>(() => ReadOne(buffer, async: true));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReadBuffer_stream_failing_with_an_IOException_is_a_connection_failure(bool async)
    {
        using var buffer = new ReadBuffer(new FailingStream());

        var error = await Assert.ThrowsAsync<PgConnectionException>(() => ReadOne(buffer, async));
        Assert.IsType<IOException>(error.InnerException);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReadBuffer_reassembles_messages_arriving_one_byte_per_read(bool async)
    {
        byte[] bytes = [.. Framed('C', CString("INSERT 0 1")), .. Framed('Z', Ascii("T"))];
        using var buffer = new ReadBuffer(new OneBytePerReadStream(bytes));

        await AssertNextAsync(buffer, async, 'C', CString("INSERT 0 1"));
        await AssertNextAsync(buffer, async, 'Z', Ascii("T"));
    }

    private static byte[] LargeDataRowBody(int valueLength)
    {
        var body = new byte[2 + 4 + valueLength];
        BinaryPrimitives.WriteUInt16BigEndian(body, 1);
        BinaryPrimitives.WriteInt32BigEndian(body.AsSpan(2), valueLength);
        for (int i = 0; i < valueLength; i++) body[6 + i] = (byte)(i * 7 + 3);
        return body;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReadBuffer_reads_a_message_larger_than_its_8_KiB_buffer_whole(bool async)
    {
        byte[] body = LargeDataRowBody(100_000);
        using var buffer = new ReadBuffer(new MemoryStream(Framed('D', body)));

        var (code, read) = await ReadOne(buffer, async);

        Assert.Equal('D', code);
        Assert.Equal(body, read);
    }

    [Fact]
    public async Task ReadBuffer_reads_the_messages_around_a_large_one_intact()
    {
        byte[] body = LargeDataRowBody(100_000);
        byte[] bytes = [.. Framed('2', []), .. Framed('D', body), .. Framed('C', CString("SELECT 1")), .. Framed('Z', Ascii("I"))];
        using var buffer = new ReadBuffer(new MemoryStream(bytes));

        await AssertNextAsync(buffer, async: true, '2', Array.Empty<byte>());
        await AssertNextAsync(buffer, async: true, 'D', body);
        await AssertNextAsync(buffer, async: true, 'C', CString("SELECT 1"));
        await AssertNextAsync(buffer, async: true, 'Z', Ascii("I"));
    }

    [Fact]
    public async Task ReadBuffer_reads_a_large_message_arriving_in_small_reads()
    {
        byte[] body = LargeDataRowBody(20_000);
        using var buffer = new ReadBuffer(new ChunkedStream([.. Framed('D', body), .. Framed('Z', Ascii("I"))], chunk: 1000));

        await AssertNextAsync(buffer, async: true, 'D', body);
        await AssertNextAsync(buffer, async: true, 'Z', Ascii("I"));
    }

    /// <summary>Returns at most one byte per read, the worst a socket may do.</summary>
    private sealed class OneBytePerReadStream(byte[] bytes) : ChunkedStream(bytes, chunk: 1);

    /// <summary>Returns at most <c>chunk</c> bytes per read.</summary>
    private class ChunkedStream(byte[] bytes, int chunk) : Stream
    {
        private int _position;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n = Math.Min(Math.Min(chunk, buffer.Length), bytes.Length - _position);
            bytes.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Yield(); // each read completes asynchronously, as on a socket waiting for data
            return Read(buffer.Span);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A transport that fails as a reset socket does.</summary>
    private sealed class FailingStream : ChunkedStream
    {
        public FailingStream() : base([], 1) { }

        public override int Read(Span<byte> buffer) => throw new IOException("Connection reset by peer");
    }
}
