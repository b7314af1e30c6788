using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PgWire.Auth;

/// <summary>
/// What a SCRAM exchange says about channel binding, and the data it binds to when it does:
/// the tls-server-end-point hash of the server's certificate (RFC 5929 section 4), the one binding type
/// PostgreSQL supports.
/// </summary>
internal sealed class ScramChannelBinding
{
    /// <summary>The channel binding type name sent in the gs2 header.</summary>
    public const string TlsServerEndPointType = "tls-server-end-point";

    private ScramChannelBinding(ScramChannelBindingMode mode, byte[] data, string gs2Header)
    {
        Mode = mode;
        Data = data;
        Gs2Header = gs2Header;
    }

    /// <summary>"n": the client cannot bind.</summary>
    public static ScramChannelBinding NotSupportedByClient { get; } =
        new(ScramChannelBindingMode.NotSupportedByClient, [], "n,,");

    /// <summary>"y": the client could bind, but the server did not offer SCRAM-SHA-256-PLUS.</summary>
    public static ScramChannelBinding SupportedButNotUsed { get; } =
        new(ScramChannelBindingMode.SupportedButNotUsed, [], "y,,");

    public ScramChannelBindingMode Mode { get; }

    /// <summary>The tls-server-end-point hash when <see cref="Mode"/> is Used; empty otherwise.</summary>
    public byte[] Data { get; }

    /// <summary>The gs2-header (RFC 5802 section 7), with the empty authzid PostgreSQL expects: "n,,", "y,," or "p=tls-server-end-point,,".</summary>
    internal string Gs2Header { get; }

    /// <summary>"p=tls-server-end-point": bind the exchange to <paramref name="certificateHash"/>, see <see cref="TlsServerEndPointHash"/>.</summary>
    public static ScramChannelBinding TlsServerEndPoint(byte[] certificateHash)
    {
        ArgumentNullException.ThrowIfNull(certificateHash);
        if (certificateHash.Length == 0)
        {
            throw new ArgumentException("the tls-server-end-point hash is empty", nameof(certificateHash));
        }

        return new ScramChannelBinding(ScramChannelBindingMode.Used, (byte[])certificateHash.Clone(), "p=" + TlsServerEndPointType + ",,");
    }

    /// <summary>
    /// The tls-server-end-point channel binding data of RFC 5929 section 4.1: the hash of the DER certificate,
    /// made with the hash function of the certificate's signature algorithm, except that MD5 and SHA-1 become
    /// SHA-256. Algorithms without a usable hash (Ed25519, and anything unknown here) also use SHA-256.
    /// </summary>
    public static byte[] TlsServerEndPointHash(X509Certificate2 serverCertificate)
    {
        ArgumentNullException.ThrowIfNull(serverCertificate);
        byte[] der = serverCertificate.RawData;
        HashAlgorithmName hash = TlsServerEndPointHashAlgorithm(serverCertificate.SignatureAlgorithm.Value, der);
        if (hash == HashAlgorithmName.SHA512)
        {
            return SHA512.HashData(der);
        }

        return hash == HashAlgorithmName.SHA384 ? SHA384.HashData(der) : SHA256.HashData(der);
    }

    /// <summary>The hash <see cref="TlsServerEndPointHash"/> uses for a certificate signed with <paramref name="signatureAlgorithmOid"/>.</summary>
    internal static HashAlgorithmName TlsServerEndPointHashAlgorithm(string? signatureAlgorithmOid, byte[] certificateDer)
    {
        switch (signatureAlgorithmOid)
        {
            case "1.2.840.113549.1.1.12": // sha384WithRSAEncryption
            case "1.2.840.10045.4.3.3": // ecdsa-with-SHA384
                return HashAlgorithmName.SHA384;
            case "1.2.840.113549.1.1.13": // sha512WithRSAEncryption
            case "1.2.840.10045.4.3.4": // ecdsa-with-SHA512
                return HashAlgorithmName.SHA512;
            case "1.2.840.113549.1.1.10": // RSASSA-PSS: the hash is in the algorithm's parameters
                return PromoteWeakHash(PssHashAlgorithm(certificateDer));
            default:
                // sha256WithRSAEncryption, ecdsa-with-SHA256, dsa-with-sha256, and the MD5 and SHA-1 signatures
                // that RFC 5929 promotes to SHA-256, all land here. SHA-224 signatures would need SHA-224,
                // which .NET does not offer; binding to such a certificate fails visibly rather than silently.
                return HashAlgorithmName.SHA256;
        }
    }

    private static HashAlgorithmName PromoteWeakHash(HashAlgorithmName hash) =>
        hash == HashAlgorithmName.SHA384 || hash == HashAlgorithmName.SHA512 ? hash : HashAlgorithmName.SHA256;

    // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm AlgorithmIdentifier, signatureValue }
    // RSASSA-PSS-params ::= SEQUENCE { hashAlgorithm [0] EXPLICIT AlgorithmIdentifier DEFAULT sha1, ... } (RFC 4055 section 3.1)
    private static HashAlgorithmName PssHashAlgorithm(byte[] certificateDer)
    {
        try
        {
            AsnReader certificate = new AsnReader(certificateDer, AsnEncodingRules.DER).ReadSequence();
            certificate.ReadEncodedValue();
            AsnReader signatureAlgorithm = certificate.ReadSequence();
            signatureAlgorithm.ReadObjectIdentifier();
            if (!signatureAlgorithm.HasData)
            {
                return HashAlgorithmName.SHA1;
            }

            AsnReader parameters = signatureAlgorithm.ReadSequence();
            var hashAlgorithmTag = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
            if (!parameters.HasData || !parameters.PeekTag().HasSameClassAndValue(hashAlgorithmTag))
            {
                return HashAlgorithmName.SHA1;
            }

            string hashOid = parameters.ReadSequence(hashAlgorithmTag).ReadSequence().ReadObjectIdentifier();
            return hashOid switch
            {
                "2.16.840.1.101.3.4.2.2" => HashAlgorithmName.SHA384,
                "2.16.840.1.101.3.4.2.3" => HashAlgorithmName.SHA512,
                _ => HashAlgorithmName.SHA256,
            };
        }
        catch (AsnContentException)
        {
            return HashAlgorithmName.SHA256;
        }
    }
}
