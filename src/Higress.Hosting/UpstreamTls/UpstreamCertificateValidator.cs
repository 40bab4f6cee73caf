using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using Higress.Core.Plan;

namespace Higress.Hosting.UpstreamTls;

/// <summary>Why an upstream's certificate was refused: a short kind (the metric's <c>reason</c> label) and the text.</summary>
/// <param name="Kind"><c>untrusted</c>, <c>name</c>, <c>handshake</c>, <c>material</c> or <c>alpn</c>.</param>
/// <param name="Message">What is wrong, naming the certificate and what was expected.</param>
internal sealed record UpstreamTlsRefusal(string Kind, string Message);

/// <summary>
/// Verifies an upstream's certificate as a plan says: the chain is built against the plan's CA bundle only (custom
/// root trust) or, without one, the system's roots; then the certificate must carry one of the plan's
/// subjectAltNames or, without them, its server name. Endpoint addresses and the client's Host never count.
/// Revocation is not checked (private CAs seldom publish revocation lists; Istio does not check either).
/// </summary>
internal static class UpstreamCertificateValidator
{
    private const string SubjectAltNameOid = "2.5.29.17";

    /// <summary>Null when <paramref name="certificate"/> is acceptable, else why not.</summary>
    public static UpstreamTlsRefusal? Check(UpstreamTlsPlan plan, X509Certificate2Collection? roots, X509Certificate2? certificate, X509Chain? presented)
    {
        if (plan.InsecureSkipVerify)
        {
            return null;
        }

        if (certificate is null)
        {
            return new("untrusted", "the upstream presented no certificate");
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (roots is not null)
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        }

        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        if (!chain.Build(certificate))
        {
            var status = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
            return new("untrusted", $"the certificate '{certificate.Subject}' does not chain to {(roots is null ? "the system's trusted roots" : "the configured CA")} ({status})");
        }

        var names = DnsAndUriNames(certificate);
        if (!plan.SubjectAltNames.IsEmpty)
        {
            return plan.SubjectAltNames.Any(wanted => names.Any(name => Matches(name, wanted)))
                ? null
                : new("name", $"the certificate names [{string.Join(", ", names)}], none of subjectAltNames [{string.Join(", ", plan.SubjectAltNames)}]");
        }

        return certificate.MatchesHostname(plan.ServerName, allowWildcards: true, allowCommonName: true)
            ? null
            : new("name", $"the certificate names [{string.Join(", ", names)}], not {plan.ServerName}");
    }

    // A name in the certificate matches a wanted name exactly (DNS names ignore case), or as a wildcard of one label.
    private static bool Matches(string name, string wanted)
    {
        if (name.Equals(wanted, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var dot = wanted.IndexOf('.', StringComparison.Ordinal);
        return name.StartsWith("*.", StringComparison.Ordinal) && dot > 0 && wanted[(dot + 1)..].Equals(name[2..], StringComparison.OrdinalIgnoreCase);
    }

    // The DNS and URI subject alternative names (X509SubjectAlternativeNameExtension exposes DNS names and addresses only).
    private static List<string> DnsAndUriNames(X509Certificate2 certificate)
    {
        var names = new List<string>();
        if (certificate.Extensions[SubjectAltNameOid] is not { } extension)
        {
            return names;
        }

        try
        {
            var sequence = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
            while (sequence.HasData)
            {
                var tag = sequence.PeekTag();
                if (tag.TagClass == TagClass.ContextSpecific && tag.TagValue is 2 or 6)
                {
                    names.Add(sequence.ReadCharacterString(UniversalTagNumber.IA5String, tag));
                }
                else
                {
                    sequence.ReadEncodedValue();
                }
            }
        }
        catch (AsnContentException)
        {
            // A malformed extension names nothing; the name check then refuses the certificate.
        }

        return names;
    }
}
