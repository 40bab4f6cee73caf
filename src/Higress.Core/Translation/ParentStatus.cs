using Higress.Core.Resources;

namespace Higress.Core.Translation;

/// <summary>A route's status toward one parent (gateway or listener).</summary>
/// <param name="Parent">The parent, e.g. <c>Gateway default/web</c> or <c>Gateway default/web/http</c>.</param>
/// <param name="Conditions">The conditions for that parent.</param>
public sealed record ParentStatus(string Parent, EquatableArray<StatusCondition> Conditions)
{
    /// <summary>For a Gateway's listener: how many routes attach to it (the Gateway API's <c>attachedRoutes</c>); null otherwise.</summary>
    public int? AttachedRoutes { get; init; }
}
