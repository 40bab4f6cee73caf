using Higress.Core.Plan;
using Higress.Core.Resources;

namespace Higress.Core.Translation;

/// <summary>What the translator returns: the plan, every object's status and every problem found.</summary>
/// <param name="Plan">The plan to apply.</param>
/// <param name="Statuses">Per-object status.</param>
/// <param name="Diagnostics">Errors and warnings, each naming object, field and fix.</param>
public sealed record TranslationResult(
    GatewayPlan Plan,
    EquatableArray<ObjectStatus> Statuses,
    EquatableArray<ConfigDiagnostic> Diagnostics);
