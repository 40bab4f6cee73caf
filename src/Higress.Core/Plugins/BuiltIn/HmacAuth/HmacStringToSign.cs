using System.Text;
using Microsoft.AspNetCore.Http;

namespace Higress.Core.Plugins.BuiltIn.HmacAuth;

/// <summary>
/// Higress's (and Alibaba Cloud API Gateway's) string to sign, as its hmac-auth documentation gives it:
/// <code>
/// METHOD\nAccept\nContent-MD5\nContent-Type\nDate\n
/// name:value\n ... (the x-ca-signature-headers, lower-cased, sorted)
/// /path?k1=v1&amp;k2=v2 (query and form parameters decoded, sorted by name, the first value of a name only)
/// </code>
/// </summary>
internal static class HmacStringToSign
{
    private static readonly string[] FixedHeaders = ["accept", "content-md5", "content-type", "date"];

    /// <summary>The method, fixed headers and signed headers, each line ending in <c>\n</c>.</summary>
    public static string Headers(HttpRequest request)
    {
        var text = new StringBuilder(256);
        text.Append(request.Method).Append('\n');
        foreach (var name in FixedHeaders)
        {
            text.Append(request.Headers[name].ToString()).Append('\n');
        }

        var signed = request.Headers["x-ca-signature-headers"].ToString();
        if (signed.Length > 0)
        {
            var names = new List<string>();
            foreach (var part in signed.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var name = part.ToLowerInvariant();
                if (name is not ("x-ca-signature" or "x-ca-signature-headers") && Array.IndexOf(FixedHeaders, name) < 0)
                {
                    names.Add(name);
                }
            }

            names.Sort(StringComparer.Ordinal);
            foreach (var name in names)
            {
                text.Append(name).Append(':').Append(request.Headers[name].ToString()).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// The path and parameters line. A parameter without a value is written as its name alone (the documented form),
    /// or, with <paramref name="emptyValueWithEquals"/>, as <c>name=</c> (what Higress's implementation signs).
    /// </summary>
    public static string PathAndParameters(string path, SortedDictionary<string, string> parameters, bool emptyValueWithEquals)
    {
        if (parameters.Count == 0)
        {
            return path;
        }

        var text = new StringBuilder(path.Length + 64).Append(path).Append('?');
        var first = true;
        foreach (var (name, value) in parameters)
        {
            if (!first)
            {
                text.Append('&');
            }

            first = false;
            text.Append(name);
            if (value.Length > 0 || emptyValueWithEquals)
            {
                text.Append('=').Append(value);
            }
        }

        return text.ToString();
    }

    /// <summary>Adds <c>a=1&amp;b</c> parameters, percent-decoded; a name already present keeps its first value.</summary>
    public static void AddParameters(ReadOnlySpan<char> encoded, SortedDictionary<string, string> parameters)
    {
        foreach (var range in encoded.Split('&'))
        {
            var pair = encoded[range];
            if (pair.IsEmpty)
            {
                continue;
            }

            var equals = pair.IndexOf('=');
            var name = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..]);
            parameters.TryAdd(name, value);
        }
    }
}
