using Higress.Core.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Transforms;

namespace Higress.Hosting.Runtime;

/// <summary>
/// One path, one truth (docs/security.md): before matching, the request's path is rebuilt from the raw request target
/// (Kestrel's <c>Request.Path</c> is already decoded, and ambiguous for <c>%2F</c>) and its Host is normalized; then
/// <c>Request.Path</c>, <c>RawTarget</c> and the Host header hold the normal form, which matching and plugins read, and
/// <see cref="ApplyToProxyRequest"/> puts the same path on the wire to the backend.
/// </summary>
internal sealed class RequestNormalization(PathNormalizer paths)
{
    private static readonly UriCreationOptions Verbatim = new() { DangerousDisablePathAndQueryCanonicalization = true };

    // Path characters every encoder leaves as they are (RFC 3986 pchar without '%').
    private static readonly System.Buffers.SearchValues<char> PlainPathChars =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/");

    public RequestNormalization(HigressSecurityOptions options)
        : this(new PathNormalizer(options.EscapedSlashes, options.MergeSlashes))
    {
    }

    /// <summary>Normalizes the Host and the path in place; returns why the request must be refused (400), or null.</summary>
    public string? Apply(HttpContext context)
    {
        NormalizeHost(context.Request);
        if (context.Features.Get<IHttpRequestFeature>() is not { } request)
        {
            return null;
        }

        var target = request.RawTarget.AsSpan();
        var absoluteForm = false;
        if (target.Length == 0 || target[0] != '/')
        {
            // Absolute form (GET http://host/path): Kestrel has checked that Host agrees with the authority.
            // The asterisk and authority forms (OPTIONS *, CONNECT) carry no path to normalize.
            var scheme = target.IndexOf("://", StringComparison.Ordinal);
            if (scheme <= 0)
            {
                return null;
            }

            var authority = target[(scheme + 3)..];
            var pathStart = authority.IndexOfAny('/', '?');
            target = pathStart < 0 ? "/" : authority[pathStart..];
            absoluteForm = true;
        }

        var queryStart = target.IndexOf('?');
        var path = queryStart < 0 ? target : target[..queryStart];
        var query = queryStart < 0 ? [] : target[queryStart..];
        if (paths.IsNormal(path))
        {
            if (absoluteForm)
            {
                request.RawTarget = target.ToString();
            }

            return null;
        }

        var normal = paths.Normalize(path);
        if (normal.Error is not null)
        {
            return normal.Error;
        }

        if (!string.Equals(request.Path, normal.Decoded, StringComparison.Ordinal))
        {
            request.Path = normal.Decoded;
        }

        request.RawTarget = string.Concat(normal.Wire, query);
        context.Features.Set(new NormalizedPath(normal.Wire));
        return null;
    }

    /// <summary>
    /// Sets the forwarded request's URI to the normalized path and the query as received. YARP would otherwise
    /// re-encode <c>Request.Path</c> its own way (a kept <c>%2F</c> would leave as <c>%252F</c>, an encoded <c>%3B</c> as
    /// a literal ';') and System.Uri would decode unreserved characters in the query. A path a rewrite produced is
    /// encoded with the same rules. A normal path with a query free of '%' needs nothing: YARP sends both unchanged
    /// (and a rewrite of such a path has no '%' or ';' that YARP's encoding would treat differently).
    /// </summary>
    public void ApplyToProxyRequest(RequestTransformContext context, bool rewritten)
    {
        if (WireTarget(context.HttpContext, context.Path.Value ?? "/", rewritten, context.Query.QueryString.Value) is not { } wire)
        {
            return;
        }

        var prefix = context.DestinationPrefix.AsSpan();
        if (prefix.Length > 0 && prefix[^1] == '/')
        {
            prefix = prefix[..^1];
        }

        context.ProxyRequest.RequestUri = new Uri(string.Concat(prefix, wire), in Verbatim);
    }

    /// <summary>
    /// The path and query the backend gets when normalization decided them (a normalized path, a rewrite of one, a
    /// query with escapes), or null when the default (<see cref="DefaultWireTarget"/>) applies.
    /// </summary>
    public string? WireTarget(HttpContext context, string path, bool rewritten, string? query)
    {
        var normalized = context.Features.Get<NormalizedPath>();
        if (normalized is null && !query.AsSpan().Contains('%'))
        {
            return null;
        }

        var wire = rewritten ? paths.EncodeForWire(path) : normalized?.Wire ?? path;
        return string.Concat(wire, query);
    }

    /// <summary>The path and query as YARP puts them on the wire when normalization leaves them alone.</summary>
    public static string DefaultWireTarget(string path, QueryString query) =>
        path.AsSpan().IndexOfAnyExcept(PlainPathChars) < 0
            ? string.Concat(path, query.Value)
            : Yarp.ReverseProxy.Forwarder.RequestUtilities.MakeDestinationAddress("http://wire", new PathString(path), query).PathAndQuery;

    // Host names compare case-insensitively and "a.example.com." names the same host as "a.example.com" (DNS's root
    // label); one spelling reaches matching, plugins and the backend. Already-normal hosts are left alone, unallocated.
    private static void NormalizeHost(HttpRequest request)
    {
        var host = request.Host.Value;
        if (string.IsNullOrEmpty(host))
        {
            return;
        }

        var nameEnd = host.Length;
        if (host[0] == '[')
        {
            var close = host.IndexOf(']', StringComparison.Ordinal);
            nameEnd = close < 0 ? host.Length : close + 1;
        }
        else if (host.LastIndexOf(':') is >= 0 and var colon)
        {
            nameEnd = colon;
        }

        var name = host.AsSpan(0, nameEnd);
        var trimmed = name.Length > 1 && name[^1] == '.' ? name[..^1] : name;
        if (trimmed.Length == name.Length && !HasUpperCase(name))
        {
            return;
        }

        request.Host = new HostString(string.Concat(trimmed.ToString().ToLowerInvariant(), host.AsSpan(nameEnd)));
    }

    // MemoryExtensions.ContainsAnyInRange allocated on every call in measurement; this loop does not.
    private static bool HasUpperCase(ReadOnlySpan<char> name)
    {
        foreach (var c in name)
        {
            if (char.IsAsciiLetterUpper(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The normalized path of a request whose raw path was not already normal.</summary>
    private sealed record NormalizedPath(string Wire);
}
