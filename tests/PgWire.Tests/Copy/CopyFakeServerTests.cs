using System.Buffers.Binary;
using System.Data;
using PgWire.Tests.FakeServer;

namespace PgWire.Tests.Copy;

/// <summary>COPY data a real server would not send: a lying length must close the connection, never read past its message.</summary>
public sealed class CopyFakeServerTests : IAsyncLifetime
{
    private readonly FakePgServer _server = FakePgServer.Start();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static readonly byte[] Header = [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', 0x0A, 0xFF, 0x0D, 0x0A, 0x00, 0, 0, 0, 0, 0, 0, 0, 0];

    private async Task<PgBinaryExporter> BeginExportAsync(PgConnection conn)
    {
        // The old syntax: not a form whose column types PgWire looks up, so the COPY is the only message.
        var begin = conn.BeginBinaryExportAsync("COPY BINARY t TO STDOUT");
        await _server.ExpectMessageAsync('Q');
        await _server.SendAsync('H', [1, 0, 1, 0, 1]);
        return await FakePgServer.Bounded(begin);
    }

    private async Task<PgConnection> OpenAsync()
    {
        var conn = new PgConnection(_server.ConnectionString());
        var open = conn.OpenAsync();
        await _server.CompleteStartupAsync();
        await FakePgServer.Bounded(open);
        return conn;
    }

    [Fact]
    public async Task A_field_length_past_the_end_of_its_CopyData_is_a_protocol_error_that_closes_the_connection()
    {
        await using var conn = await OpenAsync();
        await using var exporter = await BeginExportAsync(conn);
        var row = new byte[Header.Length + 2 + 4 + 2];
        Header.CopyTo(row, 0);
        BinaryPrimitives.WriteInt16BigEndian(row.AsSpan(Header.Length), 1);
        BinaryPrimitives.WriteInt32BigEndian(row.AsSpan(Header.Length + 2), 100); // claims 100 bytes, 2 follow
        await _server.SendAsync('d', row);

        Assert.Equal(1, await FakePgServer.Bounded(exporter.StartRowAsync().AsTask()));
        var e = Assert.Throws<PgProtocolException>(() => exporter.Read<int>(PgDbType.Integer));

        Assert.Contains("field of 100 byte(s)", e.Message);
        Assert.Equal(ConnectionState.Broken, conn.State);
    }

    [Fact]
    public async Task A_CopyData_without_the_binary_signature_is_a_protocol_error_that_closes_the_connection()
    {
        await using var conn = await OpenAsync();
        await using var exporter = await BeginExportAsync(conn);
        await _server.SendAsync('d', "1\tnot binary\n"u8.ToArray());

        await Assert.ThrowsAsync<PgProtocolException>(() => FakePgServer.Bounded(exporter.StartRowAsync().AsTask()));

        Assert.Equal(ConnectionState.Broken, conn.State);
    }

    [Fact]
    public async Task A_CopyBothResponse_is_refused_as_unsupported_and_closes_the_connection()
    {
        await using var conn = await OpenAsync();
        var begin = conn.BeginRawBinaryCopyAsync("COPY BINARY t TO STDOUT");
        await _server.ExpectMessageAsync('Q');
        await _server.SendAsync('W', [1, 0, 0]);

        var e = await Assert.ThrowsAsync<PgProtocolException>(() => FakePgServer.Bounded(begin));

        Assert.Contains("COPY BOTH", e.Message);
        Assert.Equal(ConnectionState.Broken, conn.State);
    }
}
