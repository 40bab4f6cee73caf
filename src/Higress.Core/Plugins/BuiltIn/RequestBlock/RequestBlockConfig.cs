using System.ComponentModel.DataAnnotations;
using Higress.Core.Resources;

namespace Higress.Core.Plugins.BuiltIn.RequestBlock;

/// <summary>The <c>request-block</c> config: Higress's field names, snake_case on the wire.</summary>
internal sealed record RequestBlockConfig
{
    /// <summary><c>block_urls</c>: refuse a request whose path and query contain one of these strings.</summary>
    public EquatableArray<string> BlockUrls { get; init; }

    /// <summary><c>block_exact_urls</c>: refuse a request whose path and query equal one of these strings.</summary>
    public EquatableArray<string> BlockExactUrls { get; init; }

    /// <summary><c>block_regexp_urls</c>: refuse a request whose path and query contain a match of one of these patterns.</summary>
    public EquatableArray<string> BlockRegexpUrls { get; init; }

    /// <summary><c>block_headers</c>: refuse a request with a header whose name or value contains one of these strings.</summary>
    public EquatableArray<string> BlockHeaders { get; init; }

    /// <summary><c>block_bodies</c>: refuse a request whose body contains one of these strings.</summary>
    public EquatableArray<string> BlockBodies { get; init; }

    /// <summary><c>blocked_code</c>: the status of the refusal.</summary>
    [Range(100, 599)]
    public int BlockedCode { get; init; } = 403;

    /// <summary><c>blocked_message</c>: the body of the refusal, or none.</summary>
    public string? BlockedMessage { get; init; }

    /// <summary><c>case_sensitive</c>: false compares every string and pattern ignoring case.</summary>
    public bool CaseSensitive { get; init; } = true;
}
