using System.Text;
using System.Text.Json;
using Higress.Opa.Values;

namespace Higress.Opa.Builtins.Library;

internal static class JwtBuiltins
{
    private sealed record Token(string Header, string Payload, string Signature)
    {
        public byte[] SigningInput => Encoding.ASCII.GetBytes(Header + "." + Payload);
    }

    public static void Register(BuiltinRegistry r)
    {
        r.Register1("io.jwt.decode", (a, _) => Decode(Operand.AsString(a, 1)));
        foreach (var alg in new[] { "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA" })
        {
            string a2 = alg;
            r.Register2("io.jwt.verify_" + alg.ToLowerInvariant(), (tok, cert, _) =>
            {
                var t = Split(Operand.AsString(tok, 1));
                var keys = JwtKeys.FromCertOrJwk(Operand.AsString(cert, 2));
                byte[] sig = Part(t.Signature, "signature");
                var header = JwtHeader.Read(ParseObject(Part(t.Header, "header"), "header"));
                return RegoValue.Boolean(header.Candidates(keys).Any(k => JwtKeys.Verify(a2, k, t.SigningInput, sig)));
            });
        }
        foreach (var alg in new[] { "HS256", "HS384", "HS512" })
        {
            string a2 = alg;
            r.Register2("io.jwt.verify_" + alg.ToLowerInvariant(), (tok, secret, _) =>
            {
                var t = Split(Operand.AsString(tok, 1));
                var key = new JwtKeys.Key("oct", null, null, null, null, Encoding.UTF8.GetBytes(Operand.AsString(secret, 2)));
                byte[] sig = Part(t.Signature, "signature");
                return RegoValue.Boolean(JwtKeys.Verify(a2, key, t.SigningInput, sig));
            });
        }
        r.Register2("io.jwt.decode_verify", (tok, c, ctx) => DecodeVerify(Operand.AsString(tok, 1), Operand.AsObject(c, 2), ctx));
        r.Register3("io.jwt.encode_sign", (h, p, k, _) =>
        {
            var header = Operand.AsObject(h, 1);
            var payload = Operand.AsObject(p, 2);
            var key = Operand.AsObject(k, 3);
            return Sign(JsonBuiltins.Marshal(header, null, null), JsonBuiltins.Marshal(payload, null, null), RegoConvert.ToJson(key));
        });
        r.Register3("io.jwt.encode_sign_raw", (h, p, k, _) =>
            Sign(Operand.AsString(h, 1), Operand.AsString(p, 2), Operand.AsString(k, 3)));
    }

    /// <summary>Decoded tokens by their text: a gateway sees the same bearer token on many requests, and the result is immutable.</summary>
    private static readonly BoundedCache<string, RegoArray> Decoded = new(1024, StringComparer.Ordinal);

    private const int MaxCachedTokenLength = 16 * 1024;

    internal static RegoArray Decode(string token)
    {
        if (Decoded.TryGet(token, out var cached))
        {
            return cached;
        }
        var (header, payload, inner) = DecodeParts(Split(token));
        byte[] sig = Part(inner.Signature, "signature");
        var result = RegoArray.Create(header, payload, RegoString.Create(Convert.ToHexString(sig).ToLowerInvariant()));
        if (token.Length <= MaxCachedTokenLength)
        {
            Decoded.Add(token, result);
        }
        return result;
    }

    private static Token Split(string s)
    {
        if (!s.Contains('.', StringComparison.Ordinal))
        {
            throw BuiltinException.Error("encoded JWT had no period separators");
        }
        var parts = s.Split('.');
        if (parts.Length != 3)
        {
            throw BuiltinException.Error($"encoded JWT must have 3 sections, found {parts.Length}");
        }
        return new Token(parts[0], parts[1], parts[2]);
    }

    private static byte[] Part(string s, string what)
    {
        string padded = (s.Length % 4) switch { 2 => s + "==", 3 => s + "=", _ => s };
        int bad = EncodingBuiltins.TryDecodeBase64(padded, true, out var bytes);
        if (bad >= 0)
        {
            throw BuiltinException.Error($"JWT {what} had invalid encoding: illegal base64 data at input byte {bad}");
        }
        return bytes;
    }

    private static string InnerToken(byte[] payloadBytes)
    {
        string text = Encoding.UTF8.GetString(payloadBytes).Trim();
        if (text.StartsWith('"') && RegoConvert.ParseJson(text) is RegoString s)
        {
            return s.Value;
        }
        return text;
    }

    private static (RegoObject Header, RegoValue Payload, Token Inner) DecodeParts(Token t)
    {
        var header = ParseObject(Part(t.Header, "header"), "header");
        if (header.ContainsKey(RegoString.Create("enc")))
        {
            throw BuiltinException.Error("JWT is a JWE object, which is not supported");
        }
        byte[] payloadBytes = Part(t.Payload, "payload");
        if (header.Get("cty") is RegoString { Value: "JWT" })
        {
            var inner = Split(InnerToken(payloadBytes));
            return DecodeParts(inner);
        }
        RegoValue payload;
        try
        {
            payload = RegoConvert.ParseJson(payloadBytes);
        }
        catch (JsonException)
        {
            throw BuiltinException.Error("JWT payload had invalid encoding: not valid JSON");
        }
        return (header, payload, t);
    }

    private static RegoObject ParseObject(byte[] bytes, string what)
    {
        try
        {
            return RegoConvert.ParseJson(bytes) as RegoObject ?? throw BuiltinException.Error($"JWT {what} is not a JSON object");
        }
        catch (JsonException)
        {
            throw BuiltinException.Error($"JWT {what} had invalid encoding: not valid JSON");
        }
    }

    private static RegoArray DecodeVerify(string token, RegoObject constraints, BuiltinContext ctx)
    {
        var unverified = RegoArray.Create(RegoBoolean.False, RegoObject.Empty, RegoObject.Empty);
        List<JwtKeys.Key>? keys = null;
        byte[]? secret = null;
        string? wantAlg = null, wantIss = null, wantAud = null;
        double timeNs = ctx.NowNanoseconds;
        foreach (var kv in constraints)
        {
            string name = kv.Key is RegoString ks ? ks.Value : kv.Key.ToString();
            switch (name)
            {
                case "cert":
                    keys = JwtKeys.FromCertOrJwk(Operand.AsString(kv.Value, 2));
                    break;
                case "secret":
                    secret = Encoding.UTF8.GetBytes(Operand.AsString(kv.Value, 2));
                    break;
                case "alg":
                    wantAlg = Operand.AsString(kv.Value, 2);
                    break;
                case "iss":
                    wantIss = Operand.AsString(kv.Value, 2);
                    break;
                case "aud":
                    wantAud = Operand.AsString(kv.Value, 2);
                    break;
                case "time":
                    timeNs = Operand.AsNumber(kv.Value, 2).ToDouble();
                    break;
                default:
                    throw BuiltinException.Error($"unknown token validation constraint: {name}");
            }
        }
        if (keys is not null && secret is not null)
        {
            throw BuiltinException.Error("duplicate key constraints");
        }
        if (keys is null && secret is null)
        {
            throw BuiltinException.Error("no key constraint");
        }
        var t = Split(token);
        RegoObject header = ParseObject(Part(t.Header, "header"), "header");
        if (header.ContainsKey(RegoString.Create("enc")))
        {
            throw BuiltinException.Error("JWT is a JWE object, which is not supported");
        }
        while (true)
        {
            byte[] sig = Part(t.Signature, "signature");
            var h = JwtHeader.Read(header);
            string alg = h.Alg;
            if (!h.Valid || !JwtKeys.IsKnown(alg))
            {
                return unverified;
            }
            if (wantAlg is not null && wantAlg != alg)
            {
                return unverified;
            }
            IReadOnlyList<JwtKeys.Key> candidates = secret is not null ? [new JwtKeys.Key("oct", null, null, null, null, secret)] : h.Candidates(keys!);
            if (!candidates.Any(k => JwtKeys.Verify(alg, k, t.SigningInput, sig)))
            {
                return unverified;
            }
            byte[] payloadBytes = Part(t.Payload, "payload");
            if (h.IsNested)
            {
                t = Split(InnerToken(payloadBytes));
                header = ParseObject(Part(t.Header, "header"), "header");
                continue;
            }
            if (RegoConvert.ParseJson(payloadBytes) is not RegoObject payload)
            {
                return unverified;
            }
            if (wantIss is not null && (payload.Get("iss") is not RegoString issValue || issValue.Value != wantIss))
            {
                return unverified;
            }
            var aud = payload.Get("aud");
            if (aud is not null)
            {
                bool ok = wantAud is not null && aud switch
                {
                    RegoString s => s.Value == wantAud,
                    RegoArray arr => arr.Any(e => e is RegoString es && es.Value == wantAud),
                    _ => false,
                };
                if (!ok)
                {
                    return unverified;
                }
            }
            else if (wantAud is not null)
            {
                return unverified;
            }
            double now = timeNs / 1e9;
            if (payload.Get("exp") is { } exp)
            {
                var n = exp as RegoNumber ?? throw BuiltinException.Error("exp value must be a number");
                if (now >= n.ToDouble())
                {
                    return unverified;
                }
            }
            if (payload.Get("nbf") is { } nbf)
            {
                var n = nbf as RegoNumber ?? throw BuiltinException.Error("nbf value must be a number");
                if (now < n.ToDouble())
                {
                    return unverified;
                }
            }
            return RegoArray.Create(RegoBoolean.True, header, payload);
        }
    }

    private static RegoString Sign(string headerJson, string payloadJson, string keyJson)
    {
        RegoValue header;
        try
        {
            if (headerJson.Length == 0)
            {
                throw BuiltinException.Error("missing or invalid 'alg' header: cannot parse JSON: cannot parse empty string");
            }
            header = RegoConvert.ParseJson(headerJson);
        }
        catch (JsonException)
        {
            throw BuiltinException.Error(headerJson.Contains("\"alg\"", StringComparison.Ordinal)
                ? "missing or invalid 'alg' header: cannot parse JSON"
                : "missing or invalid 'alg' header: jwsbb: header \"alg\" not found");
        }
        if (header is not RegoObject ho || ho.Get("alg") is not RegoString { Value: var alg })
        {
            throw BuiltinException.Error("missing or invalid 'alg' header: jwsbb: header \"alg\" not found");
        }
        if (!JwtKeys.IsKnown(alg))
        {
            throw BuiltinException.Error("unknown JWS algorithm: " + alg);
        }
        if (ho.Get("typ") is RegoString { Value: "JWT" })
        {
            try
            {
                using var _ = JsonDocument.Parse(payloadJson);
            }
            catch (JsonException)
            {
                throw BuiltinException.Error("type is JWT but payload is not JSON");
            }
        }
        JwtKeys.Key key;
        try
        {
            var keys = JwtKeys.ParseJwks(keyJson);
            key = keys[0];
        }
        catch (Exception e) when (e is JsonException or FormatException or System.Security.Cryptography.CryptographicException or KeyNotFoundException or InvalidOperationException)
        {
            throw BuiltinException.Error("failed to parse a JWK key (set): " + e.Message);
        }
        string signingInput = EncodingBuiltins.ToBase64Url(Encoding.UTF8.GetBytes(headerJson), false) + "." +
            EncodingBuiltins.ToBase64Url(Encoding.UTF8.GetBytes(payloadJson), false);
        byte[] sig = JwtKeys.Sign(alg, key, Encoding.ASCII.GetBytes(signingInput));
        return RegoString.Create(signingInput + "." + EncodingBuiltins.ToBase64Url(sig, false));
    }
}
