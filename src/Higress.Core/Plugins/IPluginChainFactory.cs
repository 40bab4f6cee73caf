using Higress.Core.Plan;
using Higress.Core.Policies;

namespace Higress.Core.Plugins;

/// <summary>Builds the plugin chain of a rule; the runtime calls it once per rule when it applies a plan.</summary>
internal interface IPluginChainFactory
{
    /// <summary>
    /// Builds the chain for <paramref name="route"/>'s <see cref="RoutePlan.Plugins"/>. Never throws for bad
    /// bindings: an instance that cannot be built is skipped (FAIL_OPEN) or answers 500 (FAIL_CLOSE).
    /// </summary>
    /// <param name="route">The rule.</param>
    /// <param name="state">
    /// The apply's long-lived state, from which each instance's state is taken (kept while its binding is unchanged);
    /// null to create fresh state (tests, the explainer).
    /// </param>
    /// <returns>The chain; <see cref="PluginChain.Empty"/> when the rule has no plugins.</returns>
    PluginChain Create(RoutePlan route, PolicyStateScope? state = null);
}
