using System.Buffers.Binary;

namespace PgWire.Types;

/// <summary>pg_lsn as PgLsn (a uint64, pg_lsn_send in pg_lsn.c); also readable as UInt64 and String.</summary>
internal sealed class PgLsnCodec() : PgTypeCodec<PgLsn>(MiscOids.PgLsn, "pg_lsn"), IPgReader<ulong>, IPgReader<string>
{
    public override PgLsn Read(ReadOnlySpan<byte> data, bool binary)
    {
        if (!binary)
            return PgLsn.TryParse(System.Text.Encoding.ASCII.GetString(data), out var parsed) ? parsed : throw Conversion.BadText(DataTypeName, data);
        if (data.Length != 8) throw Conversion.BadLength(DataTypeName, data.Length, 8);
        return new PgLsn(BinaryPrimitives.ReadUInt64BigEndian(data));
    }

    ulong IPgReader<ulong>.Read(ReadOnlySpan<byte> data, bool binary) => Read(data, binary).Value;

    string IPgReader<string>.Read(ReadOnlySpan<byte> data, bool binary) =>
        binary ? Read(data, binary).ToString() : System.Text.Encoding.ASCII.GetString(data);

    public override int GetLength(PgLsn value) => 8;

    public override void Write(PgLsn value, Span<byte> destination) => BinaryPrimitives.WriteUInt64BigEndian(destination, value.Value);

    protected override PgLsn ConvertFrom(object value) => value switch
    {
        PgLsn l => l,
        ulong u => new PgLsn(u),
        // Only reached when the parameter names PgDbType.PgLsn: a plain string is otherwise sent untyped.
        string s when PgLsn.TryParse(s, out var parsed) => parsed,
        _ => throw Conversion.CannotWrite(value, DataTypeName),
    };
}
