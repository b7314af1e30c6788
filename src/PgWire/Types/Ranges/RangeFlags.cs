namespace PgWire.Types.Ranges;

/// <summary>The flags byte that starts a binary range value (RANGE_EMPTY ... in src/include/utils/rangetypes.h).</summary>
[Flags]
internal enum RangeFlags : byte
{
    None = 0,
    Empty = 0x01,
    LowerInclusive = 0x02,
    UpperInclusive = 0x04,
    LowerInfinite = 0x08,
    UpperInfinite = 0x10,
    LowerNull = 0x20,
    UpperNull = 0x40,
    ContainEmpty = 0x80,
}
