using Higress.Core.Plan;
using Higress.Core.Resources;

namespace Higress.Core.Translation.Plugins;

/// <summary>The plugins of one rule.</summary>
/// <param name="Plugins">The instances, in execution order; put them on <see cref="RoutePlan.Plugins"/>.</param>
/// <param name="Diagnostics">Problems specific to this rule (inline plugins); object-level problems are in <see cref="PluginResolver.Diagnostics"/>.</param>
/// <param name="Fail">
/// Non-null when a FAIL_CLOSE instance that applies to the rule is unusable (unknown plugin, invalid config):
/// the translator must make this the rule's action, so that e.g. a broken authentication plugin never
/// lets requests through unauthenticated.
/// </param>
internal sealed record PluginResolution(EquatableArray<PluginBinding> Plugins, EquatableArray<ConfigDiagnostic> Diagnostics, FailAction? Fail);
