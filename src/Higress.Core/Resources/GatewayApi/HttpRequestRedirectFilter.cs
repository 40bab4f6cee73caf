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
