using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Higress.Core.Plugins;
using Microsoft.AspNetCore.Http;

namespace Higress.Core.Tests.Plugins;

public sealed class ClientCertificateIdentityTests
{
    private static X509Certificate2 Certificate(string subject, Action<SubjectAlternativeNameBuilder>? names = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        if (names is not null)
        {
            var builder = new SubjectAlternativeNameBuilder();
            names(builder);
            request.CertificateExtensions.Add(builder.Build());
        }

        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    [Fact]
    public void The_identity_names_subject_sans_and_sha256_fingerprint_in_envoys_format()
    {
        using var certificate = Certificate("CN=client, O=Example", n =>
        {
            n.AddUri(new Uri("spiffe://cluster.local/ns/a/sa/b"));
            n.AddDnsName("a.example.com");
            n.AddIpAddress(System.Net.IPAddress.Loopback);
            n.AddDnsName("b.example.com");
        });
        var http = new DefaultHttpContext();
        http.Connection.ClientCertificate = certificate;

        var identity = new PluginContext(http, PluginTestData.Route()).ClientCertificate!;

        var hash = Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));
        Assert.Equal("CN=client, O=Example", identity.Subject);
        Assert.Equal(hash, identity.Hash);
        Assert.Equal(["spiffe://cluster.local/ns/a/sa/b"], identity.Uris);
        Assert.Equal(["a.example.com", "b.example.com"], identity.DnsNames);
        Assert.Equal($"Hash={hash};Subject=\"CN=client, O=Example\";URI=spiffe://cluster.local/ns/a/sa/b;DNS=a.example.com;DNS=b.example.com", identity.ForwardedValue);
    }

    [Fact]
    public void Forward_replaces_a_client_sent_header_and_removes_it_without_a_certificate()
    {
        using var certificate = Certificate("CN=quote\"d");
        var verified = new DefaultHttpContext();
        verified.Connection.ClientCertificate = certificate;
        verified.Request.Headers[ClientCertificateIdentity.HeaderName] = "Hash=forged";
        var anonymous = new DefaultHttpContext();
        anonymous.Request.Headers[ClientCertificateIdentity.HeaderName] = "Hash=forged";

        ClientCertificateIdentity.Forward(verified);
        ClientCertificateIdentity.Forward(anonymous);

        var value = Assert.Single(verified.Request.Headers[ClientCertificateIdentity.HeaderName])!;
        var subject = ClientCertificateIdentity.Of(verified)!.Subject;
        Assert.Contains('"', subject);
        var hash = Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));
        Assert.Equal($"Hash={hash};Subject=\"{subject.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"", value);
        Assert.False(anonymous.Request.Headers.ContainsKey(ClientCertificateIdentity.HeaderName));
        Assert.Null(ClientCertificateIdentity.Of(anonymous));
    }
}
