using Higress.Opa.Values;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Higress.Core.Plugins.BuiltIn.Opa;

/// <summary>
/// Builds the decision input directly as Rego values (no JSON on the embedded path), in both shapes in use:
/// opa-envoy-plugin's (<c>attributes.request.http</c>, <c>attributes.source/destination</c>, <c>parsed_path</c>,
/// <c>parsed_query</c>, <c>parsed_body</c>, <c>truncated_body</c>, <c>version</c>) and Higress's (<c>request</c>), plus
/// <c>consumer</c> and <c>route</c>. Header names are lower-case, repeated headers are joined with <c>", "</c> (as Envoy
/// does), and the path is the normalized one the backend receives, with its query.
/// </summary>
internal static class OpaInput
{
    private static readonly RegoString KAttributes = RegoString.Create("attributes");
    private static readonly RegoString KRequest = RegoString.Create("request");
    private static readonly RegoString KHttp = RegoString.Create("http");
    private static readonly RegoString KId = RegoString.Create("id");
    private static readonly RegoString KMethod = RegoString.Create("method");
    private static readonly RegoString KPath = RegoString.Create("path");
    private static readonly RegoString KHost = RegoString.Create("host");
    private static readonly RegoString KScheme = RegoString.Create("scheme");
    private static readonly RegoString KProtocol = RegoString.Create("protocol");
    private static readonly RegoString KHeaders = RegoString.Create("headers");
    private static readonly RegoString KQuery = RegoString.Create("query");
    private static readonly RegoString KBody = RegoString.Create("body");
    private static readonly RegoString KRawBody = RegoString.Create("raw_body");
    private static readonly RegoString KSize = RegoString.Create("size");
    private static readonly RegoString KSource = RegoString.Create("source");
    private static readonly RegoString KDestination = RegoString.Create("destination");
    private static readonly RegoString KAddress = RegoString.Create("address");
    private static readonly RegoString KSocketAddress = RegoString.Create("socketAddress");
    private static readonly RegoString KPortValue = RegoString.Create("portValue");
    private static readonly RegoString KParsedPath = RegoString.Create("parsed_path");
    private static readonly RegoString KParsedQuery = RegoString.Create("parsed_query");
    private static readonly RegoString KParsedBody = RegoString.Create("parsed_body");
    private static readonly RegoString KTruncatedBody = RegoString.Create("truncated_body");
    private static readonly RegoString KVersion = RegoString.Create("version");
    private static readonly RegoString KConsumer = RegoString.Create("consumer");
    private static readonly RegoString KRoute = RegoString.Create("route");

    private static readonly RegoObject Version = Object(
        (RegoString.Create("encoding"), RegoString.Create("protojson")),
        (RegoString.Create("ext_authz"), RegoString.Create("v3")));

    /// <summary>The request body as read for the input: its bytes, or none (not asked for, or over the limit).</summary>
    public readonly record struct Body(ReadOnlyMemory<byte> Bytes, bool Included, bool Truncated);

    /// <summary>Builds the input of one decision.</summary>
    public static RegoObject Build(PluginContext context, Body body)
    {
        var http = context.HttpContext;
        var request = http.Request;
        var method = RegoString.Create(request.Method);
        var path = RegoString.Create(PathWithQuery(http));
        var scheme = RegoString.Create(request.Scheme);
        var headers = Headers(request.Headers);
        var queryText = request.QueryString.HasValue ? request.QueryString.Value!.AsSpan(1).ToString() : string.Empty;
        var parsedQuery = Query(request.Query);

        var envoyHttp = new List<KeyValuePair<RegoValue, RegoValue>>(12)
        {
            new(KId, RegoString.Create(http.TraceIdentifier)),
            new(KMethod, method),
            new(KPath, path),
            new(KHost, RegoString.Create(request.Host.Value ?? string.Empty)),
            new(KScheme, scheme),
            new(KProtocol, RegoString.Create(request.Protocol)),
            new(KHeaders, headers),
            new(KQuery, RegoString.Create(queryText)),
        };
        var higress = new List<KeyValuePair<RegoValue, RegoValue>>(6)
        {
            new(KMethod, method),
            new(KScheme, scheme),
            new(KPath, path),
            new(KHeaders, headers),
            new(KQuery, parsedQuery),
        };
        var root = new List<KeyValuePair<RegoValue, RegoValue>>(10);
        if (body.Included)
        {
            var text = RegoString.Create(System.Text.Encoding.UTF8.GetString(body.Bytes.Span));
            envoyHttp.Add(new(KBody, text));
            envoyHttp.Add(new(KRawBody, RegoString.Create(Convert.ToBase64String(body.Bytes.Span))));
            higress.Add(new(KBody, text));
            if (IsJson(request.ContentType) && !body.Bytes.IsEmpty && TryParseJson(body.Bytes) is { } parsed)
            {
                root.Add(new(KParsedBody, parsed));
            }
        }

        envoyHttp.Add(new(KSize, RegoNumber.FromInt64(request.ContentLength ?? body.Bytes.Length)));
        root.Add(new(KTruncatedBody, body.Truncated ? RegoBoolean.True : RegoBoolean.False));

        var connection = http.Connection;
        var attributes = Object(
            (KRequest, Object((KHttp, RegoObject.Create(envoyHttp)))),
            (KSource, Address(connection.RemoteIpAddress?.ToString(), connection.RemotePort)),
            (KDestination, Address(connection.LocalIpAddress?.ToString(), connection.LocalPort)));
        root.Add(new(KAttributes, attributes));
        root.Add(new(KParsedPath, ParsedPath(request.Path.Value)));
        root.Add(new(KParsedQuery, parsedQuery));
        root.Add(new(KVersion, Version));
        root.Add(new(KRequest, RegoObject.Create(higress)));
        root.Add(new(KRoute, RegoString.Create(context.Route.Id)));
        if (context.Consumer is { } consumer)
        {
            root.Add(new(KConsumer, RegoString.Create(consumer)));
        }

        return RegoObject.Create(root);
    }

    /// <summary>The normalized request target the backend receives (path and query), as the runtime left it.</summary>
    internal static string PathWithQuery(HttpContext http)
    {
        var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget;
        return raw is { Length: > 0 } && raw[0] == '/' ? raw : http.Request.Path.ToUriComponent() + http.Request.QueryString.ToUriComponent();
    }

    private static RegoObject Headers(IHeaderDictionary headers)
    {
        var keys = new KeyValuePair<RegoValue, RegoValue>[headers.Count];
        var n = 0;
        foreach (var header in headers)
        {
            // ToLowerInvariant returns the same string when it is lower-case already (HTTP/2 and HTTP/3 always are).
            keys[n++] = new(RegoString.Create(header.Key.ToLowerInvariant()), RegoString.Create(header.Value.Count == 1 ? header.Value[0] ?? string.Empty : string.Join(", ", header.Value.ToArray())));
        }

        return RegoObject.Create(n == keys.Length ? keys : keys[..n]);
    }

    private static RegoObject Query(IQueryCollection query)
    {
        if (query.Count == 0)
        {
            return RegoObject.Empty;
        }

        var pairs = new KeyValuePair<RegoValue, RegoValue>[query.Count];
        var n = 0;
        foreach (var (name, values) in query)
        {
            var items = new RegoValue[values.Count];
            for (var i = 0; i < items.Length; i++)
            {
                items[i] = RegoString.Create(values[i] ?? string.Empty);
            }

            pairs[n++] = new(RegoString.Create(name), RegoArray.Create(items));
        }

        return RegoObject.Create(pairs);
    }

    // As opa-envoy-plugin: the decoded path without its leading slashes, split on '/' ("/" is [""]).
    private static RegoArray ParsedPath(string? path)
    {
        var parts = (path ?? string.Empty).TrimStart('/').Split('/');
        var items = new RegoValue[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            items[i] = RegoString.Create(parts[i]);
        }

        return RegoArray.Create(items);
    }

    private static RegoObject Address(string? address, int port) =>
        Object((KAddress, Object((KSocketAddress, Object((KAddress, RegoString.Create(address ?? string.Empty)), (KPortValue, RegoNumber.FromInt64(port)))))));

    private static RegoObject Object(params ReadOnlySpan<(RegoString Key, RegoValue Value)> pairs)
    {
        var items = new KeyValuePair<RegoValue, RegoValue>[pairs.Length];
        for (var i = 0; i < pairs.Length; i++)
        {
            items[i] = new(pairs[i].Key, pairs[i].Value);
        }

        return RegoObject.Create(items);
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null && (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) || contentType.Contains("+json", StringComparison.OrdinalIgnoreCase));

    private static RegoValue? TryParseJson(ReadOnlyMemory<byte> body)
    {
        try
        {
            return RegoConvert.ParseJson(body);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or FormatException or Higress.Opa.RegoException)
        {
            return null;
        }
    }
}
