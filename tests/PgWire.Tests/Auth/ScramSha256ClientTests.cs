using System.Text;
using PgWire.Auth;

namespace PgWire.Tests.Auth;

public class ScramSha256ClientTests
{
    // RFC 7677 section 3, the SCRAM-SHA-256 example exchange.
    private const string RfcClientNonce = "rOprNGfwEbeRWgbNEkqO";
    private const string RfcServerNonce = "rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    private const string RfcSalt = "W22ZaJ0SNY7soEsUEjb6gQ==";
    private const string RfcServerFirst = "r=" + RfcServerNonce + ",s=" + RfcSalt + ",i=4096";
    private const string RfcClientFinal = "c=biws,r=" + RfcServerNonce + ",p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    private const string RfcServerFinal = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    private static ScramSha256Client RfcClient() => new("pencil", RfcClientNonce, userName: "user");

    private static ScramSha256Client AtServerFirst(ScramSha256Client client)
    {
        client.CreateClientFirstMessage();
        return client;
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    [Fact]
    public void Rfc7677ClientFirstMessageIsReproducedExactly()
    {
        Assert.Equal("n,,n=user,r=rOprNGfwEbeRWgbNEkqO", Text(RfcClient().CreateClientFirstMessage()));
    }

    [Fact]
    public void Rfc7677ClientFinalMessageIsReproducedExactly()
    {
        var client = AtServerFirst(RfcClient());

        Assert.Equal(RfcClientFinal, Text(client.HandleServerFirstMessage(Bytes(RfcServerFirst))));
    }

    [Fact]
    public void Rfc7677ServerFinalMessageVerifiesAndCompletesTheExchange()
    {
        var client = AtServerFirst(RfcClient());
        client.HandleServerFirstMessage(Bytes(RfcServerFirst));

        client.VerifyServerFinalMessage(Bytes(RfcServerFinal));

        Assert.True(client.IsCompleted);
    }

    [Fact]
    public void ExchangeIsNotCompletedBeforeTheServerSignatureIsVerified()
    {
        var client = AtServerFirst(RfcClient());
        client.HandleServerFirstMessage(Bytes(RfcServerFirst));

        Assert.False(client.IsCompleted);
    }

    [Fact]
    public void ServerSignatureWithOneCharacterChangedIsRefused()
    {
        var client = AtServerFirst(RfcClient());
        client.HandleServerFirstMessage(Bytes(RfcServerFirst));

        var error = Assert.Throws<PgAuthenticationException>(
            () => client.VerifyServerFinalMessage(Bytes("v=7rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")));

        Assert.Contains("the server's SCRAM signature is wrong", error.Message);
        Assert.False(client.IsCompleted);
    }

    [Fact]
    public void ServerSignatureOfTheWrongLengthIsRefused()
    {
        var client = AtServerFirst(RfcClient());
        client.HandleServerFirstMessage(Bytes(RfcServerFirst));

        Assert.Throws<PgAuthenticationException>(() => client.VerifyServerFinalMessage(Bytes("v=6rriTRBi23WpRR/w")));
    }

    [Fact]
    public void ServerErrorInTheFinalMessageIsReportedWithTheServersText()
    {
        var client = AtServerFirst(RfcClient());
        client.HandleServerFirstMessage(Bytes(RfcServerFirst));

        var error = Assert.Throws<PgAuthenticationException>(() => client.VerifyServerFinalMessage(Bytes("e=invalid-proof")));

        Assert.Contains("invalid-proof", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("x=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")]
    [InlineData("v=not*base64")]
    [InlineData("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=,x=extra")]
    public void MalformedServerFinalMessageIsRefusedAsAuthenticationFailure(string serverFinal)
    {
        var client = AtServerFirst(RfcClient());
        client.HandleServerFirstMessage(Bytes(RfcServerFirst));

        Assert.Throws<PgAuthenticationException>(() => client.VerifyServerFinalMessage(Bytes(serverFinal)));
    }

    [Fact]
    public void ServerNonceNotStartingWithTheClientNonceIsRefusedAsManInTheMiddle()
    {
        var client = AtServerFirst(RfcClient());

        var error = Assert.Throws<PgAuthenticationException>(
            () => client.HandleServerFirstMessage(Bytes("r=XOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=" + RfcSalt + ",i=4096")));

        Assert.Contains("does not start with the client's nonce", error.Message);
    }

    [Fact]
    public void ServerNonceEqualToTheClientNonceIsRefused()
    {
        var client = AtServerFirst(RfcClient());

        var error = Assert.Throws<PgAuthenticationException>(
            () => client.HandleServerFirstMessage(Bytes("r=" + RfcClientNonce + ",s=" + RfcSalt + ",i=4096")));

        Assert.Contains("does not start with the client's nonce", error.Message);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("-99999999999999999999")]
    public void IterationCountBelowOneIsRefused(string iterations)
    {
        var client = AtServerFirst(RfcClient());

        var error = Assert.Throws<PgAuthenticationException>(
            () => client.HandleServerFirstMessage(Bytes("r=" + RfcServerNonce + ",s=" + RfcSalt + ",i=" + iterations)));

        Assert.Contains("at least 1 is required", error.Message);
    }

    [Theory]
    [InlineData("10000000")]
    [InlineData("1000001")]
    [InlineData("99999999999999999999")]
    public void IterationCountAboveTheLimitIsRefusedWithTheReason(string iterations)
    {
        var client = AtServerFirst(RfcClient());

        var error = Assert.Throws<PgAuthenticationException>(
            () => client.HandleServerFirstMessage(Bytes("r=" + RfcServerNonce + ",s=" + RfcSalt + ",i=" + iterations)));

        Assert.Equal(
            $"the server asked for {iterations} SCRAM iterations, more than the 1,000,000 PgWire allows; a hostile server can make the client spin",
            error.Message);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("4096x")]
    [InlineData("+4096")]
    [InlineData(" 4096")]
    public void IterationCountThatIsNotANumberIsRefused(string iterations)
    {
        var client = AtServerFirst(RfcClient());

        Assert.Throws<PgAuthenticationException>(
            () => client.HandleServerFirstMessage(Bytes("r=" + RfcServerNonce + ",s=" + RfcSalt + ",i=" + iterations)));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("1000000")]
    public void IterationCountAtTheBoundsIsAccepted(string iterations)
    {
        var client = AtServerFirst(RfcClient());

        string clientFinal = Text(client.HandleServerFirstMessage(Bytes("r=" + RfcServerNonce + ",s=" + RfcSalt + ",i=" + iterations)));

        Assert.StartsWith("c=biws,r=" + RfcServerNonce + ",p=", clientFinal);
    }

    [Fact]
    public void MissingSaltIsRefused()
    {
        var client = AtServerFirst(RfcClient());

        var error = Assert.Throws<PgAuthenticationException>(
            () => client.HandleServerFirstMessage(Bytes("r=" + RfcServerNonce + ",i=4096")));

        Assert.Contains("salt (s=)", error.Message);
    }

    [Fact]
    public void EmptySaltIsRefused()
    {
        var client = AtServerFirst(RfcClient());

        var error = Assert.Throws<PgAuthenticationException>(
            () => client.HandleServerFirstMessage(Bytes("r=" + RfcServerNonce + ",s=,i=4096")));

        Assert.Contains("empty salt", error.Message);
    }

    [Theory]
    [InlineData("W22ZaJ0SNY7soEsUEjb6gQ")] // unpadded
    [InlineData("W22ZaJ0S NY7soEsUEjb6gQ==")]
    [InlineData("W22Z*J0SNY7soEsUEjb6gQ==")]
    public void SaltThatIsNotBase64IsRefused(string salt)
    {
        var client = AtServerFirst(RfcClient());

        var error = Assert.Throws<PgAuthenticationException>(
            () => client.HandleServerFirstMessage(Bytes("r=" + RfcServerNonce + ",s=" + salt + ",i=4096")));

        Assert.Contains("not valid base64", error.Message);
    }

    [Fact]
    public void MandatoryExtensionIsRefused()
    {
        var client = AtServerFirst(RfcClient());

        var error = Assert.Throws<PgAuthenticationException>(
            () => client.HandleServerFirstMessage(Bytes("m=ext,r=" + RfcServerNonce + ",s=" + RfcSalt + ",i=4096")));

        Assert.Contains("mandatory extension", error.Message);
    }

    [Theory]
    [InlineData("s=W22ZaJ0SNY7soEsUEjb6gQ==,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,i=4096")] // misordered
    [InlineData("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,r=rOprNGfwEbeRWgbNEkqOx,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")] // duplicate
    [InlineData("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,i=4096")] // duplicate at the end
    [InlineData("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==")] // no iteration count
    [InlineData("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0")]
    [InlineData("")]
    [InlineData(",,,")]
    [InlineData("r")]
    [InlineData("garbage")]
    [InlineData("r=rOprNGfwEbeRWgbNEkqO\u00e9\u00e9,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")] // non-ASCII nonce
    public void MalformedServerFirstMessageIsRefusedAsAuthenticationFailure(string serverFirst)
    {
        var client = AtServerFirst(RfcClient());

        Assert.Throws<PgAuthenticationException>(() => client.HandleServerFirstMessage(Bytes(serverFirst)));
    }

    [Fact]
    public void ServerFirstMessageThatIsNotUtf8IsRefusedAsAuthenticationFailure()
    {
        var client = AtServerFirst(RfcClient());

        Assert.Throws<PgAuthenticationException>(() => client.HandleServerFirstMessage([(byte)'r', (byte)'=', 0xFF, 0xFE]));
    }

    [Fact]
    public void HandlingTheServerFirstMessageBeforeSendingTheClientFirstIsAnOrderingError()
    {
        var client = RfcClient();

        Assert.Throws<InvalidOperationException>(() => client.HandleServerFirstMessage(Bytes(RfcServerFirst)));
    }

    [Fact]
    public void CreatingTheClientFirstMessageTwiceIsAnOrderingError()
    {
        var client = AtServerFirst(RfcClient());

        Assert.Throws<InvalidOperationException>(() => client.CreateClientFirstMessage());
    }

    [Fact]
    public void VerifyingTheServerFinalMessageBeforeTheServerFirstIsAnOrderingError()
    {
        var client = AtServerFirst(RfcClient());

        Assert.Throws<InvalidOperationException>(() => client.VerifyServerFinalMessage(Bytes(RfcServerFinal)));
    }

    [Fact]
    public void ExchangeCannotContinueAfterARefusedServerFirstMessage()
    {
        var client = AtServerFirst(RfcClient());
        Assert.Throws<PgAuthenticationException>(() => client.HandleServerFirstMessage(Bytes("garbage")));

        Assert.Throws<InvalidOperationException>(() => client.HandleServerFirstMessage(Bytes(RfcServerFirst)));
    }

    [Fact]
    public void ServerFinalMessageCannotBeVerifiedTwice()
    {
        var client = AtServerFirst(RfcClient());
        client.HandleServerFirstMessage(Bytes(RfcServerFirst));
        client.VerifyServerFinalMessage(Bytes(RfcServerFinal));

        Assert.Throws<InvalidOperationException>(() => client.VerifyServerFinalMessage(Bytes(RfcServerFinal)));
    }

    [Fact]
    public void DefaultUserNameIsEmptyAsPostgreSqlExpects()
    {
        var client = new ScramSha256Client("pencil", RfcClientNonce);

        Assert.Equal("n,,n=,r=" + RfcClientNonce, Text(client.CreateClientFirstMessage()));
    }

    [Fact]
    public void UserNameEqualsSignAndCommaAreEscaped()
    {
        var client = new ScramSha256Client("pencil", RfcClientNonce, userName: "a=b,c");

        Assert.Equal("n,,n=a=3Db=2Cc,r=" + RfcClientNonce, Text(client.CreateClientFirstMessage()));
    }

    [Fact]
    public void GeneratedClientNonceIsPrintableWithoutCommasAndAtLeast24Characters()
    {
        string first = Text(new ScramSha256Client("pencil").CreateClientFirstMessage());
        string nonce = first["n,,n=,r=".Length..];

        Assert.True(nonce.Length >= 24, nonce);
        Assert.All(nonce, c => Assert.True(c is >= '!' and <= '~' && c != ',', $"'{c}' in {nonce}"));
    }

    [Fact]
    public void GeneratedClientNoncesDiffer()
    {
        Assert.NotEqual(
            Text(new ScramSha256Client("pencil").CreateClientFirstMessage()),
            Text(new ScramSha256Client("pencil").CreateClientFirstMessage()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a,b")]
    [InlineData("a b")]
    [InlineData("caf\u00e9")]
    public void ClientNonceThatIsNotPrintableAsciiIsAnArgumentError(string nonce)
    {
        Assert.Throws<ArgumentException>(() => new ScramSha256Client("pencil", nonce));
    }

    [Fact]
    public void WithoutChannelBindingTheMechanismIsScramSha256()
    {
        Assert.Equal("SCRAM-SHA-256", RfcClient().Mechanism);
    }

    [Fact]
    public void WithChannelBindingTheMechanismIsScramSha256Plus()
    {
        var client = new ScramSha256Client("pencil", RfcClientNonce, ScramChannelBinding.TlsServerEndPoint([1, 2, 3]));

        Assert.Equal("SCRAM-SHA-256-PLUS", client.Mechanism);
    }

    [Fact]
    public void WithChannelBindingTheClientFirstMessageStartsWithTheTlsServerEndPointHeader()
    {
        var client = new ScramSha256Client("pencil", RfcClientNonce, ScramChannelBinding.TlsServerEndPoint([1, 2, 3]));

        Assert.Equal("p=tls-server-end-point,,n=,r=" + RfcClientNonce, Text(client.CreateClientFirstMessage()));
    }

    [Fact]
    public void WithChannelBindingTheClientFinalMessageCarriesTheHeaderAndTheCertificateHash()
    {
        byte[] hash = [0xDE, 0xAD, 0xBE, 0xEF, 0x00, 0x7F];
        var client = AtServerFirst(new ScramSha256Client("pencil", RfcClientNonce, ScramChannelBinding.TlsServerEndPoint(hash)));

        string clientFinal = Text(client.HandleServerFirstMessage(Bytes(RfcServerFirst)));

        string expected = Convert.ToBase64String([.. Encoding.ASCII.GetBytes("p=tls-server-end-point,,"), .. hash]);
        Assert.StartsWith("c=" + expected + ",r=" + RfcServerNonce + ",p=", clientFinal);
    }

    [Fact]
    public void WithChannelBindingTheProofAndServerSignatureCoverTheBindingData()
    {
        byte[] hash = [0xDE, 0xAD, 0xBE, 0xEF, 0x00, 0x7F];
        var client = AtServerFirst(new ScramSha256Client("pencil", RfcClientNonce, ScramChannelBinding.TlsServerEndPoint(hash)));
        string channelBinding = Convert.ToBase64String([.. Encoding.ASCII.GetBytes("p=tls-server-end-point,,"), .. hash]);
        string withoutProof = "c=" + channelBinding + ",r=" + RfcServerNonce;
        string authMessage = "n=,r=" + RfcClientNonce + "," + RfcServerFirst + "," + withoutProof;
        byte[] salt = Convert.FromBase64String(RfcSalt);

        string clientFinal = Text(client.HandleServerFirstMessage(Bytes(RfcServerFirst)));
        client.VerifyServerFinalMessage(Bytes("v=" + ScramReference.ServerSignature(Bytes("pencil"), salt, 4096, authMessage)));

        Assert.Equal(withoutProof + ",p=" + ScramReference.ClientProof(Bytes("pencil"), salt, 4096, authMessage), clientFinal);
        Assert.True(client.IsCompleted);
    }

    [Fact]
    public void SupportedButNotUsedSendsTheYFlag()
    {
        var client = new ScramSha256Client("pencil", RfcClientNonce, ScramChannelBinding.SupportedButNotUsed);

        Assert.Equal("y,,n=,r=" + RfcClientNonce, Text(client.CreateClientFirstMessage()));
        Assert.Equal("SCRAM-SHA-256", client.Mechanism);
    }

    [Fact]
    public void SupportedButNotUsedPutsTheYHeaderInTheClientFinalMessage()
    {
        var client = AtServerFirst(new ScramSha256Client("pencil", RfcClientNonce, ScramChannelBinding.SupportedButNotUsed));

        Assert.StartsWith("c=eSws,r=", Text(client.HandleServerFirstMessage(Bytes(RfcServerFirst))));
    }

    [Fact]
    public void NonAsciiPasswordIsNormalizedToNfkcUtf8()
    {
        Assert.Equal(Bytes("p\u00e4ssw\u00f6rd\u20acH"), ScramSha256Client.NormalizePassword("p\u00e4ssw\u00f6rd\u20ac\u210c"));
    }

    [Fact]
    public void NonAsciiPasswordIsSaltedInItsNfkcForm()
    {
        var client = AtServerFirst(new ScramSha256Client("p\u00e4ssw\u00f6rd\u20ac\u210c", RfcClientNonce));
        string withoutProof = "c=biws,r=" + RfcServerNonce;
        string authMessage = "n=,r=" + RfcClientNonce + "," + RfcServerFirst + "," + withoutProof;
        byte[] nfkcPassword = Bytes("p\u00e4ssw\u00f6rd\u20acH");

        string clientFinal = Text(client.HandleServerFirstMessage(Bytes(RfcServerFirst)));

        string expectedProof = ScramReference.ClientProof(nfkcPassword, Convert.FromBase64String(RfcSalt), 4096, authMessage);
        Assert.Equal(withoutProof + ",p=" + expectedProof, clientFinal);
    }

    [Fact]
    public void AsciiPasswordWithAProhibitedCharacterIsUsedAsRawUtf8()
    {
        Assert.Equal(Bytes("\u0007abc"), ScramSha256Client.NormalizePassword("\u0007abc"));
    }

    [Fact]
    public void NonAsciiPasswordWithAProhibitedCharacterIsUsedAsRawUtf8WithoutNormalizing()
    {
        // SASLprep refuses the whole string, so the server hashes its raw bytes: the U+210C is not folded to 'H'.
        Assert.Equal(Bytes("\u210c\u0007"), ScramSha256Client.NormalizePassword("\u210c\u0007"));
    }

    [Fact]
    public void PasswordWithACharacterUnassignedInUnicode32IsUsedAsRawUtf8WithoutNormalizing()
    {
        Assert.Equal(Bytes("\u210c\U0001F600"), ScramSha256Client.NormalizePassword("\u210c\U0001F600"));
    }

    [Fact]
    public void EmptyPasswordIsEmpty()
    {
        Assert.Empty(ScramSha256Client.NormalizePassword(""));
    }
}
