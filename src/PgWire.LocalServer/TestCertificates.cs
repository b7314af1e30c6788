using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PgWire.LocalServer;

/// <summary>
/// Mints the certificates of a TLS test cluster with <see cref="CertificateRequest"/>: a certificate authority,
/// a server certificate and a client certificate signed by it, and a second authority that signed nothing of ours.
/// RSA 2048 with SHA-256 throughout: what OpenSSL's default security level accepts, and a signature hash that
/// tls-server-end-point channel binding uses as is.
/// </summary>
internal static class TestCertificates
{
    private static readonly TimeSpan Backdate = TimeSpan.FromDays(1);
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);

    // id-kp-serverAuth and id-kp-clientAuth (RFC 5280, 4.2.1.12).
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";

    public static X509Certificate2 CreateAuthority(string commonName)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={commonName}, O=PgWire.LocalServer", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now - Backdate, now + Lifetime);
    }

    /// <summary>CN=localhost, valid for the DNS name localhost and the address 127.0.0.1.</summary>
    public static X509Certificate2 CreateServer(X509Certificate2 authority)
    {
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        return CreateLeaf(authority, "localhost", ServerAuth, names.Build());
    }

    /// <summary>A certificate whose CN is the login name, as pg_hba's <c>cert</c> method expects.</summary>
    public static X509Certificate2 CreateClient(X509Certificate2 authority, string userName) =>
        CreateLeaf(authority, userName, ClientAuth, subjectAlternativeNames: null);

    private static X509Certificate2 CreateLeaf(X509Certificate2 authority, string commonName, string usage, X509Extension? subjectAlternativeNames)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={commonName}, O=PgWire.LocalServer", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        if (subjectAlternativeNames is not null)
            request.CertificateExtensions.Add(subjectAlternativeNames);

        var now = DateTimeOffset.UtcNow;
        // A leaf must not outlive its issuer.
        var notAfter = now + Lifetime < authority.NotAfter ? now + Lifetime : new DateTimeOffset(authority.NotAfter.ToUniversalTime());
        using var signed = request.Create(authority, now - Backdate, notAfter, RandomNumberGenerator.GetBytes(16).Prepend((byte)0x01).ToArray());
        return signed.CopyWithPrivateKey(key);
    }

    /// <summary>The certificate as PEM.</summary>
    public static string CertificatePem(X509Certificate2 certificate) => certificate.ExportCertificatePem() + "\n";

    /// <summary>The private key as unencrypted PKCS#8 PEM ("BEGIN PRIVATE KEY"), which OpenSSL and .NET both read.</summary>
    public static string PrivateKeyPem(X509Certificate2 certificate)
    {
        using var key = certificate.GetRSAPrivateKey() ?? throw new InvalidOperationException("The certificate has no RSA private key.");
        return key.ExportPkcs8PrivateKeyPem() + "\n";
    }
}
