using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>An HTTPRoute (or GRPCRoute, or backendRef) filter: <c>type</c> plus the matching field.</summary>
public sealed record HttpRouteFilter
{
    /// <summary>RequestHeaderModifier | ResponseHeaderModifier | RequestRedirect | URLRewrite | RequestMirror | ExtensionRef.</summary>
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
}

/// <summary>Header changes: set, add, remove.</summary>
public sealed record HttpHeaderFilter
{
    /// <summary>Headers to set (replace).</summary>
    public EquatableArray<HttpHeader> Set { get; init; }

    /// <summary>Headers to add (append).</summary>
    public EquatableArray<HttpHeader> Add { get; init; }

    /// <summary>Header names to remove.</summary>
    public EquatableArray<string> Remove { get; init; }
}

/// <summary>A header name and value.</summary>
public sealed record HttpHeader
{
    /// <summary>The name.</summary>
    [Required]
    public string Name { get; init; } = string.Empty;

    /// <summary>The value.</summary>
    public string Value { get; init; } = string.Empty;
}

/// <summary>A reference to an object in the same namespace.</summary>
public sealed record LocalObjectReference
{
    /// <summary>The group (required; e.g. <c>networking.higress.io</c>).</summary>
    public string Group { get; init; } = string.Empty;

    /// <summary>The kind (required; e.g. <c>Extension</c>).</summary>
    [Required]
    public string Kind { get; init; } = string.Empty;

    /// <summary>The name.</summary>
    [Required]
    public string Name { get; init; } = string.Empty;
}
