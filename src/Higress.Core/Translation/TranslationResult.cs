using Higress.Core.Plan;
using Higress.Core.Resources;

namespace Higress.Core.Translation;

/// <summary>A condition on an object's status, in the Gateway API's shape.</summary>
/// <param name="Type">E.g. <c>Accepted</c>, <c>ResolvedRefs</c>, <c>Programmed</c>.</param>
/// <param name="Status">True or false.</param>
/// <param name="Reason">A CamelCase reason, e.g. <c>BackendNotFound</c>.</param>
/// <param name="Message">A human-readable message naming the field and the fix.</param>
public sealed record StatusCondition(string Type, bool Status, string Reason, string Message);

/// <summary>A route's status toward one parent (gateway or listener).</summary>
/// <param name="Parent">The parent, e.g. <c>Gateway default/web</c> or <c>Gateway default/web/http</c>.</param>
/// <param name="Conditions">The conditions for that parent.</param>
public sealed record ParentStatus(string Parent, EquatableArray<StatusCondition> Conditions);

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

/// <summary>What the translator returns: the plan, every object's status and every problem found.</summary>
/// <param name="Plan">The plan to apply.</param>
/// <param name="Statuses">Per-object status.</param>
/// <param name="Diagnostics">Errors and warnings, each naming object, field and fix.</param>
public sealed record TranslationResult(
    GatewayPlan Plan,
    EquatableArray<ObjectStatus> Statuses,
    EquatableArray<ConfigDiagnostic> Diagnostics);
