using PgWire.Types;

namespace PgWire.Schema;

/// <summary>
/// What a column's type modifier (atttypmod, as the RowDescription carries it) says of its size, precision and scale:
/// varchar(20) is 20 characters long, numeric(10,2) has precision 10 and scale 2. A domain's own modifier is the one
/// the RowDescription carries for a column of it (the server sends the base type and its modifier).
/// </summary>
internal readonly record struct TypeFacets(int Size, int? Precision, int? Scale, bool IsLong)
{
    /// <summary>The header PostgreSQL counts into the modifier of character and numeric types (VARHDRSZ).</summary>
    private const int VarHeaderSize = 4;

    /// <param name="typeOid">The (base) type of the column.</param>
    /// <param name="typeSize">pg_type.typlen: the size of a fixed-size type, negative for a variable-size one.</param>
    /// <param name="typeModifier">The column's modifier, -1 when it has none.</param>
    public static TypeFacets Of(uint typeOid, short typeSize, int typeModifier)
    {
        int size = typeSize > 0 ? typeSize : -1;
        switch (typeOid)
        {
            case PgOids.Bpchar or PgOids.Varchar:
                return new TypeFacets(typeModifier >= VarHeaderSize ? typeModifier - VarHeaderSize : -1, null, null, false);
            case MiscOids.Bit or MiscOids.Varbit:
                return new TypeFacets(typeModifier >= 0 ? typeModifier : -1, null, null, false);
            case PgOids.Numeric when typeModifier >= VarHeaderSize:
            {
                int packed = typeModifier - VarHeaderSize;
                // The scale is an 11-bit signed number since PostgreSQL 15 (numeric(5,-2) rounds to hundreds).
                int scale = ((packed & 0x7FF) ^ 1024) - 1024;
                return new TypeFacets(-1, (packed >> 16) & 0xFFFF, scale, false);
            }
            // Values the command builder neither can nor should compare in a WHERE clause (json and xml have no
            // equality operator); text is not long, so that a text column can be a key.
            case PgOids.Bytea or MiscOids.Json or MiscOids.Jsonb or MiscOids.Xml:
                return new TypeFacets(-1, null, null, true);
            default:
                return new TypeFacets(size, null, null, false);
        }
    }
}
