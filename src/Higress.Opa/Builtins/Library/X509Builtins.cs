using System.Formats.Asn1;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Higress.Opa.Values;

namespace Higress.Opa.Builtins.Library;

/// <summary>
/// crypto.x509.* and crypto.parse_private_keys. Certificates are returned as a subset of Go's x509.Certificate JSON
/// (Raw, Version, SerialNumber, Subject/Issuer as pkix.Name, NotBefore/NotAfter, DNSNames, EmailAddresses, IPAddresses,
/// URIStrings, IsCA, BasicConstraintsValid, KeyUsage).
/// </summary>
internal static class X509Builtins
{
    public static void Register(BuiltinRegistry r)
    {
        r.Register1("crypto.x509.parse_certificates", (a, _) =>
            RegoArray.Create(LoadCertificates(Operand.AsString(a, 1)).Select(c => (RegoValue)CertObject(c))));
        r.Register1("crypto.x509.parse_and_verify_certificates", (a, ctx) =>
        {
            // As OPA: the first certificate is the root, the last the leaf, the others intermediates; the result is the
            // verified chain from the leaf to the root.
            var certs = LoadCertificates(Operand.AsString(a, 1));
            var chain = certs.Count >= 2 ? VerifyChain(certs, ctx) : null;
            return chain is not null
                ? RegoArray.Create(RegoBoolean.True, RegoArray.Create(chain.Select(c => (RegoValue)CertObject(c))))
                : RegoArray.Create(RegoBoolean.False, RegoArray.Empty);
        });
        r.Register1("crypto.x509.parse_certificate_request", (a, _) => CsrObject(Operand.AsString(a, 1)));
        r.Register2("crypto.x509.parse_keypair", (c, k, _) =>
        {
            var certs = LoadCertificates(Operand.AsString(c, 1));
            var keys = PemOrBase64Blocks(Operand.AsString(k, 2)).Where(b => b.Type.EndsWith("PRIVATE KEY", StringComparison.Ordinal)).ToList();
            if (keys.Count == 0)
            {
                throw BuiltinException.Error("tls: failed to find any PEM data in key input");
            }
            return RegoObject.Create(new KeyValuePair<string, RegoValue>[]
            {
                new("Certificate", RegoArray.Create(certs.Select(x => (RegoValue)RegoString.Create(Convert.ToBase64String(x.RawData))))),
                new("PrivateKey", (RegoValue?)PrivateJwk(keys[0].Type, keys[0].Der) ?? RegoNull.Instance),
            });
        });
        r.Register1("crypto.x509.parse_rsa_private_key", (a, _) =>
        {
            var block = PemOrBase64Blocks(Operand.AsString(a, 1)).FirstOrDefault();
            return (block.Der is null ? null : PrivateJwk(block.Type, block.Der)) ?? throw BuiltinException.Error("failed to parse RSA private key");
        });
        r.Register1("crypto.parse_private_keys", (a, _) =>
        {
            string s = Operand.AsString(a, 1);
            if (s.Length == 0)
            {
                return RegoNull.Instance;
            }
            List<(string Type, byte[] Der)> blocks;
            try
            {
                blocks = PemOrBase64Blocks(s);
            }
            catch (BuiltinException)
            {
                return RegoArray.Empty;
            }
            return RegoArray.Create(blocks.Select(b => PrivateJwk(b.Type, b.Der)).Where(j => j is not null).Select(j => (RegoValue)j!));
        });
    }

    private static byte[] Base64Std(string s)
    {
        int bad = EncodingBuiltins.TryDecodeBase64(s, false, out var bytes);
        return bad < 0 ? bytes : throw BuiltinException.Error("illegal base64 data at input byte " + bad.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>PEM blocks of a PEM string, or of base64 that decodes to PEM; otherwise one DER block ("").</summary>
    private static List<(string Type, byte[] Der)> PemOrBase64Blocks(string s)
    {
        string text = s.TrimStart();
        if (!text.StartsWith("-----BEGIN", StringComparison.Ordinal))
        {
            byte[] raw = Base64Std(s.Trim());
            string decoded = Encoding.UTF8.GetString(raw).TrimStart();
            if (!decoded.StartsWith("-----BEGIN", StringComparison.Ordinal))
            {
                return [("", raw)];
            }
            text = decoded;
        }
        var list = new List<(string, byte[])>();
        int pos = 0;
        while ((pos = text.IndexOf("-----BEGIN ", pos, StringComparison.Ordinal)) >= 0)
        {
            int typeEnd = text.IndexOf("-----", pos + 11, StringComparison.Ordinal);
            if (typeEnd < 0) break;
            string type = text[(pos + 11)..typeEnd];
            string endMarker = "-----END " + type + "-----";
            int end = text.IndexOf(endMarker, typeEnd, StringComparison.Ordinal);
            if (end < 0) break;
            var b64 = new StringBuilder();
            foreach (char c in text[(typeEnd + 5)..end])
            {
                if (!char.IsWhiteSpace(c)) b64.Append(c);
            }
            list.Add((type, Base64Std(b64.ToString())));
            pos = end + endMarker.Length;
        }
        return list;
    }

    private static List<X509Certificate2> LoadCertificates(string s)
    {
        var certs = new List<X509Certificate2>();
        foreach (var (type, der) in PemOrBase64Blocks(s))
        {
            if (type is not ("" or "CERTIFICATE"))
            {
                continue;
            }
            var rest = der.AsMemory();
            while (!rest.IsEmpty)
            {
                try
                {
                    AsnDecoder.ReadEncodedValue(rest.Span, AsnEncodingRules.DER, out _, out _, out int consumed);
                    certs.Add(X509CertificateLoader.LoadCertificate(rest[..consumed].ToArray()));
                    rest = rest[consumed..];
                }
                catch (Exception e) when (e is AsnContentException or CryptographicException)
                {
                    throw BuiltinException.Error("x509: malformed certificate");
                }
            }
        }
        return certs;
    }

    private static List<X509Certificate2>? VerifyChain(List<X509Certificate2> certs, BuiltinContext ctx)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = ctx.Now.UtcDateTime;
        chain.ChainPolicy.CustomTrustStore.Add(certs[0]);
        for (int i = 1; i < certs.Count - 1; i++)
        {
            chain.ChainPolicy.ExtraStore.Add(certs[i]);
        }
        if (!chain.Build(certs[^1]))
        {
            return null;
        }
        return [.. chain.ChainElements.Select(e => e.Certificate)];
    }

    private static RegoValue Strings(List<string> list) =>
        list.Count == 0 ? RegoNull.Instance : RegoArray.Create(list.Select(x => (RegoValue)RegoString.Create(x)));

    private static RegoObject Name(X500DistinguishedName dn)
    {
        var map = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var names = new List<RegoValue>();
        foreach (var rdn in dn.EnumerateRelativeDistinguishedNames())
        {
            string oid = rdn.GetSingleElementType().Value ?? "";
            string value = rdn.GetSingleElementValue() ?? "";
            string field = oid switch
            {
                "2.5.4.3" => "CommonName",
                "2.5.4.6" => "Country",
                "2.5.4.10" => "Organization",
                "2.5.4.11" => "OrganizationalUnit",
                "2.5.4.7" => "Locality",
                "2.5.4.8" => "Province",
                "2.5.4.9" => "StreetAddress",
                "2.5.4.17" => "PostalCode",
                "2.5.4.5" => "SerialNumber",
                _ => "",
            };
            if (!map.TryGetValue(field, out var l))
            {
                map[field] = l = [];
            }
            l.Add(value);
            names.Add(RegoObject.Create(new KeyValuePair<string, RegoValue>[]
            {
                new("Type", RegoArray.Create(oid.Split('.').Select(p => (RegoValue)RegoNumber.FromInt64(long.Parse(p, CultureInfo.InvariantCulture))))),
                new("Value", RegoString.Create(value)),
            }));
        }
        List<string> Get(string f) => map.TryGetValue(f, out var v) ? v : [];
        return RegoObject.Create(new KeyValuePair<string, RegoValue>[]
        {
            new("CommonName", RegoString.Create(Get("CommonName").LastOrDefault() ?? "")),
            new("Country", Strings(Get("Country"))),
            new("Organization", Strings(Get("Organization"))),
            new("OrganizationalUnit", Strings(Get("OrganizationalUnit"))),
            new("Locality", Strings(Get("Locality"))),
            new("Province", Strings(Get("Province"))),
            new("StreetAddress", Strings(Get("StreetAddress"))),
            new("PostalCode", Strings(Get("PostalCode"))),
            new("SerialNumber", RegoString.Create(Get("SerialNumber").LastOrDefault() ?? "")),
            new("Names", names.Count == 0 ? RegoNull.Instance : RegoArray.Create(names)),
            new("ExtraNames", RegoNull.Instance),
        });
    }

    private static (List<string> Dns, List<string> Email, List<string> Ip, List<string> Uri) AltNames(IEnumerable<X509Extension> exts)
    {
        var dns = new List<string>();
        var email = new List<string>();
        var ip = new List<string>();
        var uri = new List<string>();
        foreach (var ext in exts)
        {
            if (ext.Oid?.Value != "2.5.29.17")
            {
                continue;
            }
            var reader = new AsnReader(ext.RawData, AsnEncodingRules.DER).ReadSequence();
            while (reader.HasData)
            {
                var tag = reader.PeekTag();
                if (tag.TagClass != TagClass.ContextSpecific)
                {
                    reader.ReadEncodedValue();
                    continue;
                }
                switch (tag.TagValue)
                {
                    case 1: email.Add(reader.ReadCharacterString(UniversalTagNumber.IA5String, tag)); break;
                    case 2: dns.Add(reader.ReadCharacterString(UniversalTagNumber.IA5String, tag)); break;
                    case 6: uri.Add(reader.ReadCharacterString(UniversalTagNumber.IA5String, tag)); break;
                    case 7: ip.Add(new System.Net.IPAddress(reader.ReadOctetString(tag)).ToString()); break;
                    default: reader.ReadEncodedValue(); break;
                }
            }
        }
        return (dns, email, ip, uri);
    }

    private static RegoObject CertObject(X509Certificate2 c)
    {
        var (dns, email, ip, uri) = AltNames(c.Extensions);
        var bc = c.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        var ku = c.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        return RegoObject.Create(new KeyValuePair<string, RegoValue>[]
        {
            new("Raw", RegoString.Create(Convert.ToBase64String(c.RawData))),
            new("Version", RegoNumber.FromInt64(c.Version)),
            new("SerialNumber", RegoNumber.FromBigInteger(new BigInteger(c.SerialNumberBytes.Span, isUnsigned: true, isBigEndian: true))),
            new("Issuer", Name(c.IssuerName)),
            new("Subject", Name(c.SubjectName)),
            new("NotBefore", RegoString.Create(c.NotBefore.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))),
            new("NotAfter", RegoString.Create(c.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))),
            new("KeyUsage", RegoNumber.FromInt64(ku is null ? 0 : GoKeyUsage(ku.KeyUsages))),
            new("BasicConstraintsValid", RegoValue.Boolean(bc is not null)),
            new("IsCA", RegoValue.Boolean(bc?.CertificateAuthority ?? false)),
            new("DNSNames", Strings(dns)),
            new("EmailAddresses", Strings(email)),
            new("IPAddresses", Strings(ip)),
            new("URIStrings", Strings(uri)),
        });
    }

    private static long GoKeyUsage(X509KeyUsageFlags f)
    {
        long v = 0;
        if (f.HasFlag(X509KeyUsageFlags.DigitalSignature)) v |= 1;
        if (f.HasFlag(X509KeyUsageFlags.NonRepudiation)) v |= 2;
        if (f.HasFlag(X509KeyUsageFlags.KeyEncipherment)) v |= 4;
        if (f.HasFlag(X509KeyUsageFlags.DataEncipherment)) v |= 8;
        if (f.HasFlag(X509KeyUsageFlags.KeyAgreement)) v |= 16;
        if (f.HasFlag(X509KeyUsageFlags.KeyCertSign)) v |= 32;
        if (f.HasFlag(X509KeyUsageFlags.CrlSign)) v |= 64;
        if (f.HasFlag(X509KeyUsageFlags.EncipherOnly)) v |= 128;
        if (f.HasFlag(X509KeyUsageFlags.DecipherOnly)) v |= 256;
        return v;
    }

    private static RegoObject CsrObject(string s)
    {
        var block = PemOrBase64Blocks(s).FirstOrDefault();
        if (block.Der is null)
        {
            throw BuiltinException.Error("asn1: structure error: no certificate request found");
        }
        try
        {
            var req = CertificateRequest.LoadSigningRequest(block.Der, HashAlgorithmName.SHA256,
                CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions | CertificateRequestLoadOptions.SkipSignatureValidation);
            var (dns, email, ip, uri) = AltNames(req.CertificateExtensions);
            return RegoObject.Create(new KeyValuePair<string, RegoValue>[]
            {
                new("Raw", RegoString.Create(Convert.ToBase64String(block.Der))),
                new("Subject", Name(req.SubjectName)),
                new("DNSNames", Strings(dns)),
                new("EmailAddresses", Strings(email)),
                new("IPAddresses", Strings(ip)),
                new("URIs", Strings(uri)),
            });
        }
        catch (Exception e) when (e is CryptographicException or AsnContentException)
        {
            throw BuiltinException.Error("asn1: structure error: " + e.Message);
        }
    }

    private static RegoObject? PrivateJwk(string type, byte[] der)
    {
        try
        {
            using var rsa = RSA.Create();
            if (type == "RSA PRIVATE KEY")
            {
                rsa.ImportRSAPrivateKey(der, out _);
            }
            else if (type is "PRIVATE KEY" or "")
            {
                try
                {
                    rsa.ImportPkcs8PrivateKey(der, out _);
                }
                catch (CryptographicException) when (type == "")
                {
                    rsa.ImportRSAPrivateKey(der, out _);
                }
            }
            else
            {
                return null;
            }
            var p = rsa.ExportParameters(true);
            static RegoValue B(byte[]? b) => RegoString.Create(EncodingBuiltins.ToBase64Url(b ?? [], false));
            return RegoObject.Create(new KeyValuePair<string, RegoValue>[]
            {
                new("kty", RegoString.Create("RSA")), new("n", B(p.Modulus)), new("e", B(p.Exponent)), new("d", B(p.D)),
                new("p", B(p.P)), new("q", B(p.Q)), new("dp", B(p.DP)), new("dq", B(p.DQ)), new("qi", B(p.InverseQ)),
            });
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
