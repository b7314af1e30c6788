namespace PgWire.Types;

/// <summary>bool as Boolean.</summary>
internal sealed class BoolCodec() : PgTypeCodec<bool>(PgOids.Bool, "boolean")
{
    public override bool Read(ReadOnlySpan<byte> data, bool binary)
    {
        if (data.Length != 1)
            throw binary ? Conversion.BadLength(DataTypeName, data.Length, 1) : Conversion.BadText(DataTypeName, data);
        return binary
            ? data[0] != 0
            : data[0] switch { (byte)'t' => true, (byte)'f' => false, _ => throw Conversion.BadText(DataTypeName, data) };
    }

    public override int GetLength(bool value) => 1;

    public override void Write(bool value, Span<byte> destination) => destination[0] = value ? (byte)1 : (byte)0;
}
