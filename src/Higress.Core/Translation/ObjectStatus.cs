using Higress.Core.Resources;

namespace Higress.Core.Translation;

/// <summary>One object's status after translation.</summary>
/// <param name="Object">The object, e.g. <c>HTTPRoute default/web</c>.</param>
/// <param name="Generation">The object's <c>metadata.generation</c>, for <c>observedGeneration</c>.</param>
/// <param name="Conditions">Conditions on the object itself.</param>
/// <param name="Parents">Per-parent conditions (routes only).</param>
public sealed record ObjectStatus(
    string Object,
    long Generation,
    EquatableArray<StatusCondition> Conditions,
    EquatableArray<ParentStatus> Parents);
