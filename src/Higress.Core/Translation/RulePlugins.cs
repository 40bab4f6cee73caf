using Higress.Core.Plan;
using Higress.Core.Plugins;
using Higress.Core.Resources;
using Higress.Core.Translation.Plugins;

namespace Higress.Core.Translation;

/// <summary>Binds each rule's plugin chain through the <see cref="PluginResolver"/>, once per rule.</summary>
internal sealed class RulePlugins
{
    private readonly TranslationContext _context;
    private readonly PluginResolver _resolver;
    private readonly IReadOnlyDictionary<string, ResourceKey> _listenerGateways;
    private readonly bool _any;

    public RulePlugins(TranslationContext context, PluginCatalog catalog, IReadOnlyDictionary<string, ResourceKey> listenerGateways)
    {
        _context = context;
        // Services that plugins talk to resolve as destinations do, on a resolver of their own: they are no routes' clusters.
        var services = new Lazy<BackendResolver>(() => new BackendResolver(context));
        _resolver = new PluginResolver(context.Snapshot, catalog, (ns, host, port) => services.Value.ResolvePluginService(ns, host, port));
        _listenerGateways = listenerGateways;
        _context.Diagnostics.AddRange(_resolver.Diagnostics);
        _any = context.Snapshot.OfType<Extension>().Count > 0 || context.Snapshot.OfType<WasmPlugin>().Count > 0;
    }

    public RoutePlan Apply(
        Resource owner, string rulePath, IReadOnlyList<string> hostnames, IReadOnlyList<RouteAttachment> attachments, RoutePlan plan,
        EquatableArray<InlinePlugin> inline = default, EquatableArray<FieldPlugin> fieldPlugins = default, NamedAuthorizationPolicy? authorizationPolicy = null)
    {
        if (!_any && inline.IsEmpty && fieldPlugins.IsEmpty && authorizationPolicy is null)
        {
            return plan;
        }

        var gateways = attachments
            .Where(a => _listenerGateways.ContainsKey(a.ListenerId))
            .Select(a => _listenerGateways[a.ListenerId])
            .Distinct()
            .ToEquatableArray();
        var resolution = _resolver.Resolve(new PluginRuleTarget(plan.Source, rulePath, hostnames.ToEquatableArray(), gateways, inline) { FieldPlugins = fieldPlugins, AuthorizationPolicy = authorizationPolicy });
        _context.Diagnostics.AddRange(resolution.Diagnostics);
        var result = plan with { Plugins = resolution.Plugins };
        return resolution.Fail is { } fail ? result with { Action = fail } : result;
    }
}
