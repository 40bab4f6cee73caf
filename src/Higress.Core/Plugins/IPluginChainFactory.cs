using Higress.Core.Plan;

namespace Higress.Core.Plugins;

/// <summary>Builds the plugin chain of a rule; the runtime calls it once per rule when it applies a plan.</summary>
public interface IPluginChainFactory
{
    /// <summary>
    /// Builds the chain for <paramref name="route"/>'s <see cref="RoutePlan.Plugins"/>. Never throws for bad
    /// bindings: an instance that cannot be built is skipped (FAIL_OPEN) or answers 500 (FAIL_CLOSE).
    /// </summary>
    /// <param name="route">The rule.</param>
    /// <returns>The chain; <see cref="PluginChain.Empty"/> when the rule has no plugins.</returns>
    PluginChain Create(RoutePlan route);
}
