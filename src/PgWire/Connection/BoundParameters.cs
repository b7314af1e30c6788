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
        else _codecs[index]!.Write(value, destination);
    }
}
