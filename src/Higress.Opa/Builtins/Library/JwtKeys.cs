using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Higress.Opa.Builtins.Library;

/// <summary>Verification and signing keys for JWTs: PEM certificates / public keys and JWK (sets).</summary>
internal static class JwtKeys
{
    internal sealed record Key(string Kty, string? Kid, string? Alg, RSA? Rsa, ECDsa? Ec, byte[]? Secret, byte[]? EdPublic = null, byte[]? EdSeed = null);

    private static readonly byte[] Ed25519SpkiPrefix = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00];

    public static List<Key> FromCertOrJwk(string text)
    {
        int begin = text.IndexOf("-----BEGIN ", StringComparison.Ordinal);
        if (begin >= 0)
        {
            var block = DecodePem(text, begin);
            if (block is not null)
            {
                var (type, der, rest) = block.Value;
                if (rest.Trim().Length > 0)
                {
                    throw BuiltinException.Error("extra data after a PEM certificate block");
                }
                if (type == "CERTIFICATE")
                {
                    try
                    {
#pragma warning disable SYSLIB0057
                        using var cert = new X509Certificate2(der);
#pragma warning restore SYSLIB0057
                        var rsa = cert.GetRSAPublicKey();
                        if (rsa is not null)
                        {
                            return [new Key("RSA", null, null, rsa, null, null)];
                        }
                        var ec = cert.GetECDsaPublicKey();
                        if (ec is not null)
                        {
                            return [new Key("EC", null, null, null, ec, null)];
                        }
                        if (cert.PublicKey.Oid.Value == "1.3.101.112")
                        {
                            return [new Key("OKP", null, null, null, null, null, cert.PublicKey.EncodedKeyValue.RawData)];
                        }
                        throw BuiltinException.Error("failed to parse a PEM certificate: unsupported key type");
                    }
                    catch (CryptographicException e)
                    {
                        throw BuiltinException.Error("failed to parse a PEM certificate: " + e.Message);
                    }
                }
                if (type == "PUBLIC KEY")
                {
                    if (der.Length == 44 && der.AsSpan(0, 12).SequenceEqual(Ed25519SpkiPrefix))
                    {
                        return [new Key("OKP", null, null, null, null, null, der[12..])];
                    }
                    try
                    {
                        try
                        {
                            var rsa = RSA.Create();
                            rsa.ImportSubjectPublicKeyInfo(der, out _);
                            return [new Key("RSA", null, null, rsa, null, null)];
                        }
                        catch (CryptographicException)
                        {
                            var ec = ECDsa.Create();
                            ec.ImportSubjectPublicKeyInfo(der, out _);
                            return [new Key("EC", null, null, null, ec, null)];
                        }
                    }
                    catch (CryptographicException e)
                    {
                        throw BuiltinException.Error("failed to parse a PEM public key: " + e.Message);
                    }
                }
                throw BuiltinException.Error("failed to extract a Key from the PEM certificate");
            }
        }
        try
        {
            return ParseJwks(text);
        }
        catch (Exception e) when (e is JsonException or FormatException or CryptographicException or InvalidOperationException or KeyNotFoundException)
        {
            throw BuiltinException.Error("failed to parse a JWK key (set): " + e.Message);
        }
    }

    private static (string Type, byte[] Der, string Remainder)? DecodePem(string text, int begin)
    {
        int typeStart = begin + "-----BEGIN ".Length;
        int typeEnd = text.IndexOf("-----", typeStart, StringComparison.Ordinal);
        if (typeEnd < 0)
        {
            return null;
        }
        string type = text[typeStart..typeEnd];
        string endMarker = "-----END " + type + "-----";
        int end = text.IndexOf(endMarker, typeEnd, StringComparison.Ordinal);
        if (end < 0)
        {
            return null;
        }
        string body = text[(typeEnd + 5)..end];
        var sb = new StringBuilder();
        foreach (char c in body)
        {
            if (!char.IsWhiteSpace(c))
            {
                sb.Append(c);
            }
        }
        byte[] der;
        try
        {
            der = Convert.FromBase64String(sb.ToString());
        }
        catch (FormatException)
        {
            return null;
        }
        return (type, der, text[(end + endMarker.Length)..]);
    }

    public static List<Key> ParseJwks(string text)
    {
        using var doc = JsonDocument.Parse(text);
        var root = doc.RootElement;
        var list = new List<Key>();
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("keys", out var keys))
        {
            foreach (var k in keys.EnumerateArray())
            {
                list.Add(ParseJwk(k));
            }
        }
        else
        {
            list.Add(ParseJwk(root));
        }
        return list;
    }

    private static byte[] B64(JsonElement e, string name) => Base64UrlDecode(e.GetProperty(name).GetString() ?? "");

    private static byte[]? OptB64(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? Base64UrlDecode(v.GetString()!) : null;

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static byte[] Base64UrlDecode(string s)
    {
        s = s.TrimEnd('=').Replace('-', '+').Replace('_', '/');
        s += (s.Length % 4) switch { 2 => "==", 3 => "=", _ => "" };
        return Convert.FromBase64String(s);
    }

    public static Key ParseJwk(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("JWK must be an object");
        }
        string kty = Str(e, "kty") ?? throw new FormatException("missing kty");
        string? kid = Str(e, "kid"), alg = Str(e, "alg");
        switch (kty)
        {
            case "RSA":
                {
                    var p = new RSAParameters { Modulus = B64(e, "n"), Exponent = B64(e, "e") };
                    var d = OptB64(e, "d");
                    if (d is not null)
                    {
                        p.D = d;
                        p.P = OptB64(e, "p");
                        p.Q = OptB64(e, "q");
                        p.DP = OptB64(e, "dp");
                        p.DQ = OptB64(e, "dq");
                        p.InverseQ = OptB64(e, "qi");
                    }
                    var rsa = RSA.Create();
                    rsa.ImportParameters(p);
                    return new Key(kty, kid, alg, rsa, null, null);
                }
            case "EC":
                {
                    string crv = Str(e, "crv") ?? throw new FormatException("missing crv");
                    var curve = crv switch
                    {
                        "P-256" => ECCurve.NamedCurves.nistP256,
                        "P-384" => ECCurve.NamedCurves.nistP384,
                        "P-521" => ECCurve.NamedCurves.nistP521,
                        _ => throw new FormatException("unsupported curve " + crv),
                    };
                    var p = new ECParameters { Curve = curve, Q = new ECPoint { X = B64(e, "x"), Y = B64(e, "y") }, D = OptB64(e, "d") };
                    var ec = ECDsa.Create();
                    ec.ImportParameters(p);
                    return new Key(kty, kid, alg, null, ec, null);
                }
            case "oct":
                return new Key(kty, kid, alg, null, null, B64(e, "k"));
            case "OKP" when Str(e, "crv") == "Ed25519":
                {
                    var seed = OptB64(e, "d");
                    var pub = OptB64(e, "x") ?? (seed is null ? throw new FormatException("missing x") : Ed25519.PublicKey(seed));
                    return new Key(kty, kid, alg, null, null, null, pub, seed);
                }
            default:
                throw new FormatException("unsupported kty " + kty);
        }
    }

    public static HashAlgorithmName Hash(string alg) => alg[2..] switch
    {
        "256" => HashAlgorithmName.SHA256,
        "384" => HashAlgorithmName.SHA384,
        _ => HashAlgorithmName.SHA512,
    };

    public static bool IsKnown(string alg) => alg is "HS256" or "HS384" or "HS512" or "RS256" or "RS384" or "RS512"
        or "PS256" or "PS384" or "PS512" or "ES256" or "ES384" or "ES512" or "EdDSA";

    public static byte[] Hmac(string alg, byte[] key, byte[] data) => Hash(alg).Name switch
    {
        "SHA256" => HMACSHA256.HashData(key, data),
        "SHA384" => HMACSHA384.HashData(key, data),
        _ => HMACSHA512.HashData(key, data),
    };

    /// <summary>Checks a signature with one key; false when the key does not suit the algorithm.</summary>
    public static bool Verify(string alg, Key key, byte[] data, byte[] sig)
    {
        try
        {
            switch (alg[..2])
            {
                case "HS":
                    return key.Secret is not null && CryptographicOperations.FixedTimeEquals(Hmac(alg, key.Secret, data), sig);
                case "RS":
                    return key.Rsa is not null && key.Rsa.VerifyData(data, sig, Hash(alg), RSASignaturePadding.Pkcs1);
                case "PS":
                    return key.Rsa is not null && key.Rsa.VerifyData(data, sig, Hash(alg), RSASignaturePadding.Pss);
                case "ES":
                    return key.Ec is not null && key.Ec.VerifyData(data, sig, Hash(alg), DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
                case "Ed":
                    return key.EdPublic is not null && Ed25519.Verify(key.EdPublic, data, sig);
                default:
                    return false;
            }
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public static byte[] Sign(string alg, Key key, byte[] data)
    {
        switch (alg[..2])
        {
            case "HS":
                return Hmac(alg, key.Secret ?? throw BuiltinException.Error("invalid key for " + alg), data);
            case "RS":
                return (key.Rsa ?? throw BuiltinException.Error("invalid key for " + alg)).SignData(data, Hash(alg), RSASignaturePadding.Pkcs1);
            case "PS":
                return (key.Rsa ?? throw BuiltinException.Error("invalid key for " + alg)).SignData(data, Hash(alg), RSASignaturePadding.Pss);
            case "ES":
                return (key.Ec ?? throw BuiltinException.Error("invalid key for " + alg)).SignData(data, Hash(alg), DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            case "Ed":
                return Ed25519.Sign(key.EdSeed ?? throw BuiltinException.Error("invalid key for " + alg), data);
            default:
                throw BuiltinException.Error("unknown JWS algorithm: " + alg);
        }
    }
}
