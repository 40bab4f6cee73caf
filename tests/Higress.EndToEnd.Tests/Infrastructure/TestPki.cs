using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Higress.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A private certificate authority made in the test (ECDSA P-256, valid from yesterday to tomorrow): it issues server
/// and client certificates with private keys, and writes the Secrets and ConfigMaps that carry them, as YAML.
/// </summary>
public sealed class TestPki : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestPki(string name)
    {
        var request = new CertificateRequest($"CN={name}", _key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    /// <summary>The CA's own certificate (with its key).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The CA certificate, PEM.</summary>
    public string Pem => Certificate.ExportCertificatePem();

    /// <summary>Issues a certificate for <paramref name="subject"/> (a server one with <c>serverAuth</c>, else <c>clientAuth</c>).</summary>
    public X509Certificate2 Issue(string subject, bool server, string? dns = null, string? uri = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dns ?? subject);
        if (uri is not null)
        {
            names.AddUri(new Uri(uri));
        }

        request.CertificateExtensions.Add(names.Build());
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7f;
        using var issued = request.Create(Certificate, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12), serial);
        using var withKey = issued.CopyWithPrivateKey(key);

        // Through PKCS#12 so that the key is usable by TLS on every platform.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
    }

    /// <summary>A <c>kubernetes.io/tls</c> Secret holding <paramref name="certificate"/> and its key.</summary>
    public static string TlsSecretYaml(string name, X509Certificate2 certificate) => $"""
        apiVersion: v1
        kind: Secret
        metadata: {"{"}name: {name}{"}"}
        type: kubernetes.io/tls
        stringData:
          tls.crt: |
        {Indent(certificate.ExportCertificatePem(), 4)}
          tls.key: |
        {Indent(certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem(), 4)}
        """;

    /// <summary>A ConfigMap holding <paramref name="pem"/> under <c>ca.crt</c>.</summary>
    public static string CaConfigMapYaml(string name, string pem) => $"""
        apiVersion: v1
        kind: ConfigMap
        metadata: {"{"}name: {name}{"}"}
        data:
          ca.crt: |
        {Indent(pem, 4)}
        """;

    public void Dispose()
    {
        Certificate.Dispose();
        _key.Dispose();
    }

    private static string Indent(string pem, int spaces) =>
        string.Join('\n', pem.Trim().Split('\n').Select(line => new string(' ', spaces) + line.TrimEnd('\r')));
}
