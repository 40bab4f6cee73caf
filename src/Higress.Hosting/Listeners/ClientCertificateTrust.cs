using System.Security.Cryptography.X509Certificates;
using Higress.Core.Plan;
using Higress.Core.Resources;

namespace Higress.Hosting.Listeners;

/// <summary>
/// The CAs a mutual-TLS listener trusts, and nothing else: the client's chain is built against these roots alone
/// (custom root trust, never the machine's store), with the client's own intermediates and any in the bundle.
/// </summary>
internal sealed class ClientCertificateTrust
{
    private readonly X509Certificate2Collection _roots = [];
    private readonly X509Certificate2Collection _intermediates = [];
    private readonly X509RevocationMode _revocation;

    public ClientCertificateTrust(ClientCertificateValidation validation)
    {
        var all = new X509Certificate2Collection();
        all.ImportFromPem(validation.CaBundlePem);
        foreach (var certificate in all)
        {
            (certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData) ? _roots : _intermediates).Add(certificate);
        }

        _revocation = validation.Revocation switch
        {
            RevocationCheck.Online => X509RevocationMode.Online,
            RevocationCheck.Offline => X509RevocationMode.Offline,
            _ => X509RevocationMode.NoCheck,
        };
    }

    /// <summary>Why <paramref name="certificate"/> is refused, or null when it chains to a trusted CA.</summary>
    public string? Check(X509Certificate? certificate, X509Chain? presented)
    {
        if (certificate is null)
        {
            return "the client presented no certificate";
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_roots);
        chain.ChainPolicy.ExtraStore.AddRange(_intermediates);
        chain.ChainPolicy.RevocationMode = _revocation;
        chain.ChainPolicy.RevocationFlag = X509RevocationFlag.ExcludeRoot;
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements.Skip(1))
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf)
            ? null
            : string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).DefaultIfEmpty("the chain does not end at a trusted CA"));
    }
}
