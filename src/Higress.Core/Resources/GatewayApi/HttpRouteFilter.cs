using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>An HTTPRoute (or GRPCRoute, or backendRef) filter: <c>type</c> plus the matching field.</summary>
public sealed record HttpRouteFilter
{
    /// <summary>RequestHeaderModifier | ResponseHeaderModifier | RequestRedirect | URLRewrite | RequestMirror | ExtensionRef | CORS.</summary>
    [Required]
    public HttpRouteFilterType Type { get; init; }

    /// <summary>For RequestHeaderModifier.</summary>
    public HttpHeaderFilter? RequestHeaderModifier { get; init; }

    /// <summary>For ResponseHeaderModifier.</summary>
    public HttpHeaderFilter? ResponseHeaderModifier { get; init; }

    /// <summary>For RequestRedirect.</summary>
    public HttpRequestRedirectFilter? RequestRedirect { get; init; }

    /// <summary>For URLRewrite.</summary>
    public HttpUrlRewriteFilter? UrlRewrite { get; init; }

    /// <summary>For RequestMirror.</summary>
    public HttpRequestMirrorFilter? RequestMirror { get; init; }

    /// <summary>For CORS.</summary>
    public HttpCorsFilter? Cors { get; init; }

    /// <summary>For ExtensionRef: an Extension (plugin instance) or another implementation-specific object.</summary>
    public LocalObjectReference? ExtensionRef { get; init; }
}

/// <summary>An HTTPRoute filter type.</summary>
public enum HttpRouteFilterType
{
    /// <summary>Change request headers.</summary>
    RequestHeaderModifier,

    /// <summary>Change response headers.</summary>
    ResponseHeaderModifier,

    /// <summary>Answer with a redirect.</summary>
    RequestRedirect,

    /// <summary>Rewrite host and/or path.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("URLRewrite")]
    UrlRewrite,

    /// <summary>Mirror requests to another backend.</summary>
    RequestMirror,

    /// <summary>An implementation-specific filter.</summary>
    ExtensionRef,

    /// <summary>Answer CORS preflights and add CORS response headers.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("CORS")]
    Cors,
}
