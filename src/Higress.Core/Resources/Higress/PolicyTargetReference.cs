using System.Text.Json;
using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>A reference to a policy target (Gateway API <c>PolicyTargetReference</c>).</summary>
public sealed record PolicyTargetReference
{
    /// <summary>The group; default the kind's own (<c>networking.higress.io</c> for Route and Gateway).</summary>
    public string? Group { get; init; }

    /// <summary>The kind: <c>Route</c>, <c>Gateway</c>, <c>HTTPRoute</c>...</summary>
    [Required]
    public string Kind { get; init; } = string.Empty;

    /// <summary>The name.</summary>
    [Required]
    public string Name { get; init; } = string.Empty;

    /// <summary>The namespace; default the Extension's.</summary>
    public string? Namespace { get; init; }
}
