namespace PgWire.Protocol.Backend;

/// <summary>One field of a RowDescription.</summary>
internal sealed class FieldDescription
{
    public required string Name { get; init; }
    public uint TableOid { get; init; }
    public short ColumnAttributeNumber { get; init; }
    public uint TypeOid { get; init; }
    public short TypeSize { get; init; }
    public int TypeModifier { get; init; }

    /// <summary>0 text, 1 binary. In a statement's description always 0: the format is chosen at Bind.</summary>
    public short FormatCode { get; init; }
}
