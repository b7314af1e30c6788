using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PgWire.Auth;

namespace PgWire.Tests.Auth;

public class ScramChannelBindingTests
{
    private static X509Certificate2 SelfSignedRsa(HashAlgorithmName hash, RSASignaturePadding padding)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=pgwire-channel-binding-test", key, hash, padding);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static X509Certificate2 SelfSignedEcdsa(HashAlgorithmName hash)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=pgwire-channel-binding-test", key, hash);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    [Fact]
    public void RsaSha256CertificateIsHashedWithSha256()
    {
        using var certificate = SelfSignedRsa(HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        Assert.Equal(SHA256.HashData(certificate.RawData), ScramChannelBinding.TlsServerEndPointHash(certificate));
    }

    [Fact]
    public void RsaSha384CertificateIsHashedWithSha384()
    {
        using var certificate = SelfSignedRsa(HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1);

        Assert.Equal(SHA384.HashData(certificate.RawData), ScramChannelBinding.TlsServerEndPointHash(certificate));
    }

    [Fact]
    public void RsaSha512CertificateIsHashedWithSha512()
    {
        using var certificate = SelfSignedRsa(HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1);

        Assert.Equal(SHA512.HashData(certificate.RawData), ScramChannelBinding.TlsServerEndPointHash(certificate));
    }

    [Fact]
    public void RsaSha1CertificateIsHashedWithSha256()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=pgwire-channel-binding-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var generator = new Sha1RsaSignatureGenerator(key);
        using var certificate = request.Create(
            request.SubjectName, generator, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), [1, 2, 3, 4]);

        Assert.Equal("1.2.840.113549.1.1.5", certificate.SignatureAlgorithm.Value);
        Assert.Equal(SHA256.HashData(certificate.RawData), ScramChannelBinding.TlsServerEndPointHash(certificate));
    }

    [Fact]
    public void RsaPssSha384CertificateIsHashedWithTheSha384FromItsParameters()
    {
        using var certificate = SelfSignedRsa(HashAlgorithmName.SHA384, RSASignaturePadding.Pss);

        Assert.Equal("1.2.840.113549.1.1.10", certificate.SignatureAlgorithm.Value);
        Assert.Equal(SHA384.HashData(certificate.RawData), ScramChannelBinding.TlsServerEndPointHash(certificate));
    }

    [Fact]
    public void RsaPssSha256CertificateIsHashedWithSha256()
    {
        using var certificate = SelfSignedRsa(HashAlgorithmName.SHA256, RSASignaturePadding.Pss);

        Assert.Equal(SHA256.HashData(certificate.RawData), ScramChannelBinding.TlsServerEndPointHash(certificate));
    }

    [Fact]
    public void EcdsaSha512CertificateIsHashedWithSha512()
    {
        using var certificate = SelfSignedEcdsa(HashAlgorithmName.SHA512);

        Assert.Equal(SHA512.HashData(certificate.RawData), ScramChannelBinding.TlsServerEndPointHash(certificate));
    }

    [Fact]
    public void EcdsaSha384CertificateIsHashedWithSha384()
    {
        using var certificate = SelfSignedEcdsa(HashAlgorithmName.SHA384);

        Assert.Equal(SHA384.HashData(certificate.RawData), ScramChannelBinding.TlsServerEndPointHash(certificate));
    }

    [Theory]
    [InlineData("1.2.840.113549.1.1.4")] // md5WithRSAEncryption
    [InlineData("1.2.840.10045.4.1")] // ecdsa-with-SHA1
    [InlineData("1.3.101.112")] // Ed25519: no hash of its own
    [InlineData("1.2.3.4")]
    [InlineData(null)]
    public void WeakOrUnknownSignatureAlgorithmsUseSha256(string? oid)
    {
        Assert.Equal(HashAlgorithmName.SHA256, ScramChannelBinding.TlsServerEndPointHashAlgorithm(oid, []));
    }

    [Fact]
    public void NotSupportedByClientHasTheNHeaderAndNoData()
    {
        Assert.Equal("n,,", ScramChannelBinding.NotSupportedByClient.Gs2Header);
        Assert.Equal(ScramChannelBindingMode.NotSupportedByClient, ScramChannelBinding.NotSupportedByClient.Mode);
        Assert.Empty(ScramChannelBinding.NotSupportedByClient.Data);
    }

    [Fact]
    public void SupportedButNotUsedHasTheYHeaderAndNoData()
    {
        Assert.Equal("y,,", ScramChannelBinding.SupportedButNotUsed.Gs2Header);
        Assert.Equal(ScramChannelBindingMode.SupportedButNotUsed, ScramChannelBinding.SupportedButNotUsed.Mode);
        Assert.Empty(ScramChannelBinding.SupportedButNotUsed.Data);
    }

    [Fact]
    public void TlsServerEndPointHasThePHeaderAndACopyOfTheHash()
    {
        byte[] hash = [1, 2, 3];
        var binding = ScramChannelBinding.TlsServerEndPoint(hash);
        hash[0] = 99;

        Assert.Equal("p=tls-server-end-point,,", binding.Gs2Header);
        Assert.Equal(ScramChannelBindingMode.Used, binding.Mode);
        Assert.Equal([1, 2, 3], binding.Data);
    }

    [Fact]
    public void TlsServerEndPointWithAnEmptyHashIsAnArgumentError()
    {
        Assert.Throws<ArgumentException>(() => ScramChannelBinding.TlsServerEndPoint([]));
    }
}
