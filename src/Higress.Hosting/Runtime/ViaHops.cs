using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Higress.Hosting.Runtime;

/// <summary>
/// Loop protection with the <c>Via</c> header (RFC 9110 §7.6.3): every forwarded request gets one more entry, and a
/// request that arrives with <c>Higress:Limits:MaxHops</c> entries or more is refused (508) instead of being forwarded
/// again. Counting every proxy, not only this gateway, also stops a loop between replicas or through other proxies.
/// </summary>
internal static class ViaHops
{
    /// <summary>This gateway's entry: protocol version and a pseudonym, as the RFC allows.</summary>
    public const string Entry = "1.1 higress-net";

    /// <summary>The number of entries (proxies passed) in the <c>Via</c> values; no allocation.</summary>
    public static int Count(StringValues via)
    {
        var count = 0;
        foreach (var value in via)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            count++;
            foreach (var c in value)
            {
                if (c == ',')
                {
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>Adds this gateway's entry to the request that is forwarded.</summary>
    public static void Append(IHeaderDictionary headers)
    {
        var via = headers.Via;
        headers.Via = StringValues.IsNullOrEmpty(via) ? Entry : via.ToString() + ", " + Entry;
    }
}
