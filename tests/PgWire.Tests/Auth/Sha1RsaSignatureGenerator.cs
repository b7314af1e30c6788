using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PgWire.Tests.Auth;

/// <summary>
/// Signs certificates with sha1WithRSAEncryption, which .NET's own generators refuse to do, so tests can
/// make the legacy SHA-1 certificates that RFC 5929 tells channel binding to hash with SHA-256.
/// </summary>
internal sealed class Sha1RsaSignatureGenerator(RSA key) : X509SignatureGenerator
{
    // AlgorithmIdentifier { sha1WithRSAEncryption (1.2.840.113549.1.1.5), NULL }
    private static readonly byte[] Sha1WithRsaEncryption =
        [0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x05, 0x05, 0x00];

    public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm) => (byte[])Sha1WithRsaEncryption.Clone();

    public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm) =>
        key.SignData(data, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);

    protected override PublicKey BuildPublicKey() => CreateForRSA(key, RSASignaturePadding.Pkcs1).PublicKey;
}
