namespace PgWire.Types;

/// <summary>
/// One PostgreSQL type: how its values are read from result columns (binary first, text as fallback)
/// and written as parameters (binary). Codecs are stateless and shared; they never touch a socket.
/// </summary>
internal abstract class PgTypeCodec
{
    protected PgTypeCodec(uint oid, string dataTypeName)
    {
        Oid = oid;
        DataTypeName = dataTypeName;
    }

    public uint Oid { get; }

    /// <summary>The type's name as PostgreSQL spells it (int4, text, numeric, ...).</summary>
    public string DataTypeName { get; }

    /// <summary>The .NET type a value of this type is read as by default (GetValue, GetFieldType).</summary>
    public abstract Type DefaultType { get; }

    /// <summary>Whether results of this type are asked for in binary; false reads them as text.</summary>
    public virtual bool BinaryResults => true;

    /// <summary>The format this codec writes parameters in: 1 binary, 0 text.</summary>
    public virtual short ParameterFormat => 1;

    /// <summary>Reads a value as <see cref="DefaultType"/>, boxed.</summary>
    public abstract object ReadObject(ReadOnlySpan<byte> data, bool binary);

    /// <summary>The number of bytes <see cref="Write"/> will produce for <paramref name="value"/>;
    /// throws <see cref="PgConversionException"/> for a value this type cannot hold.</summary>
    public abstract int GetLength(object value);

    /// <summary>Writes exactly <see cref="GetLength"/> bytes.</summary>
    public abstract void Write(object value, Span<byte> destination);

    public override string ToString() => DataTypeName;
}

/// <summary>A codec whose default .NET type is <typeparamref name="T"/>.</summary>
internal abstract class PgTypeCodec<T> : PgTypeCodec, IPgReader<T> where T : notnull
{
    protected PgTypeCodec(uint oid, string dataTypeName) : base(oid, dataTypeName) { }

    public override Type DefaultType => typeof(T);

    public abstract T Read(ReadOnlySpan<byte> data, bool binary);

    public override object ReadObject(ReadOnlySpan<byte> data, bool binary) => Read(data, binary);

    public override int GetLength(object value) => GetLength(ConvertFrom(value));

    public override void Write(object value, Span<byte> destination) => Write(ConvertFrom(value), destination);

    public abstract int GetLength(T value);

    public abstract void Write(T value, Span<byte> destination);

    /// <summary>Turns a parameter value into <typeparamref name="T"/>, refusing any that would lose information.</summary>
    protected virtual T ConvertFrom(object value) =>
        value is T t ? t : throw Conversion.CannotWrite(value, DataTypeName);
}
