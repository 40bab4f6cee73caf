using System.Security.Cryptography;
using System.Text;

namespace Higress.Core.Tests.Plugins;

/// <summary>
/// A client-side signer written from Higress's hmac-auth documentation (not from the plugin's code), so that the
/// tests prove the plugin verifies what a client following the documentation sends.
/// </summary>
internal static class HmacSigner
{
    /// <summary>Signs and returns the headers to add: x-ca-key, x-ca-signature-method, x-ca-signature-headers, x-ca-signature.</summary>
    public static List<(string Name, string Value)> Sign(
        string key,
        string secret,
        string method,
        string pathAndQuery,
        IReadOnlyList<(string Name, string Value)> headers,
        string? form = null,
        bool sha1 = false)
    {
        var all = new List<(string Name, string Value)>(headers)
        {
            ("x-ca-key", key),
            ("x-ca-signature-method", sha1 ? "HmacSHA1" : "HmacSHA256"),
        };
        string Header(string name) => all.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Value ?? string.Empty;

        // Every x-ca-* header takes part in the signature.
        var signed = all.Select(h => h.Name.ToLowerInvariant()).Where(n => n.StartsWith("x-ca-", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        all.Add(("x-ca-signature-headers", string.Join(",", signed)));

        var text = new StringBuilder();
        text.Append(method).Append('\n');
        text.Append(Header("Accept")).Append('\n');
        text.Append(Header("Content-MD5")).Append('\n');
        text.Append(Header("Content-Type")).Append('\n');
        text.Append(Header("Date")).Append('\n');
        foreach (var name in signed)
        {
            text.Append(name).Append(':').Append(Header(name)).Append('\n');
        }

        var question = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        text.Append(question < 0 ? pathAndQuery : pathAndQuery[..question]);
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in new[] { question < 0 ? string.Empty : pathAndQuery[(question + 1)..], form ?? string.Empty })
        {
            foreach (var pair in source.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = pair.Split('=', 2);
                parameters.TryAdd(Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : string.Empty);
            }
        }

        if (parameters.Count > 0)
        {
            text.Append('?').AppendJoin('&', parameters.Select(p => p.Value.Length == 0 ? p.Key : p.Key + "=" + p.Value));
        }

        var data = Encoding.UTF8.GetBytes(text.ToString());
        var secretBytes = Encoding.UTF8.GetBytes(secret);
        var signature = Convert.ToBase64String(sha1 ? HMACSHA1.HashData(secretBytes, data) : HMACSHA256.HashData(secretBytes, data));
        all.Add(("x-ca-signature", signature));
        return all;
    }

    /// <summary>Content-MD5 as the documentation computes it: base64 of the body's MD5.</summary>
    public static string ContentMd5(string body) => Convert.ToBase64String(MD5.HashData(Encoding.UTF8.GetBytes(body)));
}
