using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PgWire.LocalServer;

/// <summary>
/// The PEM files of a cluster started with <see cref="LocalPostgresOptions.Tls"/>, in a folder the test process can
/// read: the authority that signed the server's and the client's certificates, a second authority that signed
/// neither (for "untrusted root" tests), and the client certificates with their keys (mode 0600, owned by this
/// process's user, as clients such as libpq insist).
/// </summary>
public sealed class LocalPostgresCertificates
{
    /// <summary>The names the server certificate is valid for: the DNS name <c>localhost</c> and the address <c>127.0.0.1</c>.</summary>
    public const string ServerHostName = "localhost";

    internal const string ServerCertificateName = "server.crt";
    internal const string ServerKeyName = "server.key";
    internal const string ClientAuthorityName = "root.crt";

    private LocalPostgresCertificates(string directory)
    {
        Directory = directory;
    }

    /// <summary>The folder holding the files below.</summary>
    public string Directory { get; }

    /// <summary>The test authority's certificate: it signed the server certificate and <see cref="ClientCertificateFile"/>; the server trusts client certificates it signed.</summary>
    public string RootCertificateFile => Path.Combine(Directory, "ca.crt");

    /// <summary>An authority's certificate that signed nothing the server presents: verifying the server against it must fail.</summary>
    public string UntrustedRootCertificateFile => Path.Combine(Directory, "untrusted-ca.crt");

    /// <summary>The server's certificate (CN=localhost; SAN DNS:localhost, IP:127.0.0.1), as the server presents it.</summary>
    public string ServerCertificateFile => Path.Combine(Directory, "server.crt");

    /// <summary>The client certificate of <see cref="LocalPostgresRole.Cert"/> (CN=pgwire_cert), signed by the test authority.</summary>
    public string ClientCertificateFile => Path.Combine(Directory, "client.crt");

    /// <summary>The private key of <see cref="ClientCertificateFile"/>, unencrypted PKCS#8 PEM.</summary>
    public string ClientKeyFile => Path.Combine(Directory, "client.key");

    /// <summary>A client certificate for CN=pgwire_cert signed by the untrusted authority: the server must refuse it.</summary>
    public string UntrustedClientCertificateFile => Path.Combine(Directory, "untrusted-client.crt");

    /// <summary>The private key of <see cref="UntrustedClientCertificateFile"/>.</summary>
    public string UntrustedClientKeyFile => Path.Combine(Directory, "untrusted-client.key");

    /// <summary>
    /// Mints every certificate, writes the client-side files to <paramref name="directory"/> and the server's own
    /// (certificate, key, and the authority it checks client certificates against) to <paramref name="dataDirectory"/>,
    /// where postgresql.conf names them relative to the data directory so a base backup carries them along.
    /// Returns the server-side files, which the caller hands to the cluster user.
    /// </summary>
    internal static (LocalPostgresCertificates Certificates, string[] ServerFiles) Create(string directory, string dataDirectory)
    {
        CreatePrivateDirectory(directory);
        using var authority = TestCertificates.CreateAuthority("PgWire test CA");
        using var untrustedAuthority = TestCertificates.CreateAuthority("PgWire untrusted CA");
        using var server = TestCertificates.CreateServer(authority);
        using var client = TestCertificates.CreateClient(authority, LocalPostgresRoles.CertName);
        using var untrustedClient = TestCertificates.CreateClient(untrustedAuthority, LocalPostgresRoles.CertName);

        var files = new LocalPostgresCertificates(directory);
        WritePublic(files.RootCertificateFile, TestCertificates.CertificatePem(authority));
        WritePublic(files.UntrustedRootCertificateFile, TestCertificates.CertificatePem(untrustedAuthority));
        WritePublic(files.ServerCertificateFile, TestCertificates.CertificatePem(server));
        WritePublic(files.ClientCertificateFile, TestCertificates.CertificatePem(client));
        WritePrivate(files.ClientKeyFile, TestCertificates.PrivateKeyPem(client));
        WritePublic(files.UntrustedClientCertificateFile, TestCertificates.CertificatePem(untrustedClient));
        WritePrivate(files.UntrustedClientKeyFile, TestCertificates.PrivateKeyPem(untrustedClient));

        string[] serverFiles =
        [
            Path.Combine(dataDirectory, ServerCertificateName),
            Path.Combine(dataDirectory, ServerKeyName),
            Path.Combine(dataDirectory, ClientAuthorityName),
        ];
        WritePublic(serverFiles[0], TestCertificates.CertificatePem(server));
        // The server refuses a key file that others can read: 0600, and the cluster user's (the caller sees to that).
        WritePrivate(serverFiles[1], TestCertificates.PrivateKeyPem(server));
        WritePublic(serverFiles[2], TestCertificates.CertificatePem(authority));
        return (files, serverFiles);
    }

    /// <summary>A copy of the client-side files in <paramref name="directory"/>, so they outlive the cluster they came from.</summary>
    internal LocalPostgresCertificates CopyTo(string directory)
    {
        CreatePrivateDirectory(directory);
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory))
        {
            var target = Path.Combine(directory, Path.GetFileName(file));
            File.Copy(file, target);
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(target, File.GetUnixFileMode(file));
        }
        return new LocalPostgresCertificates(directory);
    }

    /// <summary>Loads <see cref="ClientCertificateFile"/> with its key, e.g. to check it against <see cref="RootCertificateFile"/>.</summary>
    public X509Certificate2 LoadClientCertificate() => X509Certificate2.CreateFromPemFile(ClientCertificateFile, ClientKeyFile);

    /// <summary>Loads a certificate PEM file of this set, e.g. <see cref="RootCertificateFile"/>.</summary>
    public static X509Certificate2 LoadCertificate(string pemFile)
    {
        // CreateFromPemFile would look for a private key in the same file.
        var pem = File.ReadAllText(pemFile);
        var fields = PemEncoding.Find(pem);
        return X509CertificateLoader.LoadCertificate(Convert.FromBase64String(pem[fields.Base64Data]));
    }

    private static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
            System.IO.Directory.CreateDirectory(path);
        else
            System.IO.Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static void WritePublic(string path, string pem) => File.WriteAllText(path, pem);

    private static void WritePrivate(string path, string pem)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var writer = new StreamWriter(path, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), options);
        writer.Write(pem);
    }
}
