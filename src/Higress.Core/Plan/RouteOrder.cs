namespace Higress.Core.Plan;

/// <summary>The facts that break precedence ties between rules of different objects.</summary>
/// <param name="CreationTimestamp">The object's creation time, if it has one.</param>
/// <param name="ReadOrder">The order in which the object was read (files without timestamps).</param>
/// <param name="RuleIndex">The rule's position inside its object.</param>
public sealed record RouteOrder(DateTimeOffset? CreationTimestamp, long ReadOrder, int RuleIndex);
