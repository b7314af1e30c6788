namespace PgWire.Types;

/// <summary>void, the result of a function returning nothing (SELECT pg_sleep(0)): read as DBNull.</summary>
internal sealed class VoidCodec() : PgTypeCodec<DBNull>(PgOids.Void, "void")
{
    public override DBNull Read(ReadOnlySpan<byte> data, bool binary) => DBNull.Value;

    public override int GetLength(DBNull value) => 0;

    public override void Write(DBNull value, Span<byte> destination) { }
}
