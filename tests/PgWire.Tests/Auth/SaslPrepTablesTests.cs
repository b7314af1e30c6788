using PgWire.Auth;

namespace PgWire.Tests.Auth;

public class SaslPrepTablesTests
{
    private static ReadOnlySpan<int> Table(string name) => name switch
    {
        "A.1" => SaslPrepTables.TableA1,
        "B.1" => SaslPrepTables.TableB1,
        "C.1.2" => SaslPrepTables.TableC12,
        "C.2.1" => SaslPrepTables.TableC21,
        "C.2.2" => SaslPrepTables.TableC22,
        "C.3" => SaslPrepTables.TableC3,
        "C.4" => SaslPrepTables.TableC4,
        "C.5" => SaslPrepTables.TableC5,
        "C.6" => SaslPrepTables.TableC6,
        "C.7" => SaslPrepTables.TableC7,
        "C.8" => SaslPrepTables.TableC8,
        "C.9" => SaslPrepTables.TableC9,
        "D.1" => SaslPrepTables.TableD1,
        "D.2" => SaslPrepTables.TableD2,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    public static TheoryData<string> TableNames =>
        ["A.1", "B.1", "C.1.2", "C.2.1", "C.2.2", "C.3", "C.4", "C.5", "C.6", "C.7", "C.8", "C.9", "D.1", "D.2"];

    [Theory]
    [MemberData(nameof(TableNames))]
    public void TableIsSortedNonOverlappingInclusiveRangePairs(string name)
    {
        ReadOnlySpan<int> table = Table(name);

        Assert.True(table.Length > 0 && table.Length % 2 == 0, $"{name} has {table.Length} entries");
        for (int i = 0; i < table.Length; i += 2)
        {
            Assert.True(table[i] <= table[i + 1], $"{name}: range {i / 2} runs backwards");
            Assert.True(i == 0 || table[i] > table[i - 1] + 1, $"{name}: range {i / 2} overlaps or touches the one before");
            Assert.InRange(table[i + 1], 0, 0x10FFFF);
        }
    }

    // Boundary members (first and last code point of a range) and their neighbours just outside it,
    // read off the RFC 3454 appendix text.
    [Theory]
    [InlineData("A.1", 0x0221, true)]
    [InlineData("A.1", 0x0220, false)]
    [InlineData("A.1", 0x0234, true)]
    [InlineData("A.1", 0x024F, true)]
    [InlineData("A.1", 0x0250, false)]
    [InlineData("A.1", 0x1F600, true)]
    [InlineData("A.1", 0x1D800, true)]
    [InlineData("A.1", 0x1FFFD, true)]
    [InlineData("A.1", 0x1FFFE, false)]
    [InlineData("A.1", 0xE0000, true)]
    [InlineData("A.1", 0xE0001, false)]
    [InlineData("A.1", 0xE0080, true)]
    [InlineData("A.1", 0xEFFFD, true)]
    [InlineData("A.1", 0xEFFFE, false)]
    [InlineData("B.1", 0x00AD, true)]
    [InlineData("B.1", 0x00AC, false)]
    [InlineData("B.1", 0x180B, true)]
    [InlineData("B.1", 0x180D, true)]
    [InlineData("B.1", 0x180E, false)]
    [InlineData("B.1", 0x200B, true)]
    [InlineData("B.1", 0x200D, true)]
    [InlineData("B.1", 0x200E, false)]
    [InlineData("B.1", 0xFE00, true)]
    [InlineData("B.1", 0xFE0F, true)]
    [InlineData("B.1", 0xFE10, false)]
    [InlineData("B.1", 0xFEFF, true)]
    [InlineData("C.1.2", 0x00A0, true)]
    [InlineData("C.1.2", 0x0020, false)]
    [InlineData("C.1.2", 0x1680, true)]
    [InlineData("C.1.2", 0x2000, true)]
    [InlineData("C.1.2", 0x200B, true)]
    [InlineData("C.1.2", 0x200C, false)]
    [InlineData("C.1.2", 0x202F, true)]
    [InlineData("C.1.2", 0x205F, true)]
    [InlineData("C.1.2", 0x3000, true)]
    [InlineData("C.1.2", 0x3001, false)]
    [InlineData("C.2.1", 0x0000, true)]
    [InlineData("C.2.1", 0x001F, true)]
    [InlineData("C.2.1", 0x0020, false)]
    [InlineData("C.2.1", 0x007E, false)]
    [InlineData("C.2.1", 0x007F, true)]
    [InlineData("C.2.1", 0x0080, false)]
    [InlineData("C.2.2", 0x0080, true)]
    [InlineData("C.2.2", 0x009F, true)]
    [InlineData("C.2.2", 0x00A0, false)]
    [InlineData("C.2.2", 0x06DD, true)]
    [InlineData("C.2.2", 0x2063, true)]
    [InlineData("C.2.2", 0x2064, false)]
    [InlineData("C.2.2", 0xFFF9, true)]
    [InlineData("C.2.2", 0xFFFC, true)]
    [InlineData("C.2.2", 0xFFFD, false)]
    [InlineData("C.2.2", 0x1D173, true)]
    [InlineData("C.2.2", 0x1D17A, true)]
    [InlineData("C.2.2", 0x1D17B, false)]
    [InlineData("C.3", 0xDFFF, false)]
    [InlineData("C.3", 0xE000, true)]
    [InlineData("C.3", 0xF8FF, true)]
    [InlineData("C.3", 0xF900, false)]
    [InlineData("C.3", 0xF0000, true)]
    [InlineData("C.3", 0xFFFFD, true)]
    [InlineData("C.3", 0xFFFFE, false)]
    [InlineData("C.3", 0x100000, true)]
    [InlineData("C.3", 0x10FFFD, true)]
    [InlineData("C.3", 0x10FFFE, false)]
    [InlineData("C.4", 0xFDCF, false)]
    [InlineData("C.4", 0xFDD0, true)]
    [InlineData("C.4", 0xFDEF, true)]
    [InlineData("C.4", 0xFDF0, false)]
    [InlineData("C.4", 0xFFFE, true)]
    [InlineData("C.4", 0x1FFFE, true)]
    [InlineData("C.4", 0x1FFFD, false)]
    [InlineData("C.4", 0x10FFFF, true)]
    [InlineData("C.5", 0xD7FF, false)]
    [InlineData("C.5", 0xD800, true)]
    [InlineData("C.5", 0xDFFF, true)]
    [InlineData("C.5", 0xE000, false)]
    [InlineData("C.6", 0xFFF8, false)]
    [InlineData("C.6", 0xFFF9, true)]
    [InlineData("C.6", 0xFFFD, true)]
    [InlineData("C.6", 0xFFFE, false)]
    [InlineData("C.7", 0x2FEF, false)]
    [InlineData("C.7", 0x2FF0, true)]
    [InlineData("C.7", 0x2FFB, true)]
    [InlineData("C.7", 0x2FFC, false)]
    [InlineData("C.8", 0x0340, true)]
    [InlineData("C.8", 0x0341, true)]
    [InlineData("C.8", 0x0342, false)]
    [InlineData("C.8", 0x200E, true)]
    [InlineData("C.8", 0x200F, true)]
    [InlineData("C.8", 0x202A, true)]
    [InlineData("C.8", 0x202E, true)]
    [InlineData("C.8", 0x202F, false)]
    [InlineData("C.8", 0x206A, true)]
    [InlineData("C.8", 0x206F, true)]
    [InlineData("C.9", 0xE0000, false)]
    [InlineData("C.9", 0xE0001, true)]
    [InlineData("C.9", 0xE0002, false)]
    [InlineData("C.9", 0xE0020, true)]
    [InlineData("C.9", 0xE007F, true)]
    [InlineData("C.9", 0xE0080, false)]
    [InlineData("D.1", 0x05BD, false)]
    [InlineData("D.1", 0x05BE, true)]
    [InlineData("D.1", 0x05D0, true)]
    [InlineData("D.1", 0x05EA, true)]
    [InlineData("D.1", 0x05EB, false)]
    [InlineData("D.1", 0x0627, true)]
    [InlineData("D.1", 0x200F, true)]
    [InlineData("D.1", 0xFB1D, true)]
    [InlineData("D.1", 0xFE76, true)]
    [InlineData("D.1", 0xFEFC, true)]
    [InlineData("D.1", 0xFEFD, false)]
    [InlineData("D.1", 0x0031, false)]
    [InlineData("D.2", 0x0040, false)]
    [InlineData("D.2", 0x0041, true)]
    [InlineData("D.2", 0x005A, true)]
    [InlineData("D.2", 0x005B, false)]
    [InlineData("D.2", 0x0061, true)]
    [InlineData("D.2", 0x007A, true)]
    [InlineData("D.2", 0x0031, false)]
    [InlineData("D.2", 0x0627, false)]
    [InlineData("D.2", 0x1D7C9, true)]
    [InlineData("D.2", 0x1D7CA, false)]
    [InlineData("D.2", 0x20000, true)]
    [InlineData("D.2", 0x2A6D6, true)]
    [InlineData("D.2", 0x2A6D7, false)]
    [InlineData("D.2", 0x100000, true)]
    [InlineData("D.2", 0x10FFFD, true)]
    [InlineData("D.2", 0x10FFFE, false)]
    public void TableMembershipAtRangeBoundariesMatchesTheRfc(string name, int codePoint, bool expected)
    {
        Assert.Equal(expected, SaslPrepTables.Contains(Table(name), codePoint));
    }

    [Fact]
    public void EmptyTableContainsNothing()
    {
        Assert.False(SaslPrepTables.Contains([], 0x41));
    }
}
