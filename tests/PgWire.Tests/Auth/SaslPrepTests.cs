using PgWire.Auth;

namespace PgWire.Tests.Auth;

public class SaslPrepTests
{
    private static string Prepared(string input)
    {
        Assert.True(SaslPrep.TryPrepare(input, out string prepared), $"SASLprep refused U+{string.Join(" U+", input.Select(c => ((int)c).ToString("X4")))}");
        return prepared;
    }

    // RFC 4013 section 3, the examples.
    [Fact]
    public void SoftHyphenIsMappedToNothing()
    {
        Assert.Equal("IX", Prepared("I\u00ADX"));
    }

    [Fact]
    public void PlainAsciiIsUnchanged()
    {
        Assert.Equal("user", Prepared("user"));
    }

    [Fact]
    public void CaseIsPreserved()
    {
        Assert.Equal("USER", Prepared("USER"));
    }

    [Fact]
    public void FeminineOrdinalIndicatorIsNormalizedToA()
    {
        Assert.Equal("a", Prepared("\u00AA"));
    }

    [Fact]
    public void RomanNumeralNineIsNormalizedToIX()
    {
        Assert.Equal("IX", Prepared("\u2168"));
    }

    [Fact]
    public void AsciiControlCharacterIsProhibited()
    {
        Assert.False(SaslPrep.TryPrepare("\u0007", out _));
    }

    [Fact]
    public void RandALCatFollowedByADigitViolatesTheBidiRules()
    {
        Assert.False(SaslPrep.TryPrepare("\u0627\u0031", out _));
    }

    // Beyond the RFC's examples.
    [Fact]
    public void NoBreakSpaceIsMappedToSpace()
    {
        Assert.Equal("a b", Prepared("a\u00A0b"));
    }

    [Fact]
    public void IdeographicSpaceIsMappedToSpace()
    {
        Assert.Equal("a b", Prepared("a\u3000b"));
    }

    [Fact]
    public void ZeroWidthSpaceIsMappedToSpaceAsPostgreSqlDoes()
    {
        // U+200B is in both C.1.2 (to space) and B.1 (to nothing); PostgreSQL's pg_saslprep tries C.1.2 first.
        Assert.Equal("a b", Prepared("a\u200Bb"));
    }

    [Fact]
    public void WordJoinerIsMappedToNothing()
    {
        Assert.Equal("ab", Prepared("a\u2060b"));
    }

    [Fact]
    public void VariationSelectorIsMappedToNothing()
    {
        Assert.Equal("ab", Prepared("a\uFE0Fb"));
    }

    [Fact]
    public void CharacterOutsideTheBasicPlaneAndOutsideTheTablesPassesThrough()
    {
        // U+1D11E MUSICAL SYMBOL G CLEF: a surrogate pair, assigned in Unicode 3.2, unchanged by NFKC.
        Assert.Equal("a\U0001D11Eb", Prepared("a\U0001D11Eb"));
    }

    [Fact]
    public void CharacterOutsideTheBasicPlaneIsNormalized()
    {
        // U+1D400 MATHEMATICAL BOLD CAPITAL A is a compatibility form of 'A'.
        Assert.Equal("xA", Prepared("x\U0001D400"));
    }

    [Fact]
    public void EmojiUnassignedInUnicode32IsRefusedAsPostgreSqlDoes()
    {
        // Table A.1 lists U+1F600 (assigned only in Unicode 6.1); PostgreSQL then hashes the raw bytes.
        Assert.False(SaslPrep.TryPrepare("a\U0001F600", out _));
    }

    [Fact]
    public void PrivateUseCharacterIsProhibited()
    {
        Assert.False(SaslPrep.TryPrepare("a\uE000", out _));
    }

    [Fact]
    public void DeleteIsProhibited()
    {
        Assert.False(SaslPrep.TryPrepare("a\u007F", out _));
    }

    [Fact]
    public void NonAsciiControlCharacterIsProhibited()
    {
        Assert.False(SaslPrep.TryPrepare("a\u0085", out _));
    }

    [Fact]
    public void TaggingCharacterIsProhibited()
    {
        Assert.False(SaslPrep.TryPrepare("a\U000E0041", out _));
    }

    [Fact]
    public void RightToLeftMarkIsProhibited()
    {
        Assert.False(SaslPrep.TryPrepare("\u0627\u200F\u0628", out _));
    }

    [Fact]
    public void ToneMarkIsProhibitedBeforeNormalizationAsPostgreSqlDoes()
    {
        // NFKC would turn U+0340 into U+0300, but PostgreSQL checks the prohibited tables before normalizing.
        Assert.False(SaslPrep.TryPrepare("a\u0340", out _));
    }

    [Fact]
    public void LoneSurrogateIsRefused()
    {
        Assert.False(SaslPrep.TryPrepare("a\uD800b", out _));
    }

    [Fact]
    public void RandALCatAtBothEndsWithADigitInsideIsAllowed()
    {
        Assert.Equal("\u0627\u0031\u0628", Prepared("\u0627\u0031\u0628"));
    }

    [Fact]
    public void RandALCatMixedWithLCatViolatesTheBidiRules()
    {
        Assert.False(SaslPrep.TryPrepare("\u0627a\u0628", out _));
    }

    [Fact]
    public void RandALCatNotAtTheStartViolatesTheBidiRules()
    {
        Assert.False(SaslPrep.TryPrepare("1\u0627", out _));
    }

    [Fact]
    public void HebrewTextIsAllowed()
    {
        Assert.Equal("\u05E9\u05DC\u05D5\u05DD", Prepared("\u05E9\u05DC\u05D5\u05DD"));
    }

    [Fact]
    public void EmptyStringPreparesToEmpty()
    {
        Assert.Equal("", Prepared(""));
    }

    [Fact]
    public void NonEmptyStringThatMapsToNothingIsRefusedAsPostgreSqlDoes()
    {
        Assert.False(SaslPrep.TryPrepare("\u00AD", out _));
    }
}
