using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>The RequestRedirect filter; unset parts keep the request's.</summary>
public sealed record HttpRequestRedirectFilter
{
    /// <summary><c>http</c> | <c>https</c>.</summary>
    public string? Scheme { get; init; }

    /// <summary>The new host.</summary>
    public string? Hostname { get; init; }

    /// <summary>The new path.</summary>
    public HttpPathModifier? Path { get; init; }

    /// <summary>The new port.</summary>
    [Port]
    public int? Port { get; init; }

    /// <summary>301 | 302 (default) | 303 | 307 | 308.</summary>
    [OneOf(301, 302, 303, 307, 308)]
    public int StatusCode { get; init; } = 302;
}

/// <summary>The URLRewrite filter.</summary>
public sealed record HttpUrlRewriteFilter
{
    /// <summary>The new host.</summary>
    public string? Hostname { get; init; }

    /// <summary>The new path.</summary>
    public HttpPathModifier? Path { get; init; }
}

/// <summary>A path change: the full path, or the matched prefix.</summary>
public sealed record HttpPathModifier
{
    /// <summary>ReplaceFullPath | ReplacePrefixMatch.</summary>
    [Required]
    public PathModifierType Type { get; init; }

    /// <summary>The new path, for ReplaceFullPath.</summary>
    public string? ReplaceFullPath { get; init; }

    /// <summary>The replacement of the matched prefix, for ReplacePrefixMatch.</summary>
    public string? ReplacePrefixMatch { get; init; }
}

/// <summary>How a path is changed.</summary>
public enum PathModifierType
{
    /// <summary>Replace the whole path.</summary>
    ReplaceFullPath,

    /// <summary>Replace the prefix the rule matched.</summary>
    ReplacePrefixMatch,
}

/// <summary>The RequestMirror filter.</summary>
public sealed record HttpRequestMirrorFilter
{
    /// <summary>Where requests are copied.</summary>
    [Required]
    public BackendRef BackendRef { get; init; } = new();

    /// <summary>The share of requests mirrored, 0..100; default all.</summary>
    [Range(0, 100)]
    public int? Percent { get; init; }
}
