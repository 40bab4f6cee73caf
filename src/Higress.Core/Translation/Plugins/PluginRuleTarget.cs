using Higress.Core.Plan;
using Higress.Core.Resources;

namespace Higress.Core.Translation.Plugins;

/// <summary>One route rule as the plugin resolver sees it.</summary>
/// <param name="Owner">The object that declares the rule: <c>Route shop/orders</c>, <c>HTTPRoute shop/web</c>, or a <c>Gateway</c> for inline routes.</param>
/// <param name="RulePath">The rule's field path inside the owner, e.g. <c>spec.http[0]</c>; names inline instances and diagnostics.</param>
/// <param name="Hostnames">The hostnames the rule serves (empty = any host); matched by <c>matchRules[].domain</c>.</param>
/// <param name="Gateways">The gateways the rule attached to; matched by <c>targetRefs</c> of kind Gateway.</param>
/// <param name="InlinePlugins">The rule's own <c>plugins: [{name, config}]</c>.</param>
internal sealed record PluginRuleTarget(
    ResourceKey Owner,
    string RulePath,
    EquatableArray<string> Hostnames,
    EquatableArray<ResourceKey> Gateways,
    EquatableArray<InlinePlugin> InlinePlugins);
