using PgWire.Schema;
using PgWire.Types;

namespace PgWire.Tests.AdoNet;

/// <summary>What a column's type modifier says of its size, precision and scale (no server).</summary>
public sealed class TypeFacetsTests
{
    private const int VarHeader = 4;

    [Fact]
    public void Numeric_10_2_has_precision_10_and_scale_2()
    {
        var facets = TypeFacets.Of(PgOids.Numeric, -1, (10 << 16 | 2) + VarHeader);

        Assert.Equal((-1, 10, 2), (facets.Size, facets.Precision, facets.Scale));
    }

    [Fact]
    public void A_negative_scale_reads_back_negative()
    {
        // numeric(5,-2) as PostgreSQL 15 packs it: the scale in the low 11 bits, two's complement.
        var facets = TypeFacets.Of(PgOids.Numeric, -1, (5 << 16 | (-2 & 0x7FF)) + VarHeader);

        Assert.Equal((5, -2), (facets.Precision, facets.Scale));
    }

    [Fact]
    public void Numeric_without_a_modifier_has_no_precision_or_scale()
    {
        var facets = TypeFacets.Of(PgOids.Numeric, -1, -1);

        Assert.Equal((-1, (int?)null, (int?)null), (facets.Size, facets.Precision, facets.Scale));
    }

    [Theory]
    [InlineData(PgOids.Varchar, 20 + VarHeader, 20)]
    [InlineData(PgOids.Bpchar, 1 + VarHeader, 1)]
    [InlineData(PgOids.Varchar, -1, -1)]
    [InlineData(MiscOids.Bit, 8, 8)]
    public void Character_and_bit_lengths_come_from_the_modifier(uint type, int modifier, int size)
    {
        Assert.Equal(size, TypeFacets.Of(type, -1, modifier).Size);
    }

    [Theory]
    [InlineData(PgOids.Int4, 4)]
    [InlineData(PgOids.Int8, 8)]
    [InlineData(PgOids.Bool, 1)]
    public void A_fixed_size_type_has_its_size(uint type, short size)
    {
        Assert.Equal(size, TypeFacets.Of(type, size, -1).Size);
    }

    [Theory]
    [InlineData(PgOids.Bytea, true)]
    [InlineData(MiscOids.Json, true)]
    [InlineData(MiscOids.Xml, true)]
    [InlineData(PgOids.Text, false)]
    [InlineData(PgOids.Int4, false)]
    public void Bytea_json_and_xml_are_long_and_text_is_not(uint type, bool isLong)
    {
        Assert.Equal(isLong, TypeFacets.Of(type, -1, -1).IsLong);
    }

    [Theory]
    [InlineData("15.18 (Debian 15.18-0+deb12u1)", "015.0018")]
    [InlineData("9.6.24", "009.0006")]
    [InlineData("17beta1", "017.0000")]
    public void Server_versions_are_normalized_to_compare_as_strings(string version, string normalized)
    {
        Assert.Equal(normalized, DataSourceInformation.Normalized(version));
    }
}
