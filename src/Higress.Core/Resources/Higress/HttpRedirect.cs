using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>Answers with a redirect (Istio <c>HTTPRedirect</c>); unset parts keep the request's.</summary>
public sealed record HttpRedirect
{
    /// <summary>The new path.</summary>
    public string? Uri { get; init; }

    /// <summary>The new host.</summary>
    public string? Authority { get; init; }

    /// <summary>The new scheme, <c>http</c> or <c>https</c>.</summary>
    public string? Scheme { get; init; }

    /// <summary>The new port.</summary>
    [Port]
    public int? Port { get; init; }

    /// <summary>The status code: 301 (default), 302, 303, 307 or 308.</summary>
    [OneOf(301, 302, 303, 307, 308)]
    public int RedirectCode { get; init; } = 301;
}
