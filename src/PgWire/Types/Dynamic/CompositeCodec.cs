using System.Buffers.Binary;

namespace PgWire.Types.Dynamic;

/// <summary>
/// A composite type (CREATE TYPE ... AS (...)) read as object?[] of its fields in order, each by its own codec.
/// Binary form (record_send): Int32 field count, then per field its type OID, Int32 length (-1 NULL) and bytes.
/// </summary>
internal class CompositeCodec : PgTypeCodec<object?[]>
{
    public CompositeCodec(uint oid, string dataTypeName, IReadOnlyList<CompositeField> fields, PgTypeRegistry registry)
        : base(oid, dataTypeName)
    {
        Fields = fields;
        Registry = registry;
    }

    public IReadOnlyList<CompositeField> Fields { get; }

    protected PgTypeRegistry Registry { get; }

    public override object?[] Read(ReadOnlySpan<byte> data, bool binary)
    {
        var values = new object?[Fields.Count];
        ForEachField(data, binary, (i, codec, bytes, isNull) => values[i] = isNull ? null : codec.ReadObject(bytes, binary));
        return values;
    }

    protected delegate void FieldVisitor(int index, PgTypeCodec codec, ReadOnlySpan<byte> bytes, bool isNull);

    protected void ForEachField(ReadOnlySpan<byte> data, bool binary, FieldVisitor visit)
    {
        if (!binary)
        {
            // Text (a statement's first run): the fields' types are the catalog's, each field read by its codec's text reader.
            var fields = RecordText.Split(data, DataTypeName);
            if (Fields.Count == 0 && fields is [null]) return;
            if (fields.Count != Fields.Count)
                throw new PgConversionException(
                    $"The {DataTypeName} value has {fields.Count} field(s) where PgWire knows {Fields.Count}; the type changed: call ReloadTypes().");
            for (int i = 0; i < fields.Count; i++)
                visit(i, Registry.ForOid(Fields[i].TypeOid), fields[i], fields[i] is null);
            return;
        }
        if (data.Length < 4) throw Malformed();
        int count = BinaryPrimitives.ReadInt32BigEndian(data);
        if (count != Fields.Count)
            throw new PgConversionException(
                $"The {DataTypeName} value has {count} field(s) where PgWire knows {Fields.Count}; the type changed: call ReloadTypes().");
        int pos = 4;
        for (int i = 0; i < count; i++)
        {
            if (data.Length - pos < 8) throw Malformed();
            uint oid = BinaryPrimitives.ReadUInt32BigEndian(data[pos..]);
            int length = BinaryPrimitives.ReadInt32BigEndian(data[(pos + 4)..]);
            pos += 8;
            if (length < -1 || length > data.Length - pos) throw Malformed();
            var codec = Registry.ForOid(oid);
            if (length < 0) visit(i, codec, default, true);
            else
            {
                visit(i, codec, data.Slice(pos, length), false);
                pos += length;
            }
        }
        if (pos != data.Length) throw Malformed();
    }

    private static PgProtocolException Malformed() => new("The server sent a malformed binary composite value.");

    public override int GetLength(object?[] value)
    {
        CheckCount(value.Length);
        long length = 4;
        for (int i = 0; i < value.Length; i++)
            length += 8 + (value[i] is null or DBNull ? 0 : FieldCodec(i).GetLength(value[i]!));
        return length <= int.MaxValue ? (int)length : throw Conversion.OutOfRange(value, DataTypeName);
    }

    public override void Write(object?[] value, Span<byte> destination)
    {
        BinaryPrimitives.WriteInt32BigEndian(destination, value.Length);
        int pos = 4;
        for (int i = 0; i < value.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[pos..], Fields[i].TypeOid);
            if (value[i] is null or DBNull)
            {
                BinaryPrimitives.WriteInt32BigEndian(destination[(pos + 4)..], -1);
                pos += 8;
                continue;
            }
            var codec = FieldCodec(i);
            int length = codec.GetLength(value[i]!);
            BinaryPrimitives.WriteInt32BigEndian(destination[(pos + 4)..], length);
            codec.Write(value[i]!, destination.Slice(pos + 8, length));
            pos += 8 + length;
        }
    }

    private void CheckCount(int count)
    {
        if (count != Fields.Count)
            throw new PgConversionException($"A {DataTypeName} value needs {Fields.Count} field(s), not {count}.", PgErrorCodes.DatatypeMismatch);
    }

    /// <summary>The codec that writes field <paramref name="index"/>: the registered one for the attribute's type.</summary>
    protected PgTypeCodec FieldCodec(int index) =>
        Registry.Find(Fields[index].TypeOid) ?? throw new PgConversionException(
            $"Field \"{Fields[index].Name}\" of {DataTypeName} has a type (OID {Fields[index].TypeOid}) PgWire cannot send.",
            PgErrorCodes.DatatypeMismatch);
}
