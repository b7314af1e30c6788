using PgWire.Protocol;
using PgWire.Protocol.Frontend;
using PgWire.Types;

namespace PgWire.Connection;

/// <summary>
/// The parameters of the next command, each resolved to its codec, type OID, format and encoded length before
/// anything is written, so a value that cannot be sent fails before a byte goes out. Reused per connection.
/// </summary>
internal sealed class BoundParameters : IBindParameters
{
    private object?[] _values = new object?[8];
    private PgTypeCodec?[] _codecs = new PgTypeCodec?[8];
    private uint[] _oids = new uint[8];
    private int[] _lengths = new int[8];
    private long _totalLength;

    /// <summary>Values encoded when bound (<see cref="AddEncoded{T}"/>): their bytes, and where each parameter's start.</summary>
    private byte[] _encoded = new byte[128];
    private int _encodedUsed;
    private int[] _encodedOffsets = new int[8];

    /// <summary>Stands in the values array for a parameter whose bytes are already in <see cref="_encoded"/>.</summary>
    private static readonly object Encoded = new();

    public int Count { get; private set; }

    public ReadOnlySpan<uint> Oids => _oids.AsSpan(0, Count);

    /// <summary>The sum of the encoded values' lengths, for the size check before Bind is written.</summary>
    public long TotalLength => _totalLength;

    public void Clear()
    {
        Array.Clear(_values, 0, Count);
        Count = 0;
        _totalLength = 0;
        _encodedUsed = 0;
    }

    /// <summary>Resolves one parameter: its codec from <paramref name="explicitCodec"/> or from the value's .NET type.</summary>
    public void Add(object? value, PgTypeCodec? explicitCodec, PgTypeRegistry registry)
    {
        if (Count == _values.Length) Grow();
        int i = Count;
        if (value is null or DBNull)
        {
            _codecs[i] = explicitCodec;
            _oids[i] = explicitCodec?.Oid ?? PgOids.Unspecified;
            _lengths[i] = -1;
            _values[i] = null;
            _totalLength += 4;
            Count++;
            return;
        }
        if (value is Stream or TextReader)
        {
            AddStreamed(i, value, explicitCodec, registry);
            return;
        }
        var codec = explicitCodec ?? registry.ForValue(value)
            ?? throw new PgConversionException(
                $"Parameter ${i + 1} is a {value.GetType().FullName}, which PgWire does not know how to send. " +
                "Pass a supported type (numbers, bool, string, byte[], ...) or convert the value first.",
                PgErrorCodes.DatatypeMismatch);
        int length;
        try
        {
            length = codec.GetLength(value);
        }
        catch (PgConversionException e)
        {
            throw InParameter(i, e);
        }
        Set(i, codec, length, value);
    }

    private static PgConversionException InParameter(int index, PgConversionException e) =>
        new($"Parameter ${index + 1}: {e.Message}", e.SqlState, e)
        {
            MessageWithoutValue = e.MessageWithoutValue is null ? null : $"Parameter ${index + 1}: {e.MessageWithoutValue}",
        };

    /// <summary>Fills slot <paramref name="i"/> (the next one) with a non-NULL value of <paramref name="length"/> bytes.</summary>
    private void Set(int i, PgTypeCodec codec, int length, object value)
    {
        _codecs[i] = codec;
        _oids[i] = codec.Oid;
        _lengths[i] = length;
        _values[i] = value;
        _totalLength += length + 4;
        Count++;
    }

    /// <summary>
    /// Binds a value type through its own codec, encoding it now: no box, and the bytes sent are those of the value at
    /// bind time even if the caller changes its parameter while the command is being written.
    /// </summary>
    public void AddEncoded<T>(T value, PgTypeCodec<T> codec) where T : notnull
    {
        if (Count == _values.Length) Grow();
        int i = Count;
        int length;
        try
        {
            length = codec.GetLength(value);
            if (_encodedUsed + length > _encoded.Length)
                Array.Resize(ref _encoded, Math.Max(_encoded.Length * 2, _encodedUsed + length));
            codec.Write(value, _encoded.AsSpan(_encodedUsed, length));
        }
        catch (PgConversionException e)
        {
            throw InParameter(i, e);
        }
        _encodedOffsets[i] = _encodedUsed;
        _encodedUsed += length;
        Set(i, codec, length, Encoded);
    }

    private void Grow()
    {
        int size = _values.Length * 2;
        Array.Resize(ref _values, size);
        Array.Resize(ref _codecs, size);
        Array.Resize(ref _oids, size);
        Array.Resize(ref _lengths, size);
        Array.Resize(ref _encodedOffsets, size);
    }

    public short GetFormatCode(int index) => _codecs[index]?.ParameterFormat ?? 0;

    public int GetLength(int index) => _lengths[index];

    public void Write(int index, Span<byte> destination)
    {
        var value = _values[index]!;
        if (ReferenceEquals(value, Encoded)) _encoded.AsSpan(_encodedOffsets[index], _lengths[index]).CopyTo(destination);
        else if (value is Stream stream) ReadExactly(index, stream, destination);
        else _codecs[index]!.Write(value, destination);
    }

    /// <summary>
    /// A Stream (bytea) or TextReader (text, varchar, json, jsonb, xml...) parameter: read once, straight into the Bind
    /// being written, so the value is held once, in the write buffer. A seekable stream's length is known now (and an
    /// oversized one refused before anything is sent); any other is sized as it is written.
    /// </summary>
    private void AddStreamed(int i, object value, PgTypeCodec? explicitCodec, PgTypeRegistry registry)
    {
        PgTypeCodec codec;
        int length = BindParameterLength.SizedWhileWritten;
        if (value is Stream stream)
        {
            codec = explicitCodec ?? registry.ForOid(PgOids.Bytea);
            if (codec is not ByteaCodec)
                throw new PgConversionException(
                    $"Parameter ${i + 1} is a Stream, which is sent as bytea, but the parameter's type is {codec.DataTypeName}. " +
                    "Pass a TextReader for text types, or leave the type to PgWire.", PgErrorCodes.DatatypeMismatch);
            if (!stream.CanRead) throw new PgConversionException($"Parameter ${i + 1} is a Stream that cannot be read.", PgErrorCodes.DatatypeMismatch);
            if (stream.CanSeek)
            {
                long remaining = Math.Max(stream.Length - stream.Position, 0);
                Protocol.WriteBuffer.CheckMessageLength(remaining);
                length = (int)remaining;
            }
        }
        else
        {
            codec = explicitCodec ?? registry.ForOid(PgOids.Text);
            if (codec is not (TextCodec or JsonCodec) || codec.ParameterFormat != 1)
                throw new PgConversionException(
                    $"Parameter ${i + 1} is a TextReader, which is sent as text, but the parameter's type is {codec.DataTypeName}. " +
                    "A TextReader can be sent as text, varchar, char, name, json, jsonb or xml.", PgErrorCodes.DatatypeMismatch);
        }
        Set(i, codec, length, value);
        // Set counted length + 4; a value sized while written counts its length word alone here.
        if (length == BindParameterLength.SizedWhileWritten) _totalLength -= length;
    }

    private static void ReadExactly(int index, Stream stream, Span<byte> destination)
    {
        int filled = 0;
        while (filled < destination.Length)
        {
            int n = stream.Read(destination[filled..]);
            if (n == 0)
                throw new PgConversionException(
                    $"The Stream of parameter ${index + 1} ended after {filled:N0} of the {destination.Length:N0} bytes its length promised.",
                    PgErrorCodes.DatatypeMismatch);
            filled += n;
        }
    }

    public int WriteUnsized(int index, WriteBuffer buffer)
    {
        long written = 0;
        if (_values[index] is Stream stream)
        {
            while (true)
            {
                var free = buffer.GetFreeMemory(16384);
                int n = stream.Read(free.Span);
                if (n == 0) break;
                buffer.Advance(n);
                written += n;
                Protocol.WriteBuffer.CheckMessageLength(written);
            }
            return (int)written;
        }
        var reader = (TextReader)_values[index]!;
        if (_codecs[index]!.Oid == MiscOids.Jsonb)
        {
            buffer.WriteByte(1);
            written = 1;
        }
        var chars = System.Buffers.ArrayPool<char>.Shared.Rent(8192);
        try
        {
            var encoder = StrictUtf8.GetEncoder();
            while (true)
            {
                int count = reader.Read(chars, 0, chars.Length);
                var free = buffer.GetFreeMemory(StrictUtf8.GetMaxByteCount(chars.Length));
                int n;
                try
                {
                    n = encoder.GetBytes(chars.AsSpan(0, count), free.Span, flush: count == 0);
                }
                catch (System.Text.EncoderFallbackException e)
                {
                    throw new PgConversionException(
                        $"The TextReader of parameter ${index + 1} holds an unpaired UTF-16 surrogate, which has no UTF-8 form; PostgreSQL cannot store it.",
                        PgErrorCodes.CharacterNotInRepertoire, e);
                }
                buffer.Advance(n);
                written += n;
                Protocol.WriteBuffer.CheckMessageLength(written);
                if (count == 0) break;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<char>.Shared.Return(chars);
        }
        return (int)written;
    }

    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(false, true);
}
