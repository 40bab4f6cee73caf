using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Higress.Core.Plugins.BuiltIn.Cors;

/// <summary>
/// The one CORS engine behind the <c>cors</c> plugin, the native Route <c>corsPolicy</c> and the HTTPRoute <c>CORS</c>
/// filter. Built once per config; every lookup is precomputed so that a request costs no allocation beyond the
/// echoed header values. Semantics are Higress's: a request is a CORS request when its <c>Origin</c> differs from
/// the request's own scheme, host and port; a CORS request whose origin or method is not allowed (or a preflight
/// announcing a header that is not allowed) is refused with 403; the allowed origin is always echoed, never <c>*</c>.
/// </summary>
internal sealed class CorsEngine
{
    /// <summary>The value of <c>Access-Control-Allow-Methods</c> when every method is allowed (Higress's list).</summary>
    public const string AllMethods = "GET, PUT, POST, DELETE, PATCH, OPTIONS, HEAD, TRACE, CONNECT";

    private static readonly string[] UpstreamCorsHeaders =
    [
        HeaderNames.AccessControlAllowOrigin, HeaderNames.AccessControlAllowMethods, HeaderNames.AccessControlAllowHeaders,
        HeaderNames.AccessControlExposeHeaders, HeaderNames.AccessControlAllowCredentials, HeaderNames.AccessControlMaxAge,
    ];

    private readonly bool _anyOrigin;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _origins;
    private readonly Regex[] _originMatchers;
    private readonly HashSet<string>? _methods;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>>? _headers;
    private readonly string _methodsValue;
    private readonly string? _headersValue;
    private readonly string? _exposeValue;
    private readonly bool _credentials;
    private readonly string _maxAgeValue;

    /// <summary>Builds the engine from normalised lists (the plugin's validation produced them).</summary>
    /// <param name="origins">Exact origins, without a trailing slash; <c>*</c> allows every origin.</param>
    /// <param name="originMatchers">Anchored, case-insensitive expressions an origin may match instead.</param>
    /// <param name="methods">Allowed methods; <c>*</c> allows every method.</param>
    /// <param name="headers">Allowed request headers; <c>*</c> allows every header.</param>
    /// <param name="exposeHeaders">Exposed response headers.</param>
    /// <param name="credentials">Whether credentials are allowed.</param>
    /// <param name="maxAgeSeconds">The preflight cache time.</param>
    public CorsEngine(
        IReadOnlyList<string> origins,
        IReadOnlyList<Regex> originMatchers,
        IReadOnlyList<string> methods,
        IReadOnlyList<string> headers,
        IReadOnlyList<string> exposeHeaders,
        bool credentials,
        long maxAgeSeconds)
    {
        _anyOrigin = origins.Contains("*");
        _origins = new HashSet<string>(origins, StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();
        _originMatchers = [.. originMatchers];
        if (methods.Contains("*"))
        {
            _methodsValue = AllMethods;
        }
        else
        {
            _methods = new HashSet<string>(methods, StringComparer.OrdinalIgnoreCase);
            _methodsValue = string.Join(',', methods);
        }

        if (!headers.Contains("*"))
        {
            _headers = new HashSet<string>(headers, StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();
            _headersValue = headers.Count == 0 ? null : string.Join(',', headers);
        }

        _exposeValue = exposeHeaders.Count == 0 ? null : string.Join(',', exposeHeaders);
        _credentials = credentials;
        _maxAgeValue = maxAgeSeconds.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>An engine that allows nothing (the placeholder of an unvalidated config).</summary>
    public static CorsEngine Empty { get; } = new([], [], [], [], [], credentials: false, maxAgeSeconds: 0);

    /// <summary>Classifies a request.</summary>
    /// <param name="request">The request.</param>
    /// <returns>What the request is, and whether it may pass.</returns>
    public CorsVerdict Evaluate(HttpRequest request)
    {
        var origin = Origin(request);
        if (origin.IsEmpty || IsSameOrigin(request, origin))
        {
            return CorsVerdict.NotCors;
        }

        var requestedMethod = request.Headers.AccessControlRequestMethod;
        var preflight = HttpMethods.IsOptions(request.Method) && !string.IsNullOrEmpty(requestedMethod);
        if (!OriginAllowed(origin))
        {
            return CorsVerdict.Rejected;
        }

        var method = preflight ? requestedMethod.ToString().AsSpan().Trim() : request.Method.AsSpan();
        if (_methods is not null && !_methods.GetAlternateLookup<ReadOnlySpan<char>>().Contains(method))
        {
            return CorsVerdict.Rejected;
        }

        if (preflight && !HeadersAllowed(request.Headers.AccessControlRequestHeaders.ToString()))
        {
            return CorsVerdict.Rejected;
        }

        return preflight ? CorsVerdict.Preflight : CorsVerdict.Actual;
    }

    /// <summary>
    /// Sets the CORS headers of a response: removes any the upstream sent, adds <c>Vary: Origin</c>, and for an allowed
    /// CORS request adds the allowed origin (echoed), exposed headers and credentials, and for a preflight also the
    /// allowed methods, headers and max age.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="response">The response headers, before they are sent.</param>
    /// <param name="verdict">The request's verdict from <see cref="Evaluate"/>.</param>
    public void WriteHeaders(HttpRequest request, IHeaderDictionary response, CorsVerdict verdict)
    {
        foreach (var name in UpstreamCorsHeaders)
        {
            response.Remove(name);
        }

        // The answer depends on Origin: a shared cache must not hand one origin's answer to another.
        var vary = response.Vary;
        if (!ContainsToken(vary, HeaderNames.Origin))
        {
            response.Vary = Microsoft.Extensions.Primitives.StringValues.Concat(vary, HeaderNames.Origin);
        }

        if (verdict is not (CorsVerdict.Actual or CorsVerdict.Preflight))
        {
            return;
        }

        response.AccessControlAllowOrigin = Origin(request).ToString();
        if (_exposeValue is not null)
        {
            response.AccessControlExposeHeaders = _exposeValue;
        }

        if (_credentials)
        {
            response.AccessControlAllowCredentials = "true";
        }

        if (verdict != CorsVerdict.Preflight)
        {
            return;
        }

        response.AccessControlAllowMethods = _methodsValue;
        var headers = _headers is null ? EchoedHeaders(request) : _headersValue;
        if (headers is not null)
        {
            response.AccessControlAllowHeaders = headers;
        }

        response.AccessControlMaxAge = _maxAgeValue;
    }

    private static string EchoedHeaders(HttpRequest request)
    {
        var requested = request.Headers.AccessControlRequestHeaders.ToString().Trim();
        return requested.Length == 0 ? "*" : requested;
    }

    private static ReadOnlySpan<char> Origin(HttpRequest request)
    {
        var origin = request.Headers.Origin;
        return origin.Count == 1 ? origin[0].AsSpan().Trim().TrimEnd('/') : default;
    }

    private bool OriginAllowed(ReadOnlySpan<char> origin)
    {
        if (_anyOrigin || _origins.Contains(origin))
        {
            return true;
        }

        foreach (var matcher in _originMatchers)
        {
            if (matcher.IsMatch(origin))
            {
                return true;
            }
        }

        return false;
    }

    private bool HeadersAllowed(string requested)
    {
        if (_headers is not { } allowed)
        {
            return true;
        }

        foreach (var range in requested.AsSpan().Split(','))
        {
            var name = requested.AsSpan(range).Trim();
            if (name.Length > 0 && !allowed.Contains(name))
            {
                return false;
            }
        }

        return true;
    }

    // Same origin: equal scheme, host and port (the scheme's default port when absent), compared case-insensitively.
    private static bool IsSameOrigin(HttpRequest request, ReadOnlySpan<char> origin)
    {
        var separator = origin.IndexOf("://", StringComparison.Ordinal);
        if (separator <= 0 || !origin[..separator].Equals(request.Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var authority = origin[(separator + 3)..];
        var colon = authority.LastIndexOf(':');
        var hasPort = colon >= 0 && !authority[colon..].Contains(']');
        var originHost = hasPort ? authority[..colon] : authority;
        var originPort = !hasPort ? DefaultPort(request.Scheme)
            : int.TryParse(authority[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : -1;
        var host = request.Host;
        return originHost.Equals(host.Host, StringComparison.OrdinalIgnoreCase) && originPort == (host.Port ?? DefaultPort(request.Scheme));
    }

    private static int DefaultPort(string scheme) => string.Equals(scheme, "https", StringComparison.OrdinalIgnoreCase) ? 443 : 80;

    private static bool ContainsToken(Microsoft.Extensions.Primitives.StringValues values, string token)
    {
        foreach (var value in values)
        {
            if (value is null)
            {
                continue;
            }

            foreach (var range in value.AsSpan().Split(','))
            {
                var item = value.AsSpan(range).Trim();
                if (item.Equals(token, StringComparison.OrdinalIgnoreCase) || item.SequenceEqual("*"))
                {
                    return true;
                }
            }
        }

        return false;
    }
}

/// <summary>What a request is to the CORS engine.</summary>
internal enum CorsVerdict
{
    /// <summary>No <c>Origin</c>, or the request's own origin: CORS does not apply.</summary>
    NotCors,

    /// <summary>An allowed preflight: the gateway answers it.</summary>
    Preflight,

    /// <summary>An allowed cross-origin request: forwarded, CORS headers added to the response.</summary>
    Actual,

    /// <summary>A cross-origin request (or preflight) that is not allowed: 403, no CORS headers.</summary>
    Rejected,
}
