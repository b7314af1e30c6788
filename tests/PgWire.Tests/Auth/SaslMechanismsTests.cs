using PgWire.Auth;

namespace PgWire.Tests.Auth;

public class SaslMechanismsTests
{
    [Fact]
    public void PlusIsChosenWhenOfferedAndBindingDataIsAvailable()
    {
        Assert.Equal("SCRAM-SHA-256-PLUS", SaslMechanisms.Choose(["SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"], channelBindingAvailable: true));
    }

    [Fact]
    public void PlainScramIsChosenWhenNoBindingDataIsAvailable()
    {
        Assert.Equal("SCRAM-SHA-256", SaslMechanisms.Choose(["SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"], channelBindingAvailable: false));
    }

    [Fact]
    public void PlainScramIsChosenWhenPlusIsNotOffered()
    {
        Assert.Equal("SCRAM-SHA-256", SaslMechanisms.Choose(["SCRAM-SHA-256"], channelBindingAvailable: true));
    }

    [Fact]
    public void NothingIsChosenWhenNoKnownMechanismIsOffered()
    {
        Assert.Null(SaslMechanisms.Choose(["OAUTHBEARER", "scram-sha-256"], channelBindingAvailable: true));
    }

    [Fact]
    public void NothingIsChosenWhenOnlyPlusIsOfferedAndNoBindingDataIsAvailable()
    {
        Assert.Null(SaslMechanisms.Choose(["SCRAM-SHA-256-PLUS"], channelBindingAvailable: false));
    }
}
