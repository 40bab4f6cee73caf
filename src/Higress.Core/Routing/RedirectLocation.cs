using System.Globalization;
using Higress.Core.Plan;

namespace Higress.Core.Routing;

/// <summary>Builds a redirect's <c>Location</c> with the Gateway API's rules for scheme, hostname, port and path.</summary>
internal static class RedirectLocation
{
    /// <summary>The location for a request that matched <paramref name="match"/>.</summary>
    /// <param name="requestScheme">The request's scheme (<c>http</c> or <c>https</c>).</param>
    /// <param name="requestHost">The request's Host header (a port in it is ignored).</param>
    /// <param name="requestPath">The decoded request path.</param>
    /// <param name="escapedQuery">The query string including its <c>?</c>, already escaped, or empty.</param>
    /// <param name="redirect">The redirect.</param>
    /// <param name="match">The match that selected the rule (for the listener port and prefix replacement).</param>
    public static string Build(string requestScheme, string requestHost, string requestPath, string escapedQuery, RedirectAction redirect, RouteMatchResult match)
    {
        ArgumentNullException.ThrowIfNull(redirect);
        ArgumentNullException.ThrowIfNull(match);
        var scheme = redirect.Scheme ?? requestScheme;
        var host = redirect.Hostname ?? RouteTable.HostWithoutPort(requestHost).ToString();

        // No port given: the scheme's well-known port when the scheme is set, else the listener's port.
        var port = redirect.Port
            ?? (redirect.Scheme is not null ? WellKnownPort(redirect.Scheme) ?? match.Listener.Port : match.Listener.Port);
        var omitPort = (string.Equals(scheme, "http", StringComparison.OrdinalIgnoreCase) && port == 80)
            || (string.Equals(scheme, "https", StringComparison.OrdinalIgnoreCase) && port == 443);
        var path = redirect.Path is { } modifier ? PathRewrite.Apply(requestPath, modifier, match) : requestPath;
        var authority = omitPort ? host : host + ":" + port.ToString(CultureInfo.InvariantCulture);
        return scheme + "://" + authority + EscapePath(path) + escapedQuery;
    }

    private static string EscapePath(string path) => new Microsoft.AspNetCore.Http.PathString(path.StartsWith('/') ? path : "/" + path).ToUriComponent();

    private static int? WellKnownPort(string scheme) => scheme.ToLowerInvariant() switch
    {
        "http" => 80,
        "https" => 443,
        _ => null,
    };
}
