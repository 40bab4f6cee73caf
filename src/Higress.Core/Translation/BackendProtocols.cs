using Higress.Core.Plan;
using Higress.Core.Resources;

namespace Higress.Core.Translation;

/// <summary>What a backend speaks: HTTP/1.1 or HTTP/2, in the clear or over TLS the gateway originates.</summary>
/// <param name="Http2">HTTP/2 (h2c in the clear, ALPN h2 over TLS).</param>
/// <param name="Tls">The gateway originates TLS.</param>
internal readonly record struct WireProtocol(bool Http2, bool Tls)
{
    public UpstreamProtocol ToUpstream() => (Http2, Tls) switch
    {
        (false, false) => UpstreamProtocol.Http1,
        (true, false) => UpstreamProtocol.Http2,
        (false, true) => UpstreamProtocol.Https,
        (true, true) => UpstreamProtocol.Http2Tls,
    };
}

/// <summary>
/// Higress's <c>backend-protocol</c> values (HTTP, HTTP2, HTTPS, GRPC, GRPCS) and where they come from: a Route's
/// <c>higress.io/backend-protocol</c> annotation, a ServiceEntry port's <c>protocol</c>, a Service port's
/// <c>appProtocol</c> (or name prefix). The annotation wins over the port.
/// </summary>
internal static class BackendProtocols
{
    /// <summary>The annotation on a Route (native or Gateway API) that selects its backends' protocol.</summary>
    public const string Annotation = "higress.io/backend-protocol";

    /// <summary>The annotation's values, for fix texts.</summary>
    public const string Names = "HTTP, HTTP2, HTTPS, GRPC, GRPCS";

    /// <summary>A backend-protocol or ServiceEntry port protocol name; null when it is not an HTTP protocol.</summary>
    public static WireProtocol? Parse(string? value) => value?.ToUpperInvariant() switch
    {
        "HTTP" => new(false, false),
        "HTTP2" or "H2C" or "GRPC" => new(true, false),
        "HTTPS" or "TLS" => new(false, true),
        "GRPCS" => new(true, true),
        _ => null,
    };

    /// <summary>The annotation of <paramref name="route"/> (null when absent), or the error for a value it does not know.</summary>
    public static (WireProtocol? Protocol, string? Value, string? Error) OfRoute(Resource route)
    {
        if (!route.Metadata.Annotations.TryGetValue(Annotation, out var value))
        {
            return (null, null, null);
        }

        return Parse(value) is { } protocol
            ? (protocol, value.ToLowerInvariant(), null)
            : (null, null, $"{route.Display} annotation {Annotation}: '{value}' is not one of {Names}; fix the annotation");
    }

    /// <summary>A Service port's protocol from its <c>appProtocol</c> or, without one, its name (<c>grpc-web</c>, <c>https-api</c>).</summary>
    public static WireProtocol OfServicePort(string? appProtocol, string? portName)
    {
        var hint = (appProtocol ?? portName ?? string.Empty).ToLowerInvariant();
        if (hint is "kubernetes.io/h2c" or "h2c" or "http2" or "grpc" || hint.StartsWith("grpc-", StringComparison.Ordinal) || hint.StartsWith("http2-", StringComparison.Ordinal))
        {
            return new(true, false);
        }

        if (hint is "grpcs" || hint.StartsWith("grpcs-", StringComparison.Ordinal))
        {
            return new(true, true);
        }

        return new(false, hint is "https" or "kubernetes.io/https" || hint.StartsWith("https-", StringComparison.Ordinal));
    }
}
