using System.Buffers.Binary;
using System.Text;

namespace PgWire.Protocol;

/// <summary>
/// Reads the fields of one backend message body. Every length is checked against the message's own end,
/// so a lying length is a <see cref="PgProtocolException"/>, never a read into the next message.
/// </summary>
internal ref struct MessageReader
{
    private static readonly UTF8Encoding Utf8 = new(false, true);

    private readonly ReadOnlySpan<byte> _body;
    private readonly char _code;
    private int _position;

    public MessageReader(ReadOnlySpan<byte> body, byte code)
    {
        _body = body;
        _code = (char)code;
        _position = 0;
    }

    public int Position => _position;

    public int Remaining => _body.Length - _position;

    public bool AtEnd => _position == _body.Length;

    public byte ReadByte()
    {
        Need(1);
        return _body[_position++];
    }

    public short ReadInt16()
    {
        Need(2);
        short v = BinaryPrimitives.ReadInt16BigEndian(_body.Slice(_position));
        _position += 2;
        return v;
    }

    public ushort ReadUInt16() => (ushort)ReadInt16();

    public int ReadInt32()
    {
        Need(4);
        int v = BinaryPrimitives.ReadInt32BigEndian(_body.Slice(_position));
        _position += 4;
        return v;
    }

    public uint ReadUInt32() => (uint)ReadInt32();

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (count < 0) throw Violation($"a negative length ({count})");
        Need(count);
        var span = _body.Slice(_position, count);
        _position += count;
        return span;
    }

    /// <summary>A null-terminated string's bytes, without the terminator.</summary>
    public ReadOnlySpan<byte> ReadCStringBytes()
    {
        int end = _body.Slice(_position).IndexOf((byte)0);
        if (end < 0) throw Violation("a string without its terminating NUL");
        var span = _body.Slice(_position, end);
        _position += end + 1;
        return span;
    }

    public string ReadCString()
    {
        var bytes = ReadCStringBytes();
        try
        {
            return Utf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Violation("a string that is not valid UTF-8");
        }
    }

    /// <summary>Fails unless the whole body was consumed: trailing bytes mean the sender and we disagree on the format.</summary>
    public void ExpectEnd()
    {
        if (_position != _body.Length)
            throw Violation($"{_body.Length - _position} unexpected trailing byte(s)");
    }

    private void Need(int count)
    {
        if (_body.Length - _position < count)
            throw Violation($"a field that runs past the end of the message ({count} byte(s) needed, {_body.Length - _position} left)");
    }

    public readonly PgProtocolException Violation(string what) =>
        new($"The server sent a malformed '{_code}' message: {what}. The connection was closed.");
}
