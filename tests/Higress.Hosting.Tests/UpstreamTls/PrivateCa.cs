using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Higress.Hosting.Tests.UpstreamTls;

/// <summary>A private certificate authority made in the test: it issues server and client certificates, and writes PEM files.</summary>
internal sealed class PrivateCa : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly List<string> _files = [];

    public PrivateCa(string name = "Higress Test CA")
    {
        var request = new CertificateRequest($"CN={name}", _key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    public X509Certificate2 Certificate { get; }

    public string Pem => Certificate.ExportCertificatePem();

    /// <summary>A certificate with a private key for <paramref name="dnsNames"/> (and <paramref name="uris"/>), for a server or a client.</summary>
    public Issued Issue(string subject, string[] dnsNames, string[]? uris = null, bool client = false)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var dns in dnsNames)
        {
            names.AddDnsName(dns);
        }

        foreach (var uri in uris ?? [])
        {
            names.AddUri(new Uri(uri));
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(client ? "1.3.6.1.5.5.7.3.2" : "1.3.6.1.5.5.7.3.1")], false));
        var serial = RandomNumberGenerator.GetBytes(8);
        using var issued = request.Create(Certificate, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12), serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        var loaded = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        return new Issued(loaded, issued.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem(), key);
    }

    /// <summary>Writes <paramref name="text"/> to a new temporary file, deleted with the CA.</summary>
    public string WriteFile(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"higress-tls-{Guid.NewGuid():N}.pem");
        File.WriteAllText(path, text);
        _files.Add(path);
        return path;
    }

    public void Dispose()
    {
        foreach (var file in _files)
        {
            File.Delete(file);
        }

        Certificate.Dispose();
        _key.Dispose();
    }

    /// <summary>An issued certificate (with its key) and its PEM forms.</summary>
    public sealed record Issued(X509Certificate2 Certificate, string CertificatePem, string KeyPem, ECDsa Key) : IDisposable
    {
        public void Dispose()
        {
            Certificate.Dispose();
            Key.Dispose();
        }
    }
}
