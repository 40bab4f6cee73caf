using System.Formats.Asn1;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Higress.Core.Plugins;

/// <summary>
/// The identity of a client that presented a certificate on a mutual-TLS listener (<c>tls.frontendValidation</c>); the
/// certificate was validated against the listener's CAs during the handshake. Forwarded to the upstream in
/// <see cref="HeaderName"/>.
/// </summary>
public sealed class ClientCertificateIdentity
{
    /// <summary>The header that carries the identity upstream, in Envoy's format; a client's own is always removed.</summary>
    public const string HeaderName = "x-forwarded-client-cert";

    // One identity per certificate object, which Kestrel keeps for the connection: parsed once, not per request.
    private static readonly ConditionalWeakTable<X509Certificate2, ClientCertificateIdentity> Cache = new();

    private ClientCertificateIdentity(X509Certificate2 certificate)
    {
        Subject = certificate.Subject;
        Hash = Convert.ToHexStringLower(SHA256.HashData(certificate.RawDataMemory.Span));
        var uris = new List<string>();
        var dns = new List<string>();
        foreach (var extension in certificate.Extensions)
        {
            if (extension.Oid?.Value == "2.5.29.17")
            {
                ReadSubjectAlternativeNames(extension.RawData, uris, dns);
            }
        }

        Uris = uris;
        DnsNames = dns;
        ForwardedValue = Format();
    }

    /// <summary>The subject distinguished name, e.g. <c>CN=client, O=example</c>.</summary>
    public string Subject { get; }

    /// <summary>The SHA-256 fingerprint of the DER certificate, lower-case hex.</summary>
    public string Hash { get; }

    /// <summary>The URI subject alternative names (e.g. SPIFFE ids).</summary>
    public IReadOnlyList<string> Uris { get; }

    /// <summary>The DNS subject alternative names.</summary>
    public IReadOnlyList<string> DnsNames { get; }

    /// <summary>The <see cref="HeaderName"/> value: <c>Hash=…;Subject="…";URI=…;DNS=…</c>.</summary>
    public string ForwardedValue { get; }

    /// <summary>The identity of the request's verified client certificate, or null when the client presented none.</summary>
    /// <param name="context">The request.</param>
    /// <returns>The identity, or null.</returns>
    public static ClientCertificateIdentity? Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // The feature itself: ConnectionInfo.ClientCertificate would add an empty TLS feature to every plaintext request.
        return context.Features.Get<ITlsConnectionFeature>()?.ClientCertificate is { } certificate ? Cache.GetValue(certificate, static c => new ClientCertificateIdentity(c)) : null;
    }

    /// <summary>
    /// Removes any <see cref="HeaderName"/> the client sent and, when the connection carries a verified client
    /// certificate, sets it to this gateway's own value.
    /// </summary>
    /// <param name="context">The request.</param>
    public static void Forward(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var headers = context.Request.Headers;
        headers.Remove(HeaderName);
        if (Of(context) is { } identity)
        {
            headers[HeaderName] = identity.ForwardedValue;
        }
    }

    private string Format()
    {
        var value = new StringBuilder("Hash=").Append(Hash).Append(";Subject=\"")
            .Append(Subject.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
        foreach (var uri in Uris)
        {
            value.Append(";URI=").Append(uri);
        }

        foreach (var name in DnsNames)
        {
            value.Append(";DNS=").Append(name);
        }

        return value.ToString();
    }

    // GeneralNames ::= SEQUENCE OF GeneralName; dNSName [2] and uniformResourceIdentifier [6] are IA5Strings.
    private static void ReadSubjectAlternativeNames(byte[] der, List<string> uris, List<string> dns)
    {
        try
        {
            var names = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
            while (names.HasData)
            {
                var tag = names.PeekTag();
                if (tag.TagClass == TagClass.ContextSpecific && tag.TagValue is 2 or 6)
                {
                    var text = names.ReadCharacterString(UniversalTagNumber.IA5String, tag);
                    (tag.TagValue == 2 ? dns : uris).Add(text);
                }
                else
                {
                    names.ReadEncodedValue();
                }
            }
        }
        catch (AsnContentException)
        {
            // A malformed extension yields no names; the handshake already accepted the certificate.
        }
    }
}
