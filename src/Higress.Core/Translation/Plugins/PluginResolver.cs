using Higress.Core.Plan;
using Higress.Core.Plugins;
using Higress.Core.Resources;
using Higress.Core.Routing;

namespace Higress.Core.Translation.Plugins;

/// <summary>
/// Decides which plugin instances run for each rule, in which order and with which config. Pure: no DI, no I/O.
/// Build one per translation (it parses every Extension and WasmPlugin config once), then call
/// <see cref="Resolve"/> once per rule. See <c>README.md</c> next to this file for the rules.
/// </summary>
internal sealed class PluginResolver
{
    private readonly PluginCatalog _catalog;
    private readonly ILookup<string, PluginSource> _byNamespace;
    private readonly PluginSourceReader.SecretLookup _secrets;
    private readonly PluginSourceReader.ServiceLookup? _services;

    /// <summary>Reads the Extensions and WasmPlugins of <paramref name="snapshot"/>.</summary>
    public PluginResolver(ResourceSnapshot snapshot, PluginCatalog catalog, PluginSourceReader.ServiceLookup? services = null)
        : this(snapshot.OfType<Extension>(), snapshot.OfType<WasmPlugin>(), catalog, snapshot.OfType<Secret>(), services)
    {
    }

    /// <summary>Reads the given objects.</summary>
    public PluginResolver(
        IEnumerable<Extension> extensions, IEnumerable<WasmPlugin> wasmPlugins, PluginCatalog catalog, IEnumerable<Secret>? secrets = null, PluginSourceReader.ServiceLookup? services = null)
    {
        _services = services;
        _catalog = catalog;
        var secretsByKey = (secrets ?? []).GroupBy(s => (s.Namespace, s.Name)).ToDictionary(g => g.Key, g => g.First());
        _secrets = (ns, name) => secretsByKey.GetValueOrDefault((ns, name));
        var diagnostics = new List<ConfigDiagnostic>();
        var sources = new List<PluginSource>();
        foreach (var extension in extensions)
        {
            sources.Add(PluginSourceReader.FromExtension(extension, catalog, _secrets, diagnostics, services));
        }

        foreach (var wasmPlugin in wasmPlugins)
        {
            sources.Add(PluginSourceReader.FromWasmPlugin(wasmPlugin, catalog, _secrets, diagnostics, services));
        }

        _byNamespace = sources.ToLookup(s => s.Namespace, StringComparer.Ordinal);
        Diagnostics = [.. diagnostics];
    }

    /// <summary>Problems in the Extension and WasmPlugin objects, each reported once however many rules they apply to.</summary>
    public EquatableArray<ConfigDiagnostic> Diagnostics { get; }

    /// <summary>The plugins of one rule, ordered by phase, priority (higher first), name and instance id.</summary>
    /// <param name="rule">The rule.</param>
    /// <returns>The bindings, the rule's own diagnostics, and a <see cref="FailAction"/> when the rule must fail closed.</returns>
    public PluginResolution Resolve(PluginRuleTarget rule)
    {
        var bindings = new List<PluginBinding>();
        var diagnostics = new List<ConfigDiagnostic>();
        FailAction? fail = null;

        // Namespace isolation: only instances in the rule owner's namespace are considered, plus the one exception of
        // the model: an instance that targets a Gateway, in the Gateway's own namespace, applies to every rule attached
        // to that Gateway (the Gateway's owner decides policy for its listeners).
        foreach (var source in SourcesFor(rule))
        {
            if (!Targets(source, rule))
            {
                continue;
            }

            var variant = SelectVariant(source, rule);
            if (variant is null || variant.Disabled)
            {
                continue;
            }

            Bind(source.PluginName, source.InstanceId, source.Phase, source.Priority, source.FailStrategy, variant, bindings, ref fail);
        }

        for (var i = 0; i < rule.InlinePlugins.Count; i++)
        {
            var inline = rule.InlinePlugins[i];
            var path = $"{rule.RulePath}.plugins[{i}]";
            BindOwn(rule, inline.Name, inline.Config, path, path + ".config", bindings, diagnostics, ref fail);
        }

        // Route fields served by a plugin (corsPolicy, the CORS filter): an instance named after the field.
        for (var i = 0; i < rule.FieldPlugins.Count; i++)
        {
            var field = rule.FieldPlugins[i];
            BindOwn(rule, field.Name, field.Config, field.FieldPath, field.FieldPath, bindings, diagnostics, ref fail);
        }

        if (rule.AuthorizationPolicy is { } named)
        {
            BindAuthorizationPolicy(rule, named, bindings, diagnostics, ref fail);
        }

        bindings.Sort(PluginOrder.Instance);
        return new PluginResolution([.. bindings], [.. diagnostics], fail);
    }

    // A plugin the rule itself configures (inline, or through a route field): default phase and priority, FAIL_CLOSE.
    private void BindOwn(
        PluginRuleTarget rule, string name, EquatableJson? config, string path, string configPath, List<PluginBinding> bindings, List<ConfigDiagnostic> diagnostics, ref FailAction? fail)
    {
        var instanceId = $"{rule.Owner}#{path}";
        _catalog.TryGet(name, out var plugin);
        if (plugin is null)
        {
            diagnostics.Add(new ConfigDiagnostic(DiagnosticSeverity.Error, rule.Owner.ToString(), path + ".name", $"no plugin named '{name}' is registered",
                $"register it with AddPlugin<T>() or use one of: {string.Join(", ", _catalog.Names.Order(StringComparer.Ordinal))}"));
        }

        var variant = PluginSourceReader.ParseVariant(plugin, name, config, rule.Owner.ToString(), instanceId, configPath, diagnostics,
            new PluginSourceReader.VariantScope(rule.Owner.Namespace, _secrets, HasMatchRules: false) { Services = _services });
        Bind(name, instanceId, plugin?.DefaultPhase ?? PluginPhase.Unspecified, plugin?.DefaultPriority ?? 0, FailStrategy.FailClose, variant, bindings, ref fail);
    }

    // A named policy is an aspnet-authorization instance whose config is {policy}; its problems are reported on the
    // field that named it (spec.http[0].authorizationPolicy), not on a config the user never wrote.
    private void BindAuthorizationPolicy(PluginRuleTarget rule, NamedAuthorizationPolicy named, List<PluginBinding> bindings, List<ConfigDiagnostic> diagnostics, ref FailAction? fail)
    {
        var owner = rule.Owner.ToString();
        if (!_catalog.TryGet(NamedAuthorizationPolicy.PluginName, out var plugin))
        {
            diagnostics.Add(new ConfigDiagnostic(DiagnosticSeverity.Error, owner, named.FieldPath, $"names an ASP.NET Core authorization policy, but no '{NamedAuthorizationPolicy.PluginName}' plugin is registered",
                "serve the config from an ASP.NET Core host (AddHigress registers the plugin), or remove the field"));
        }

        var config = EquatableJson.FromObject(new Dictionary<string, string> { ["policy"] = named.Policy });
        var own = new List<ConfigDiagnostic>();
        var variant = PluginSourceReader.ParseVariant(plugin, NamedAuthorizationPolicy.PluginName, config, owner, $"{owner}#{named.FieldPath}", named.FieldPath, own,
            new PluginSourceReader.VariantScope(rule.Owner.Namespace, _secrets, HasMatchRules: false) { Services = _services });
        var policyField = named.FieldPath + ".policy";
        foreach (var diagnostic in own)
        {
            diagnostics.Add(diagnostic.FieldPath == policyField ? diagnostic with { FieldPath = named.FieldPath } : diagnostic);
        }

        Bind(NamedAuthorizationPolicy.PluginName, $"{owner}#{named.FieldPath}", plugin?.DefaultPhase ?? PluginPhase.Authz, plugin?.DefaultPriority ?? 0, FailStrategy.FailClose, variant, bindings, ref fail);
    }

    private static void Bind(
        string name, string instanceId, PluginPhase phase, int priority, FailStrategy failStrategy, PluginVariant variant, List<PluginBinding> bindings, ref FailAction? fail)
    {
        // An invalid config is bound unparsed: the runtime keeps the instance's last good config serving, or, when
        // it never had one, fails the rule closed (FAIL_CLOSE) or skips the instance (FAIL_OPEN).
        if (variant.IsUsable || variant.InvalidConfig)
        {
            bindings.Add(new PluginBinding(name, instanceId, phase, priority, failStrategy, variant.ConfigJson) { Config = variant.Config, SecretsVersion = variant.SecretsVersion });
            return;
        }

        // An unusable FAIL_CLOSE instance must not be silently skipped: for an auth plugin that would serve
        // the rule unauthenticated. The rule answers 500 until the config is fixed; FAIL_OPEN drops the instance.
        if (failStrategy == FailStrategy.FailClose && fail is null)
        {
            fail = new FailAction(500, $"plugin {name} ({instanceId}) cannot run: {variant.Problem}; failStrategy is FAIL_CLOSE");
        }
    }

    private IEnumerable<PluginSource> SourcesFor(PluginRuleTarget rule)
    {
        foreach (var source in _byNamespace[rule.Owner.Namespace])
        {
            yield return source;
        }

        List<string>? seen = null;
        for (var i = 0; i < rule.Gateways.Count; i++)
        {
            var gateway = rule.Gateways[i];
            if (gateway.Namespace == rule.Owner.Namespace || seen?.Contains(gateway.Namespace) == true)
            {
                continue;
            }

            (seen ??= []).Add(gateway.Namespace);
            foreach (var source in _byNamespace[gateway.Namespace])
            {
                if (source.TargetRefs?.Any(t => t.Kind == "Gateway") == true)
                {
                    yield return source;
                }
            }
        }
    }

    private static bool Targets(PluginSource source, PluginRuleTarget rule)
    {
        if (source.TargetRefs is null)
        {
            return true;
        }

        foreach (var target in source.TargetRefs)
        {
            if (target.Kind == "Gateway")
            {
                if (rule.Owner.Kind.Kind == "Gateway" && rule.Owner.Name == target.Name)
                {
                    return true;
                }

                foreach (var gateway in rule.Gateways)
                {
                    if (gateway.Name == target.Name && gateway.Namespace == source.Namespace)
                    {
                        return true;
                    }
                }
            }
            else if (target.Kind == rule.Owner.Kind.Kind && target.Name == rule.Owner.Name)
            {
                return true;
            }
        }

        return false;
    }

    // Higress semantics: match rules are tried in order and the first that selects the rule wins; when none
    // does, the default config applies (null when there is none).
    private static PluginVariant? SelectVariant(PluginSource source, PluginRuleTarget rule)
    {
        foreach (var matchRule in source.MatchRules)
        {
            // Route names in match rules are names of the instance's own namespace.
            var namesRoute = rule.Owner.Namespace == source.Namespace && matchRule.Routes.Contains(rule.Owner.Name);
            if (namesRoute || DomainMatches(matchRule.Domains, rule.Hostnames))
            {
                return matchRule.Variant;
            }
        }

        return source.Default;
    }

    private static bool DomainMatches(IReadOnlyList<string> patterns, EquatableArray<string> hostnames)
    {
        foreach (var pattern in patterns)
        {
            foreach (var host in hostnames)
            {
                if (HostnamePattern.Matches(pattern, host))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
