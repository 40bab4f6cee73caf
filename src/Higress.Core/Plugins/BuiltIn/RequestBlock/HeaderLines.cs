using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Higress.Core.Plugins.BuiltIn.RequestBlock;

/// <summary>
/// A request's headers as Higress's request-block sees them: Envoy's header map, with the pseudo-headers
/// <c>:authority</c>, <c>:path</c> (path and query), <c>:method</c> and <c>:scheme</c> first, names in lower case and
/// each value on its own line after its name.
/// </summary>
internal static class HeaderLines
{
    /// <summary>True when a header name or value contains <paramref name="blocked"/> (no allocation).</summary>
    public static bool AnyContains(HttpRequest request, string url, string blocked, StringComparison comparison)
    {
        // Names are lower case in Envoy: a case-sensitive string with an upper-case letter can only match a value.
        var namesMatch = comparison == StringComparison.OrdinalIgnoreCase || !HasUpper(blocked);
        if ((namesMatch && (":authority".Contains(blocked, StringComparison.OrdinalIgnoreCase) || ":path".Contains(blocked, StringComparison.OrdinalIgnoreCase)
                || ":method".Contains(blocked, StringComparison.OrdinalIgnoreCase) || ":scheme".Contains(blocked, StringComparison.OrdinalIgnoreCase)))
            || request.Host.Value?.Contains(blocked, comparison) == true
            || url.Contains(blocked, comparison)
            || request.Method.Contains(blocked, comparison)
            || request.Scheme.Contains(blocked, comparison))
        {
            return true;
        }

        foreach (var header in request.Headers)
        {
            if (IsHost(header.Key))
            {
                continue;
            }

            if (namesMatch && header.Key.Contains(blocked, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            foreach (var value in header.Value)
            {
                if (value?.Contains(blocked, comparison) == true)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The headers joined as Higress joins them, for strings that span a name and its value.</summary>
    public static string Join(HttpRequest request, string url)
    {
        var text = new StringBuilder();
        text.Append(":authority\n").Append(request.Host.Value).Append("\n:path\n").Append(url)
            .Append("\n:method\n").Append(request.Method).Append("\n:scheme\n").Append(request.Scheme);
        foreach (var header in request.Headers)
        {
            if (IsHost(header.Key))
            {
                continue;
            }

            foreach (var value in header.Value)
            {
                text.Append('\n').Append(header.Key.ToLowerInvariant()).Append('\n').Append(value);
            }
        }

        return text.ToString();
    }

    // Envoy carries Host as :authority, never as a header of its own.
    private static bool IsHost(string name) => string.Equals(name, HeaderNames.Host, StringComparison.OrdinalIgnoreCase);

    private static bool HasUpper(string text)
    {
        foreach (var c in text)
        {
            if (char.IsUpper(c))
            {
                return true;
            }
        }

        return false;
    }
}
