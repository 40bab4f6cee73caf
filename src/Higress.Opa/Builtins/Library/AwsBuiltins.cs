using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Higress.Opa.Values;

namespace Higress.Opa.Builtins.Library;

/// <summary>providers.aws.sign_req: AWS Signature Version 4 of an http.send request object.</summary>
internal static class AwsBuiltins
{
    public static void Register(BuiltinRegistry r)
    {
        r.Register3("providers.aws.sign_req", (a, b, c, _) => Sign(Operand.AsObject(a, 1), Operand.AsObject(b, 2), c));
    }

    private static void Require(RegoObject o, string[] keys, int pos, string what)
    {
        if (keys.Any(k => !o.ContainsKey(RegoString.Create(k))))
        {
            throw BuiltinException.TypeError($"operand {pos} missing required {what} parameters(s): {{{string.Join(", ", keys.Select(k => "\"" + k + "\""))}}}");
        }
        if (keys.Any(k => o.Get(k) is not RegoString))
        {
            throw BuiltinException.TypeError($"operand {pos} invalid values for required {what} parameters(s): {{{string.Join(", ", keys.Select(k => "\"" + k + "\""))}}}");
        }
    }

    private static string S(RegoObject o, string key) => ((RegoString)o.Get(key)!).Value;

    private static string Hex(byte[] b) => Convert.ToHexString(b).ToLowerInvariant();

    private static RegoObject Sign(RegoObject req, RegoObject cfg, RegoValue timeVal)
    {
        Require(req, ["method", "url"], 1, "request");
        Require(cfg, ["aws_access_key", "aws_region", "aws_secret_access_key", "aws_service"], 2, "AWS config");
        bool unsigned = false;
        if (cfg.Get("disable_payload_signing") is { } dps)
        {
            unsigned = dps is RegoBoolean db ? db.Value : throw BuiltinException.TypeError("operand 2 invalid value for 'disable_payload_signing' in AWS config");
        }
        var tn = Operand.AsNumber(timeVal, 3);
        if (!tn.IsInteger || !tn.TryGetInt64(out long ns) || ns < 0)
        {
            throw BuiltinException.TypeError("operand 3 could not convert time_ns value into a unix timestamp");
        }
        var when = DateTime.UnixEpoch.AddTicks(ns / 100);
        string amzDate = when.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        string date = when.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        string method = S(req, "method");
        var uri = new Uri(S(req, "url"));
        string body = req.Get("raw_body") is RegoString raw ? raw.Value
            : req.Get("body") is { } bv ? JsonBuiltins.Marshal(bv, null, null) : "";
        string payloadHash = unsigned ? "UNSIGNED-PAYLOAD" : Hex(SHA256.HashData(Encoding.UTF8.GetBytes(body)));

        var headers = new SortedDictionary<string, (string Name, string Value)>(StringComparer.Ordinal);
        if (req.Get("headers") is RegoObject h)
        {
            foreach (var kv in h)
            {
                string name = kv.Key is RegoString ks ? ks.Value : kv.Key.ToString();
                string value = kv.Value is RegoString vs ? vs.Value : kv.Value.ToString();
                headers[name.ToLowerInvariant()] = (name, value);
            }
        }
        headers["host"] = ("host", uri.IsDefaultPort ? uri.Host : uri.Host + ":" + uri.Port.ToString(CultureInfo.InvariantCulture));
        // A caller-supplied x-amz-content-sha256 is what gets signed (as OPA does); the output carries the computed one.
        string? suppliedSha = headers.TryGetValue("x-amz-content-sha256", out var sup) ? sup.Value : null;
        headers["x-amz-content-sha256"] = ("x-amz-content-sha256", payloadHash);
        headers["x-amz-date"] = ("x-amz-date", amzDate);
        if (cfg.Get("aws_session_token") is RegoString tok && tok.Value.Length > 0)
        {
            headers["x-amz-security-token"] = ("x-amz-security-token", tok.Value);
        }
        string signedHeaders = string.Join(";", headers.Keys);
        var canonical = new StringBuilder();
        canonical.Append(method).Append('\n');
        canonical.Append(RawPath(S(req, "url"))).Append('\n');
        canonical.Append(CanonicalQuery(uri.Query)).Append('\n');
        foreach (var kv in headers)
        {
            string v = kv.Key == "x-amz-content-sha256" && suppliedSha is not null ? suppliedSha : kv.Value.Value;
            canonical.Append(kv.Key).Append(':').Append(v.Trim()).Append('\n');
        }
        canonical.Append('\n').Append(signedHeaders).Append('\n').Append(payloadHash);

        string region = S(cfg, "aws_region"), service = S(cfg, "aws_service");
        string scope = $"{date}/{region}/{service}/aws4_request";
        string toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
        byte[] key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + S(cfg, "aws_secret_access_key")), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        key = HMACSHA256.HashData(key, "aws4_request"u8.ToArray());
        string signature = Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(toSign)));
        string auth = $"AWS4-HMAC-SHA256 Credential={S(cfg, "aws_access_key")}/{scope},SignedHeaders={signedHeaders},Signature={signature}";

        var outHeaders = headers.Values.Select(v => new KeyValuePair<string, RegoValue>(v.Name, RegoString.Create(v.Value))).ToList();
        outHeaders.Add(new("Authorization", RegoString.Create(auth)));
        return req.With(RegoString.Create("headers"), RegoObject.Create(outHeaders));
    }

    private static string RawPath(string url)
    {
        int start = url.IndexOf("://", StringComparison.Ordinal);
        start = start < 0 ? 0 : start + 3;
        int slash = url.IndexOf('/', start);
        if (slash < 0)
        {
            return "";
        }
        int end = url.IndexOfAny(['?', '#'], slash);
        return end < 0 ? url[slash..] : url[slash..end];
    }

    private static string CanonicalQuery(string query)
    {
        if (query.Length <= 1)
        {
            return "";
        }
        var pairs = query[1..].Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p =>
        {
            int eq = p.IndexOf('=', StringComparison.Ordinal);
            string k = Uri.UnescapeDataString(eq < 0 ? p : p[..eq]);
            string v = eq < 0 ? "" : Uri.UnescapeDataString(p[(eq + 1)..]);
            return (K: Uri.EscapeDataString(k), V: Uri.EscapeDataString(v));
        }).OrderBy(p => p.K, StringComparer.Ordinal).ThenBy(p => p.V, StringComparer.Ordinal);
        return string.Join("&", pairs.Select(p => p.K + "=" + p.V));
    }
}
