using Higress.Core.Resources;

namespace Higress.Core.Translation;

/// <summary>A route's status toward one parent (gateway or listener).</summary>
/// <param name="Parent">The parent, e.g. <c>Gateway default/web</c> or <c>Gateway default/web/http</c>.</param>
/// <param name="Conditions">The conditions for that parent.</param>
public sealed record ParentStatus(string Parent, EquatableArray<StatusCondition> Conditions);
