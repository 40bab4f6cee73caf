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
    EquatableArray<InlinePlugin> InlinePlugins)
{
    /// <summary>Plugins that serve a field of the rule (<c>corsPolicy</c>, the HTTPRoute <c>CORS</c> filter).</summary>
    public EquatableArray<FieldPlugin> FieldPlugins { get; init; }

    /// <summary>
    /// An ASP.NET Core authorization policy the rule names (a Route rule's <c>authorizationPolicy</c>, an HTTPRoute's
    /// <c>higress.io/authorization-policy</c> annotation), bound as an <c>aspnet-authorization</c> instance; or null.
    /// </summary>
    public NamedAuthorizationPolicy? AuthorizationPolicy { get; init; }
}

/// <summary>A plugin instance that a route field translates into, named after the field.</summary>
/// <param name="Name">The plugin's name, e.g. <c>cors</c>.</param>
/// <param name="FieldPath">The field, e.g. <c>spec.http[0].corsPolicy</c>; the instance id and error paths name it.</param>
/// <param name="Config">The plugin config the field translates into.</param>
internal sealed record FieldPlugin(string Name, string FieldPath, EquatableJson Config);

/// <summary>A policy name and the field that gave it (for diagnostics and the instance id).</summary>
/// <param name="Policy">The policy name, <c>default</c> or <c>anonymous</c>.</param>
/// <param name="FieldPath">Where it was written, e.g. <c>spec.http[0].authorizationPolicy</c>.</param>
internal sealed record NamedAuthorizationPolicy(string Policy, string FieldPath)
{
    /// <summary>The plugin that evaluates ASP.NET Core policies (registered by the ASP.NET Core host).</summary>
    public const string PluginName = "aspnet-authorization";

    /// <summary>The HTTPRoute annotation that names a policy for every rule of the route.</summary>
    public const string Annotation = "higress.io/authorization-policy";
}
