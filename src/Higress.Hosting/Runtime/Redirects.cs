using System.Globalization;
using Higress.Core.Plan;
using Higress.Core.Routing;
using Microsoft.AspNetCore.Http;

namespace Higress.Hosting.Runtime;

/// <summary>Builds redirect locations with the Gateway API's rules for scheme, hostname, port and path.</summary>
internal static class Redirects
{
    public static string Location(HttpContext context, RedirectAction redirect, RouteMatchResult match)
    {
        var request = context.Request;
        var scheme = redirect.Scheme ?? request.Scheme;
        var host = redirect.Hostname ?? RouteTable.HostWithoutPort(request.Host.Value ?? string.Empty).ToString();

        // No port given: the scheme's well-known port when the scheme changes, else the listener's port.
        var port = redirect.Port
            ?? (redirect.Scheme is not null ? WellKnownPort(redirect.Scheme) ?? match.Listener.Port : match.Listener.Port);
        var omitPort = (string.Equals(scheme, "http", StringComparison.OrdinalIgnoreCase) && port == 80)
            || (string.Equals(scheme, "https", StringComparison.OrdinalIgnoreCase) && port == 443);

        var path = request.Path.Value ?? "/";
        if (redirect.Path is { } modifier)
        {
            path = Rewrites.ApplyPath(path, modifier, match);
        }

        var authority = omitPort ? host : host + ":" + port.ToString(CultureInfo.InvariantCulture);
        return scheme + "://" + authority + new PathString(path).ToUriComponent() + request.QueryString.ToUriComponent();
    }

    private static int? WellKnownPort(string scheme) =>
        scheme.ToLowerInvariant() switch
        {
            "http" => 80,
            "https" => 443,
            _ => null,
        };
}
